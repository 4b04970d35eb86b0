/**
 * Generated projects for the end-to-end tests, installed once per dependency set. Projects of different
 * tools or names share their dependencies exactly, so each distinct set is installed once (npm, warm cache,
 * --prefer-offline) into .cache/installs/<digest>/ and linked into every project that has it. The tests that
 * are about installing (verify, npm create, the package managers) still install for real.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bin, repoRoot, scratch } from './cli.js';
import { runCommand } from './processes.js';
import { TIMEOUTS } from './timeouts.js';

const INSTALLS = path.join(repoRoot, '.cache/installs');
const INSTALLED_MARK = '.installed';

/** Generates `name` with `args` (never installing), links its shared install, and returns its folder. */
export async function generatedProject(prefix: string, name: string, args: readonly string[]): Promise<string> {
  const work = scratch(prefix);
  const generate = await runCommand(process.execPath, [bin, name, ...args, '--no-install', '--no-git'], { cwd: work });
  if (generate.code !== 0) throw new Error(`generating ${name} ${args.join(' ')} failed:\n${generate.output}`);
  const project = path.join(work, name);
  if (existsSync(path.join(project, 'Dockerfile'))) withoutCheckoutDependency(project);
  await linkSharedInstall(project);
  return project;
}

/**
 * A project made from this checkout depends on it by path (file:), which a Docker build cannot reach, nor `npm ci`
 * from another folder: the Dockerfile replay would fail on it. Projects of a published generator depend on the
 * registry instead; these tests drive the host from the checkout, so the dependency is dropped.
 */
function withoutCheckoutDependency(project: string): void {
  const file = path.join(project, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { devDependencies: Record<string, string> };
  delete manifest.devDependencies['create-mcp-sampling-server'];
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Gives `project` a node_modules holding exactly its package.json's dependencies, installing them at most once. */
export async function linkSharedInstall(project: string): Promise<void> {
  const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  const manifest = { name: 'shared-install', private: true, type: 'module', dependencies, devDependencies };
  const digest = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  const dir = path.join(INSTALLS, digest);
  await withLock(`${dir}.lock`, async () => {
    if (existsSync(path.join(dir, INSTALLED_MARK))) return;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const install = await runCommand('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir });
    if (install.code !== 0) throw new Error(`installing the dependencies of ${project} failed:\n${install.output}`);
    writeFileSync(path.join(dir, INSTALLED_MARK), '');
  });
  symlinkSync(path.join(dir, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  // A Dockerfile installs with `npm ci`, which needs the lockfile: the shared one, under the project's name.
  if (existsSync(path.join(project, 'Dockerfile'))) {
    const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as { name: string; packages: Record<string, { name?: string }> };
    const { name } = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { name: string };
    lock.name = name;
    lock.packages['']!.name = name;
    writeFileSync(path.join(project, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  }
}

/**
 * Runs `task` holding a lock folder, so test files running in parallel workers install a set once. A lock
 * older than an install could take was left by a killed run and is taken over.
 */
async function withLock(lock: string, task: () => Promise<void>): Promise<void> {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > TIMEOUTS.sharedInstall) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await task();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
