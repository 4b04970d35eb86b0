/**
 * Every command in README.md's shell blocks, taken from the README itself and run: the published generator
 * from the local registry, in a fresh folder, as a user would paste it. A command no runner knows fails the
 * test, so a README example cannot change without a test running the new one. The few that other files
 * already run as written (the checkout's own set-up, the other package managers) are named with that file,
 * which must hold the command.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { exampleTemplate, repoRoot, scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';
import { publishTo, registryEnv } from '../helpers/registry.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const registry = inject('registry');

/** The command lines of README.md's ```sh blocks, without their trailing comments. */
function readmeCommands(): string[] {
  const commands: string[] = [];
  let inShell = false;
  for (const line of readFileSync(path.join(repoRoot, 'README.md'), 'utf8').split('\n')) {
    if (line.startsWith('```')) {
      inShell = !inShell && line === '```sh';
      continue;
    }
    if (!inShell || line.trim() === '' || line.startsWith('#')) continue;
    commands.push(line.replace(/\s{2,}#.*$/, '').trim());
  }
  return commands;
}

/** A fresh folder, with the generator coming from the local registry, as from a user's shell. */
function userShell(): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = scratch('cmss-readme-cmd-');
  return {
    cwd,
    env: {
      ...Object.fromEntries(Object.keys(process.env).filter((key) => /^npm_/i.test(key)).map((key) => [key, undefined])),
      ...registryEnv(registry.url),
      // A cache of this folder's own: npx keeps what it ran by version, and every build of the checkout is the same version.
      npm_config_cache: path.join(cwd, '.npm'),
      // These machines' ~/.npmrc says yes=false, which cancels npx's download; a user is asked instead.
      npm_config_yes: 'true',
    },
  };
}

async function sh(line: string, shell: { cwd: string; env: NodeJS.ProcessEnv }) {
  const run = await runCommand('sh', ['-c', line], shell);
  expect(run.code, `${line}\n${run.output}`).toBe(0);
  return run;
}

const record = (project: string) =>
  JSON.parse(readFileSync(path.join(project, '.create-mcp-sampling-server.json'), 'utf8')) as { template: { name: string } | null; answers: Record<string, unknown> };

type Runner = { run: (line: string) => Promise<void>; timeout: number } | { ranBy: string; holding: string };

const RUNNERS: Record<string, Runner> = {
  'npm create mcp-sampling-server@latest my-server': {
    // No terminal: no questions, the defaults, then install and git, as the README says.
    run: async (line) => {
      const shell = userShell();
      await sh(line, shell);
      const project = path.join(shell.cwd, 'my-server');
      expect(existsSync(path.join(project, 'node_modules/.bin/tsc'))).toBe(true);
      expect(existsSync(path.join(project, '.git'))).toBe(true);
      expect(record(project).answers.tool).toBe('summarize');
    },
    timeout: TIMEOUTS.npmCreate,
  },
  'npm ci && npm run generate -- ../my-server --yes': { ranBy: 'test/e2e/readme.test.ts', holding: "'npm ci && npm run generate -- ../my-server --yes'" },
  'npm ci && npm test': { ranBy: '.ci/run', holding: 'npm test -- ' },
  'npm create mcp-sampling-server@latest [directory] -- [options]': {
    run: async (line) => {
      const shell = userShell();
      await sh(line.replace('[directory]', 'proj').replace('[options]', '--tool ask --no-install --no-git'), shell);
      expect(record(path.join(shell.cwd, 'proj')).answers.tool).toBe('ask');
    },
    timeout: TIMEOUTS.npmCreate,
  },
  'pnpm create mcp-sampling-server [directory] [options]': { ranBy: 'test/matrix/create-commands.test.ts', holding: "label: 'pnpm 10'" },
  'yarn create mcp-sampling-server [directory] [options]': { ranBy: 'test/matrix/create-commands.test.ts', holding: "label: 'yarn 1'" },
  'bun create mcp-sampling-server [directory] [options]': { ranBy: 'test/matrix/create-commands.test.ts', holding: "label: 'bun'" },
  'npm create mcp-sampling-server@latest my-server -- --template ./team-template': {
    run: async (line) => {
      const shell = userShell();
      cpSync(exampleTemplate, path.join(shell.cwd, 'team-template'), { recursive: true });
      await sh(line, shell);
      expect(record(path.join(shell.cwd, 'my-server')).template?.name).toBe('acme-mcp-template');
    },
    timeout: TIMEOUTS.npmCreate,
  },
  'npm create mcp-sampling-server@latest my-server -- --template @acme/mcp-team-template@^1': {
    run: async (line) => {
      publishTo(registry.url, exampleTemplate);
      const shell = userShell();
      await sh(line, shell);
      expect(record(path.join(shell.cwd, 'my-server')).template?.name).toBe('acme-mcp-template');
    },
    timeout: TIMEOUTS.npmCreate,
  },
  "npm create mcp-sampling-server@latest my-server -- --template 'git+https://github.com/acme/templates.git#v1::path:mcp'": {
    // GitHub is out of reach here: the same URL shape, on a local repository holding the template under mcp/ at tag v1.
    run: async (line) => {
      const shell = userShell();
      const work = path.join(shell.cwd, 'templates');
      cpSync(exampleTemplate, path.join(work, 'mcp'), { recursive: true });
      const git = (...args: string[]) => execFileSync('git', args, { cwd: work, stdio: 'pipe' });
      git('init', '-q');
      git('add', '.');
      git('-c', 'user.name=ACME', '-c', 'user.email=dev@acme.test', 'commit', '-qm', 'template');
      git('tag', 'v1');
      git('clone', '-q', '--bare', work, path.join(shell.cwd, 'templates.git'));
      await sh(line.replace('git+https://github.com/acme/templates.git', `git+file://${path.join(shell.cwd, 'templates.git')}`), shell);
      expect(record(path.join(shell.cwd, 'my-server')).template?.name).toBe('acme-mcp-template');
    },
    timeout: TIMEOUTS.npmCreate,
  },
  'npm run host-config': { ranBy: 'test/e2e/host-config.test.ts', holding: "['run', 'host-config']" },
  'npm run --silent host-config -- vscode': { ranBy: 'test/e2e/host-config.test.ts', holding: "['run', '--silent', 'host-config', '--', host]" },
  'npm create mcp-sampling-server@latest my-server -- --yes --verify': {
    // Then the next line's verify, on the project this one made.
    run: async (line) => {
      const shell = userShell();
      const created = await sh(line, shell);
      expect(created.output).toContain('✔ verify');
      const verified = await sh('npx create-mcp-sampling-server verify my-server', shell);
      expect(verified.output).toContain('✔ verify: live sampling over stdio');
      expect(verified.output).toMatch(/✔ Verified .*my-server in /);
    },
    timeout: TIMEOUTS.npmCreate + 2 * TIMEOUTS.verify,
  },
  'npx create-mcp-sampling-server verify my-server': { ranBy: 'test/e2e/readme-commands.test.ts', holding: "sh('npx create-mcp-sampling-server verify my-server', shell)" },
  // In a committed project made by the published generator: already up to date, so each of these succeeds.
  'npx create-mcp-sampling-server@latest update --check': { run: async (line) => void (await inProject(line, ['--yes'], 'up to date')), timeout: TIMEOUTS.npmCreate },
  'npx create-mcp-sampling-server@latest update --dry-run': { run: async (line) => void (await inProject(line, ['--yes'], 'Nothing to change')), timeout: TIMEOUTS.npmCreate },
  'npx create-mcp-sampling-server@latest update': { run: async (line) => void (await inProject(line, ['--yes'], 'Nothing to change')), timeout: TIMEOUTS.npmCreate },
  'npx create-mcp-sampling-server@latest update --sdk v2': {
    run: async (line) => {
      const project = await inProject(line, ['--yes', '--sdk', 'v1'], 'merged with your changes');
      expect(record(project).answers.sdk).toBe('v2');
    },
    timeout: TIMEOUTS.npmCreate,
  },
  'npx create-mcp-sampling-server add tool translate --tool summarize': {
    run: async (line) => {
      const project = await inProject(line, ['--yes'], 'src/tools/translate.ts');
      expect(existsSync(path.join(project, 'test/translate.test.ts'))).toBe(true);
    },
    timeout: TIMEOUTS.npmCreate,
  },
};

/**
 * Makes a project with the published generator (its record, a first commit, no install), makes a change of
 * the user's own, which every command must keep, then runs `line` in it; the output must contain `expected`.
 */
async function inProject(line: string, createArgs: string[], expected: string): Promise<string> {
  const shell = userShell();
  await sh(`npm create mcp-sampling-server@${registry.generatorVersion} my-server -- ${createArgs.join(' ')} --no-install`, shell);
  const project = path.join(shell.cwd, 'my-server');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=t@example.com', ...args], { cwd: project });
  writeFileSync(path.join(project, 'src/server.ts'), `${readFileSync(path.join(project, 'src/server.ts'), 'utf8')}\n// Ours.\n`);
  git('commit', '-qam', 'ours');
  const run = await sh(line, { ...shell, cwd: project });
  expect(run.output).toContain(expected);
  expect(readFileSync(path.join(project, 'src/server.ts'), 'utf8')).toContain('// Ours.');
  return project;
}

describe("README.md's commands", () => {
  const commands = readmeCommands();

  it('are each known here: run below, or run as written by the file named', () => {
    expect(commands.filter((command) => !(command in RUNNERS))).toEqual([]);
    expect(Object.keys(RUNNERS).filter((command) => !commands.includes(command))).toEqual([]);
    for (const [command, runner] of Object.entries(RUNNERS)) {
      if ('ranBy' in runner) expect(readFileSync(path.join(repoRoot, runner.ranBy), 'utf8'), `${command} (${runner.ranBy})`).toContain(runner.holding);
    }
  });

  for (const [command, runner] of Object.entries(RUNNERS)) {
    if ('run' in runner) it.concurrent(`runs: ${command}`, () => runner.run(command), runner.timeout);
  }
});
