/** Creates a git repository with a first commit. Any git problem is a warning: the project is already complete. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export type GitOutcome =
  | { status: 'committed' }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string };

async function git(args: readonly string[], cwd: string) {
  const { execa } = await import('execa');
  return execa('git', args, { cwd, reject: false, stdin: 'ignore', all: true });
}

/** Whether `dir` (which may not exist yet) would be inside a git work tree: a `.git` in it or above it. */
export function insideGitWorkTree(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return true;
    if (path.dirname(current) === current) return false;
  }
}

/**
 * In a folder the generator created, the first commit takes everything (.gitignore keeps node_modules out).
 * In a folder that existed, only the generated files and the lockfile are committed: the user's own
 * files are theirs to add.
 */
export async function initGit(projectDir: string, generatedFiles: readonly string[] | 'all', version: string): Promise<GitOutcome> {
  const probe = await git(['--version'], projectDir);
  if (probe.exitCode !== 0) return { status: 'skipped', reason: 'git is not installed' };
  const inside = await git(['rev-parse', '--is-inside-work-tree'], projectDir);
  if (inside.exitCode === 0 && inside.stdout.trim() === 'true') {
    return { status: 'skipped', reason: 'the folder is already inside a git work tree' };
  }

  const init = await git(['init', '-q'], projectDir);
  if (init.exitCode !== 0) return { status: 'failed', reason: `git init failed: ${init.all.trim()}` };
  const lockfiles = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'].filter((lock) =>
    existsSync(path.join(projectDir, lock)),
  );
  const add = await git(generatedFiles === 'all' ? ['add', '-A'] : ['add', '--', ...generatedFiles, ...lockfiles], projectDir);
  if (add.exitCode !== 0) return { status: 'failed', reason: `git add failed: ${add.all.trim()}` };
  const commit = await git(['commit', '-q', '-m', `Initial commit from create-mcp-sampling-server ${version}`], projectDir);
  if (commit.exitCode !== 0) {
    const identity = /user\.(name|email)|Please tell me who you are/i.test(commit.all);
    return {
      status: 'failed',
      reason: identity
        ? 'the repository was created but not committed: git has no user.name/user.email here. Set them and run git commit.'
        : `git commit failed: ${commit.all.trim()}`,
    };
  }
  return { status: 'committed' };
}

/**
 * The files under `dir` with changes git has not committed (untracked ones included), or undefined when
 * `dir` is not in a git work tree (or is ignored by it) or git cannot say.
 */
export async function uncommittedChanges(dir: string): Promise<string[] | undefined> {
  if (!insideGitWorkTree(dir)) return undefined;
  const { execa } = await import('execa');
  // A folder the repository ignores is not held by git at all: nothing there could be undone from it.
  if ((await execa('git', ['check-ignore', '-q', '.'], { cwd: dir, reject: false })).exitCode === 0) return undefined;
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=all', '--', '.'], { cwd: dir, reject: false });
  if (status.exitCode !== 0) return undefined;
  return status.stdout.split('\n').filter(Boolean).map((line) => line.slice(3));
}
