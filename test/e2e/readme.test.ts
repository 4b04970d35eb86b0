/**
 * README.md's main command, run as written on a fresh copy of this checkout (its files as git sees them, no
 * node_modules, no dist): it installs, builds, and generates a project next to the checkout, and that
 * project installs the generator from the checkout and passes its own tests. The other README command,
 * `npm ci && npm test`, is what CI runs.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot, scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

/** The shell line under the README's "(the main job)" comment. */
function mainJobLine(): string {
  const lines = readFileSync(path.join(repoRoot, 'README.md'), 'utf8').split('\n');
  const comment = lines.findIndex((line) => line.startsWith('#') && line.includes('(the main job)'));
  expect(comment).toBeGreaterThan(-1);
  return lines[comment + 1]!;
}

it("README's main command works on a fresh checkout: the project lands next to it, installed and passing its tests", async () => {
  const line = mainJobLine();
  expect(line).toBe('npm ci && npm run generate -- ../my-server --yes');
  const work = scratch('cmss-readme-');
  const checkout = path.join(work, 'checkout');
  mkdirSync(checkout);
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(repoRoot, file)));
  for (const file of files) cpSync(path.join(repoRoot, file), path.join(checkout, file), { recursive: true, errorOnExist: false, force: true });

  const run = await runCommand('sh', ['-c', line], { cwd: checkout, env: { npm_config_prefer_offline: 'true' } });
  expect(run.code, run.output).toBe(0);
  const project = path.join(work, 'my-server');
  const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  expect(manifest.devDependencies['create-mcp-sampling-server']).toBe(`file:${checkout}`);
  const test = await runCommand('npm', ['test'], { cwd: project });
  expect(test.code, test.output).toBe(0);
}, TIMEOUTS.readmeMainJob);
