/**
 * `npm create`, `pnpm create`, `yarn create` (yarn 1 and yarn 4) and `bun create`, each the real package
 * manager running the generator from the local registry, as README.md writes the commands: the project is
 * made for that manager (detected, not passed), installed by it, and proven by --verify with it. Each runs
 * as from a shell, without the npm_* variables `npm test` gives this process (bun keeps a user agent it
 * finds, so an inherited npm one would hide it), and with every cache and global folder of its own: each
 * build of this checkout is version 0.1.0, so a cache from an earlier run would hold another build under the
 * same name, and yarn 1's create installs globally.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';
import { registryEnv } from '../helpers/registry.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const registry = inject('registry');
// The registry serves only the version under test, so the unpinned name the README uses resolves to it.
const spec = 'mcp-sampling-server';
const fromShell = {
  ...Object.fromEntries(Object.keys(process.env).filter((key) => /^npm_/i.test(key)).map((key) => [key, undefined])),
  // npx keeps what it ran by name and version, and every build of this checkout is 0.1.0: a cache of this
  // file's own makes `npx create-mcp-sampling-server@0.1.0` run this build, not one from an earlier run.
  npm_config_cache: scratch('cmss-npm-cache-'),
  // These machines' ~/.npmrc says yes=false, which cancels any npx download; a user is asked instead.
  npm_config_yes: 'true',
};
const onPath = (bin: string) => ({ PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH}` });

interface Case {
  label: string;
  pm: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  lockfile: string;
}

const options = ['--tool', 'ask', '--transport', 'both', '--no-git', '--verify'];
const CASES: Case[] = [
  { label: 'npm', pm: 'npm', command: 'npm', args: ['create', `${spec}@latest`, 'proj', '--', ...options], env: registryEnv(registry.url), lockfile: 'package-lock.json' },
  {
    label: 'pnpm 10',
    pm: 'pnpm',
    command: toolBin('package-managers', 'pnpm'),
    args: ['create', spec, 'proj', ...options],
    // pnpm create runs pnpm dlx, which keeps what it ran in its cache folder.
    env: { ...registryEnv(registry.url), ...onPath(toolBin('package-managers', 'pnpm')), npm_config_cache_dir: scratch('cmss-pnpm-cache-') },
    lockfile: 'pnpm-lock.yaml',
  },
  {
    label: 'yarn 1',
    pm: 'yarn',
    command: toolBin('package-managers', 'yarn'),
    args: ['create', spec, 'proj', ...options],
    // yarn 1 hands its own registry setting to what it runs; YARN_REGISTRY makes that setting the local registry.
    env: {
      ...registryEnv(registry.url),
      YARN_REGISTRY: registry.url,
      ...onPath(toolBin('package-managers', 'yarn')),
      // yarn 1's create is a global install: keep it, and its cache, out of the machine's own.
      YARN_GLOBAL_FOLDER: scratch('cmss-yarn1-global-'),
      YARN_PREFIX: scratch('cmss-yarn1-prefix-'),
      YARN_CACHE_FOLDER: scratch('cmss-yarn1-cache-'),
    },
    lockfile: 'yarn.lock',
  },
  {
    label: 'yarn 4',
    pm: 'yarn',
    command: toolBin('yarn-4', 'yarn'),
    args: ['create', spec, 'proj', ...options],
    env: {
      ...registryEnv(registry.url),
      ...onPath(toolBin('yarn-4', 'yarn')),
      YARN_NPM_REGISTRY_SERVER: registry.url.replace(/\/$/, ''),
      YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
      YARN_ENABLE_TELEMETRY: '0',
      // Yarn 4 holds back versions published in the last days; this one was published a moment ago.
      YARN_NPM_MINIMAL_AGE_GATE: '0',
      // Its metadata cache would remember the tarball URLs of an earlier run's registry, on another port.
      YARN_GLOBAL_FOLDER: scratch('cmss-yarn-global-'),
    },
    lockfile: 'yarn.lock',
  },
  {
    label: 'bun',
    pm: 'bun',
    command: toolBin('bun', 'bun'),
    args: ['create', spec, 'proj', ...options],
    env: {
      ...onPath(toolBin('bun', 'bun')),
      NPM_CONFIG_REGISTRY: registry.url,
      // bunx keeps what it ran under TMPDIR by name and version, and its packages in its own cache.
      TMPDIR: scratch('cmss-bun-tmp-'),
      BUN_INSTALL_CACHE_DIR: scratch('cmss-bun-cache-'),
    },
    lockfile: 'bun.lock',
  },
];

describe('the package managers create commands', () => {
  it.concurrent.each(CASES.map((c) => [c.label, c] as const))(
    '%s: its create command makes, installs and verifies a project for itself; its replay command makes it again',
    async (_, { pm, command, args, env, lockfile }) => {
      const cwd = scratch(`cmss-create-${pm}-`);
      const run = await runCommand(command, args, { cwd, env: { ...fromShell, ...env } });
      expect(run.code, run.output).toBe(0);
      const project = path.join(cwd, 'proj');
      const record = JSON.parse(readFileSync(path.join(project, '.create-mcp-sampling-server.json'), 'utf8')) as { answers: { pm: string } };
      expect(record.answers.pm).toBe(pm);
      expect(existsSync(path.join(project, lockfile)), run.output).toBe(true);
      expect(run.output).toContain('✔ verify');

      // The replay command it printed, run as printed (without installing again): the same answers.
      const lines = run.stdout.split('\n');
      const replay = lines[lines.indexOf('Make the same project again (e.g. in CI) from its record:') + 1]!.trim();
      expect(replay).toMatch(pm === 'yarn' ? /^npx create-mcp-sampling-server@\S+ <new-folder> --from / : new RegExp(`^${pm} create mcp-sampling-server@\\S+ <new-folder> `));
      const again = await runCommand('sh', ['-c', `${replay.replace('<new-folder>', 'again')} --no-install`], { cwd, env: { ...fromShell, ...env } });
      expect(again.code, again.output).toBe(0);
      const answersOf = (folder: string) =>
        (JSON.parse(readFileSync(path.join(cwd, folder, '.create-mcp-sampling-server.json'), 'utf8')) as { answers: Record<string, unknown> }).answers;
      expect({ ...answersOf('again'), install: true }).toEqual(answersOf('proj'));
    },
    TIMEOUTS.toolchain,
  );
});
