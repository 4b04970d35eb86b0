/**
 * Generated projects on Node 22 and 24 and with pnpm and yarn, all from the npm registry, each proven
 * with --verify. The package manager is detected the way `pnpm create` / `yarn create` announce
 * themselves (npm_config_user_agent), and the lockfile and next steps must match it.
 *
 * yarn runs the generator as `yarn create` does, installed from a registry (the local one), so its project
 * installs the generator from there too: yarn 1 copies a `file:` folder whole, and a checkout's is
 * hundreds of MB (node_modules, .cache). npm links `file:` folders and pnpm packs them, so they run from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { bin, repoRoot, scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';
import { GENERATOR_PACKAGE, installGenerator, registryEnv } from '../helpers/registry.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

interface Summary {
  options: { pm: string };
  nextSteps: string[];
  verify: { ok: boolean; steps: { name: string; ok: boolean; problem?: string; output?: string }[] };
}

async function generateAndVerify(env: NodeJS.ProcessEnv, node = process.execPath, generator = bin) {
  const work = scratch('cmss-toolchain-');
  const run = await runCommand(node, [generator, 'proj', '--transport', 'both', '--no-git', '--verify', '--json'], { cwd: work, env });
  expect(run.code, run.output).toBe(0);
  const summary = JSON.parse(run.stdout) as Summary;
  expect(summary.verify.ok, JSON.stringify(summary.verify.steps.filter((step) => !step.ok))).toBe(true);
  return { summary, project: path.join(work, 'proj') };
}

describe('Node versions', () => {
  it.concurrent.each(['22', '24'] as const)('Node %s runs the generator and the generated project', async (major) => {
    const node = toolBin(`node-${major}`, 'node');
    const env = { PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` };
    const version = await runCommand('node', ['--version'], { cwd: repoRoot, env });
    expect(version.stdout).toMatch(new RegExp(`^v${major}\\.`));
    await generateAndVerify(env, node);
  }, TIMEOUTS.toolchain);
});

describe('package managers', () => {
  const registry = inject('registry');
  it.concurrent.each([
    ['pnpm', 'pnpm/10.0.0 npm/? node/v20.20.2 linux x64', 'pnpm-lock.yaml', ['cd proj', 'pnpm build', 'pnpm host', 'pnpm test'], `file:${repoRoot}`],
    ['yarn', 'yarn/1.22.22 npm/? node/v20.20.2 linux x64', 'yarn.lock', ['cd proj', 'yarn build', 'yarn host', 'yarn test'], registry.generatorVersion],
  ] as const)('%s create: detected, its lockfile, its next steps', async (pm, userAgent, lockfile, nextSteps, generatorDependency) => {
    const env = { PATH: `${path.dirname(toolBin('package-managers', pm))}${path.delimiter}${process.env.PATH}`, npm_config_user_agent: userAgent };
    const fromRegistry = generatorDependency === registry.generatorVersion;
    const generator = fromRegistry ? await installGenerator(registry.url, registry.generatorVersion) : bin;
    const { summary, project } = await generateAndVerify(fromRegistry ? { ...env, ...registryEnv(registry.url) } : env, process.execPath, generator);
    expect(summary.options.pm).toBe(pm);
    expect(summary.nextSteps).toEqual(nextSteps);
    expect(existsSync(path.join(project, lockfile))).toBe(true);
    expect(existsSync(path.join(project, 'package-lock.json'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies[GENERATOR_PACKAGE]).toBe(generatorDependency);
    // The README's host command in this manager's syntax (`pnpm host --help`, no npm-style `--`) reaches the host.
    const readme = readFileSync(path.join(project, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${pm} host --help\` lists every option.`);
    const listed = await runCommand(pm, ['host', '--list-tools'], { cwd: project, env });
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toContain('"name":"summarize"');
    // Measured 54 to 115 s with all four toolchain tests at once, 189 s for yarn on a machine busy with more.
  }, TIMEOUTS.toolchain);
});
