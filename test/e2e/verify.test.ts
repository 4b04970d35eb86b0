/** `verify` and `--verify` on real generated projects. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, runCli, scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

// Measured alone on this 2-core machine: --verify about 50 s (install 10, typecheck 5, build 3, test 17, two
// live steps of 7 host runs each, about 13); under load from parallel suites it has taken over 60 s.

interface Report {
  ok: boolean;
  steps: { name: string; ok: boolean; ms: number; problem?: string; output?: string }[];
}

describe('--verify', () => {
  it('generates, then installs, type-checks, builds, tests and drives the server over both transports (HTTP with a bearer token)', async () => {
    const work = scratch();
    const args = [bin, 'checked', '--tool', 'ask', '--transport', 'both', '--auth', 'token', '--no-git', '--verify', '--json'];
    const run = await runCommand(process.execPath, args, { cwd: work });
    expect(run.code, run.output).toBe(0);
    const summary = JSON.parse(run.stdout) as { verify: Report; install: string };
    expect(summary.install).toBe('done');
    expect(summary.verify.ok).toBe(true);
    expect(summary.verify.steps.map((step) => step.name)).toEqual([
      'install',
      'typecheck',
      'build',
      'test',
      'live sampling over stdio',
      'live sampling over HTTP',
    ]);
    for (const step of summary.verify.steps) expect(step.ms).toBeGreaterThan(0);
  }, TIMEOUTS.verify);

  it('drives a v1 project as the 2025-era host its SDK speaks, over both transports (HTTP with OAuth, from a local authorization server)', async () => {
    const work = scratch();
    const args = [bin, 'checked-v1', '--sdk', 'v1', '--tool', 'summarize', '--transport', 'both', '--auth', 'oauth', '--no-git', '--verify', '--json'];
    const run = await runCommand(process.execPath, args, { cwd: work });
    expect(run.code, run.output).toBe(0);
    const summary = JSON.parse(run.stdout) as { verify: Report };
    expect(summary.verify.ok, JSON.stringify(summary.verify)).toBe(true);
    expect(summary.verify.steps.map((step) => step.name)).toEqual(['install', 'typecheck', 'build', 'test', 'live sampling over stdio', 'live sampling over HTTP']);
    expect(JSON.parse(readFileSync(path.join(work, 'checked-v1/package.json'), 'utf8')).dependencies).toHaveProperty('@modelcontextprotocol/sdk');
  }, TIMEOUTS.verify);

  it('cannot be combined with --no-install or --dry-run', () => {
    expect(runCli(['x', '--verify', '--no-install'], { cwd: scratch() }).stderr).toMatch(/^error --no-install: cannot be combined with --verify, which installs to test the project; drop one of the two\.\n$/);
    expect(runCli(['x', '--verify', '--dry-run'], { cwd: scratch() }).stderr).toMatch(/^error --verify: cannot be combined with --dry-run, which writes nothing to verify\.\n$/);
  });
});

describe('verify [directory]', () => {
  it('stops at the first failing step, shows its output and exits 1', async () => {
    const work = scratch();
    expect(runCli(['broken', '--tool', 'summarize', '--no-install', '--no-git'], { cwd: work }).status).toBe(0);
    const project = path.join(work, 'broken');
    const testFile = path.join(project, 'test/tokens.test.ts');
    writeFileSync(testFile, `${readFileSync(testFile, 'utf8')}\nit('fails on purpose for verify', () => { expect(1).toBe(2); });\n`);

    const run = await runCommand(process.execPath, [bin, 'verify', 'broken', '--json'], { cwd: work });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(false);
    expect(report.steps.map((step) => [step.name, step.ok])).toEqual([
      ['install', true],
      ['typecheck', true],
      ['build', true],
      ['test', false],
    ]);
    expect(report.steps[3]!.problem).toMatch(/^npm test exited with code 1/);
    expect(report.steps[3]!.output).toMatch(/fails on purpose for verify/);

    const human = await runCommand(process.execPath, [bin, 'verify', 'broken'], { cwd: work });
    expect(human.code).toBe(1);
    expect(human.output).toMatch(/verify: test failed in .*broken\nnpm test exited with code 1/);
  }, TIMEOUTS.verify);

  it('refuses a folder that is not a project, and generator options', () => {
    const cwd = scratch();
    const notProject = runCli(['verify', '.'], { cwd });
    expect(notProject.status).toBe(2);
    expect(notProject.stderr).toMatch(/has no package\.json: verify expects a project made by create-mcp-sampling-server/);
    const missing = runCli(['verify', 'nope'], { cwd });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`The folder ${path.join(cwd, 'nope')} does not exist. Give verify the folder of a generated project`);
    const stray = runCli(['verify', '.', '--tool', 'ask'], { cwd });
    expect(stray.status).toBe(2);
    expect(stray.stderr).toMatch(/verify takes a folder, --pm and --json only; --tool does not apply/);
  });

  it('checks --pm as generating does', () => {
    const cwd = scratch();
    writeFileSync(path.join(cwd, 'package.json'), '{}');
    const badPm = runCli(['verify', '.', '--pm', 'yarm'], { cwd });
    expect(badPm.status).toBe(2);
    expect(badPm.stderr).toMatch(/--pm "yarm": is not one of npm, pnpm, yarn, bun \(did you mean yarn\?\)\. Example: --pm npm/);
  });

  it('says a package manager that is not installed is not installed, and how to get it', () => {
    const cwd = scratch();
    writeFileSync(path.join(cwd, 'package.json'), '{}');
    // A PATH that has Node (and npm beside it) but no pnpm.
    const env = { PATH: path.dirname(process.execPath) };
    expect(existsSync(path.join(env.PATH, 'pnpm'))).toBe(false);
    const run = runCli(['verify', '.', '--pm', 'pnpm'], { cwd, env });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('pnpm is not installed (not found on PATH). To get it, run `corepack enable` (pnpm and yarn) or `npm install -g pnpm`');
    expect(run.stderr).not.toContain('undefined');
  });
});
