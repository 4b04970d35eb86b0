/**
 * Generated projects on Node 22 and 24 and with pnpm and yarn, all from the npm registry, each proven
 * with --verify. The package manager is detected the way `pnpm create` / `yarn create` announce
 * themselves (npm_config_user_agent), and the lockfile and next steps must match it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { bin, repoRoot, scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';

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
    const node = toolBin(`node-${major}`, 'node');
    const env = { PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` };
    const version = await runCommand('node', ['--version'], { cwd: repoRoot, env });
    expect(version.stdout).toMatch(new RegExp(`^v${major}\\.`));
    await generateAndVerify(env, node);
  }, 300_000);
});

describe('package managers', () => {
  it.concurrent.each([
    ['pnpm', 'pnpm/10.0.0 npm/? node/v20.20.2 linux x64', 'pnpm-lock.yaml', ['cd proj', 'pnpm build', 'pnpm test']],
    ['yarn', 'yarn/1.22.22 npm/? node/v20.20.2 linux x64', 'yarn.lock', ['cd proj', 'yarn build', 'yarn test']],
  ] as const)('%s create: detected, its lockfile, its next steps', async (pm, userAgent, lockfile, nextSteps) => {
    const env = { PATH: `${path.dirname(toolBin('package-managers', pm))}${path.delimiter}${process.env.PATH}`, npm_config_user_agent: userAgent };
    const { summary, project } = await generateAndVerify(env);
    expect(summary.options.pm).toBe(pm);
    expect(summary.nextSteps).toEqual(nextSteps);
    expect(existsSync(path.join(project, lockfile))).toBe(true);
    expect(existsSync(path.join(project, 'package-lock.json'))).toBe(false);
  }, 300_000);
});
