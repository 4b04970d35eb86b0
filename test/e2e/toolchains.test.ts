/**
 * Generated projects on Node 22 and 24 and with pnpm and yarn, all from the npm registry, each proven
 * with --verify. The package manager is detected the way `pnpm create` / `yarn create` announce
 * themselves (npm_config_user_agent), and the lockfile and next steps must match it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, repoRoot, scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';

const cache = path.join(repoRoot, '.cache', 'toolchains');
const TOOLCHAINS = { 'node-22': ['node@22'], 'node-24': ['node@24'], pm: ['pnpm@10', 'yarn@1'] } as const;
const binDir = (name: keyof typeof TOOLCHAINS) => path.join(cache, name, 'node_modules/.bin');

beforeAll(async () => {
  for (const [name, packages] of Object.entries(TOOLCHAINS) as [keyof typeof TOOLCHAINS, readonly string[]][]) {
    if (existsSync(binDir(name))) continue;
    const install = await runCommand('npm', ['install', '--no-save', '--prefix', path.join(cache, name), ...packages], { cwd: repoRoot });
    if (install.code !== 0) throw new Error(`installing ${packages.join(', ')} failed:\n${install.output}`);
  }
}, 300_000);

interface Summary {
  options: { pm: string };
  nextSteps: string[];
  verify: { ok: boolean; steps: { name: string; ok: boolean; problem?: string; output?: string }[] };
}

async function generateAndVerify(env: NodeJS.ProcessEnv, node = process.execPath) {
  const work = scratch('cmss-toolchain-');
  const run = await runCommand(node, [bin, 'proj', '--transport', 'both', '--no-git', '--verify', '--json'], { cwd: work, env });
  expect(run.code, run.output).toBe(0);
  const summary = JSON.parse(run.stdout) as Summary;
  expect(summary.verify.ok, JSON.stringify(summary.verify.steps.filter((step) => !step.ok))).toBe(true);
  return { summary, project: path.join(work, 'proj') };
}

describe('Node versions', () => {
  it.concurrent.each(['22', '24'] as const)('Node %s runs the generator and the generated project', async (major) => {
    const dir = binDir(`node-${major}`);
    const env = { PATH: `${dir}${path.delimiter}${process.env.PATH}` };
    const version = await runCommand('node', ['--version'], { cwd: repoRoot, env });
    expect(version.stdout).toMatch(new RegExp(`^v${major}\\.`));
    await generateAndVerify(env, path.join(dir, 'node'));
  }, 300_000);
});

describe('package managers', () => {
  it.concurrent.each([
    ['pnpm', 'pnpm/10.0.0 npm/? node/v20.20.2 linux x64', 'pnpm-lock.yaml', ['cd proj', 'pnpm build', 'pnpm test']],
    ['yarn', 'yarn/1.22.22 npm/? node/v20.20.2 linux x64', 'yarn.lock', ['cd proj', 'yarn build', 'yarn test']],
  ] as const)('%s create: detected, its lockfile, its next steps', async (pm, userAgent, lockfile, nextSteps) => {
    const env = { PATH: `${binDir('pm')}${path.delimiter}${process.env.PATH}`, npm_config_user_agent: userAgent };
    const { summary, project } = await generateAndVerify(env);
    expect(summary.options.pm).toBe(pm);
    expect(summary.nextSteps).toEqual(nextSteps);
    expect(existsSync(path.join(project, lockfile))).toBe(true);
    expect(existsSync(path.join(project, 'package-lock.json'))).toBe(false);
  }, 300_000);
});
