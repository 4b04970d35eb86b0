/**
 * Gets a template onto the local disk. Folders are used where they are; tarballs are unpacked by
 * ./tarball.ts; npm packages are fetched with `npm pack` (so the user's registry, scopes and auth in
 * .npmrc apply) and git repositories with the user's own git (so its credential helpers apply). Nothing
 * fetched is ever run: `npm pack` gets --ignore-scripts and git only fetches and checks out.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StepError, UsageError } from '../errors.js';
import { tail } from '../setup/install.js';
import { extractTarball } from './tarball.js';
import { formatGitSource, parseSource, REGISTRY_SPEC } from './spec.js';

export interface FetchedTemplate {
  /** The folder holding template.json. */
  readonly root: string;
  /** The source that fetches exactly this template again: a pinned npm version, a commit, an absolute path. */
  readonly pinned: string;
  /** Names a template file in messages; for fetched templates the temporary folder would mean nothing. */
  readonly label: (file: string) => string;
  /** Removes any temporary folder; the template must be fully read before this. */
  readonly cleanup: () => void;
}


async function run(command: string, args: readonly string[], cwd: string) {
  const { execa } = await import('execa');
  // Without a terminal, a credential prompt would wait forever; git then fails with a message instead.
  const env = process.stdin.isTTY ? {} : { GIT_TERMINAL_PROMPT: '0' };
  return execa(command, args, { cwd, reject: false, all: true, stdin: process.stdin.isTTY ? 'inherit' : 'ignore', env });
}

/** A failed npm or git run, said as the user can act on it: the tool is not installed, or what to check. */
function fetchFailure(label: string, result: Awaited<ReturnType<typeof run>>, tool: 'npm' | 'git', neededFor: string, whatToCheck: string): StepError {
  const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return new StepError(
    missing ? `--template ${label}: ${tool} was not found on PATH; it is needed to fetch templates from ${neededFor}` : `--template ${label}: ${whatToCheck}`,
    missing ? undefined : tail(result.all ?? ''),
  );
}

function temporaryFolder(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'create-mcp-sampling-server-template-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

async function fetchNpm(spec: string, label: string): Promise<FetchedTemplate> {
  const temp = temporaryFolder();
  try {
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--loglevel=error', '--pack-destination', temp.dir, '--', spec], temp.dir);
    if (packed.exitCode !== 0) {
      throw fetchFailure(
        label,
        packed,
        'npm',
        'a registry',
        `npm pack could not fetch it (exit code ${packed.exitCode}). Check the name and version, and the registry and auth settings in your .npmrc`,
      );
    }
    const [info] = JSON.parse(packed.stdout) as [{ name: string; version: string; filename: string }];
    const unpacked = path.join(temp.dir, 'package');
    mkdirSync(unpacked);
    await extractTarball(path.join(temp.dir, path.basename(info.filename)), unpacked, `the npm package ${spec}`);
    const pinned = REGISTRY_SPEC.test(spec) ? `${info.name}@${info.version}` : spec;
    return { root: unpacked, pinned, label: (file) => `${file} (in ${pinned})`, cleanup: temp.cleanup };
  } catch (error) {
    temp.cleanup();
    throw error;
  }
}

async function fetchGit(url: string, ref: string | undefined, subdir: string | undefined, label: string): Promise<FetchedTemplate> {
  const temp = temporaryFolder();
  try {
    const repo = path.join(temp.dir, 'repo');
    mkdirSync(repo);
    // init + fetch one commit works the same for a branch, a tag or a commit id (a shallow clone takes no commit).
    const steps = [
      ['init', '-q'],
      ['fetch', '-q', '--depth', '1', '--no-tags', '--', url, ref ?? 'HEAD'],
      ['-c', 'advice.detachedHead=false', 'checkout', '-q', 'FETCH_HEAD'],
    ];
    for (const args of steps) {
      const result = await run('git', args, repo);
      if (result.exitCode === 0) continue;
      const step = args.find((arg) => !arg.startsWith('-'));
      throw fetchFailure(label, result, 'git', 'a repository', `git ${step} failed. Check the URL${ref ? ` and that "${ref}" exists` : ''}, and your access to the repository`);
    }
    const commit = (await run('git', ['rev-parse', 'HEAD'], repo)).stdout.trim();
    const root = subdir ? path.join(repo, ...subdir.split('/')) : repo;
    if (!statOrUndefined(root)?.isDirectory()) throw new UsageError(`--template ${label}: the repository has no folder ${subdir}`);
    // The sub-folder (or a folder on the way to it) may be a link the repository holds: it must stay inside.
    const realRepo = realpathSync(repo);
    const realRoot = realpathSync(root);
    if (path.relative(realRepo, realRoot).startsWith('..') || path.isAbsolute(path.relative(realRepo, realRoot))) {
      throw new UsageError(`--template ${label}: the folder ${subdir} is a link to ${realRoot}, outside the repository; a template must be inside it`);
    }
    const pinned = formatGitSource(url, commit, subdir);
    return { root, pinned, label: (file) => `${file} (in ${pinned})`, cleanup: temp.cleanup };
  } catch (error) {
    temp.cleanup();
    throw error;
  }
}

export async function fetchTemplate(text: string, cwd: string): Promise<FetchedTemplate> {
  const parsed = parseSource(text, cwd);
  if (!parsed.ok) throw new UsageError(`--template ${JSON.stringify(text)}: ${parsed.problem}`);
  const source = parsed.source;
  switch (source.kind) {
    case 'local': {
      const stats = statOrUndefined(source.path);
      if (!stats) throw new UsageError(`--template ${text}: ${source.path} does not exist`);
      if (stats.isDirectory()) return { root: source.path, pinned: source.path, label: (file) => path.join(source.path, file), cleanup: () => {} };
      const temp = temporaryFolder();
      try {
        await extractTarball(source.path, temp.dir);
      } catch (error) {
        temp.cleanup();
        throw error;
      }
      return { root: temp.dir, pinned: source.path, label: (file) => `${file} (in ${source.path})`, cleanup: temp.cleanup };
    }
    case 'npm':
      return fetchNpm(source.spec, text);
    case 'git':
      return fetchGit(source.url, source.ref, source.subdir, text);
  }
}
