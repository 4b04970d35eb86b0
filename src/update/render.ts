/**
 * A project as some generator version makes it from a record: that version's own command is run with
 * --from into a temporary folder (nothing installed, no git), and the files are read back. The running
 * version renders the new side; an older one is fetched from the registry once and kept in a cache.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StepError, UsageError } from '../errors.js';
import { generatorBin } from '../paths.js';
import { fetchTemplate } from '../template-source/fetch.js';
import { RECORD_FILE } from '../template-source/record.js';
import { GENERATOR_NAME, GENERATOR_VERSION, RENDER_ONLY } from '../version.js';

/** Project files by path (`/`-separated), as text. */
export type ProjectFiles = ReadonlyMap<string, string>;

/** Every file below `root` by relative path, skipping `.git`. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(path.join(dir, entry.name), relative);
      } else if (entry.isFile()) {
        files.set(relative, readFileSync(path.join(dir, entry.name), 'utf8'));
      }
    }
  };
  walk(root, '');
  return files;
}

/** Where fetched generator versions are kept: the user's cache folder, as npm and others use it. */
export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, GENERATOR_NAME, 'generators');
}

/**
 * The command of generator `version`: this one, or that version from the registry (npm's settings apply),
 * unpacked once into the cache. It sits in a node_modules folder there, so the projects it renders name
 * the generator by its version, as a project made with `npm create` does.
 */
export async function generatorOf(version: string): Promise<string> {
  if (version === GENERATOR_VERSION) return generatorBin;
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new UsageError(`${RECORD_FILE} names generator version ${JSON.stringify(version)}, which is not a version. Restore the file from git.`);
  }
  const home = path.join(cacheRoot(), version);
  const packageDir = path.join(home, 'node_modules', GENERATOR_NAME);
  const bin = path.join(packageDir, 'bin', `${GENERATOR_NAME}.cjs`);
  if (existsSync(bin)) return bin;
  const fetched = await fetchTemplate(`${GENERATOR_NAME}@${version}`, process.cwd()).catch((error: unknown) => {
    throw new StepError(
      `Could not fetch ${GENERATOR_NAME}@${version}, the version that made this project, to see what it generated: ` +
        `${(error as Error).message.replace(/^--template \S+: /, '')}`,
    );
  });
  try {
    // Copied beside its final place and renamed, so a run killed half-way never leaves a partial copy in use.
    mkdirSync(path.dirname(packageDir), { recursive: true });
    const staging = mkdtempSync(path.join(path.dirname(packageDir), '.staging-'));
    cpSync(fetched.root, staging, { recursive: true });
    try {
      renameSync(staging, packageDir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      // Another run put the same version there first.
      if (!existsSync(bin)) throw error;
    }
  } finally {
    fetched.cleanup();
  }
  return bin;
}

/**
 * What a generator warns about on its way (an answer the record has that is no longer an option) reaches
 * the user; the warnings every update expects (a record from another version, a template that changed since)
 * do not.
 */
const EXPECTED_WARNINGS = [/was written by create-mcp-sampling-server \S+; this is/, /has changed since .* was written/];

/**
 * Runs generator `bin` with `--from record` and `args` into a temporary folder, and returns the project.
 * Its usage errors (a bad --sdk) are this command's, naming the record as `shownAs` (the project's record,
 * not a temporary copy); any other failure is a step that failed.
 */
export async function renderWith(
  bin: string,
  record: { readonly file: string; readonly shownAs: string },
  args: readonly string[],
  label: string,
  warn: (text: string) => void = () => {},
): Promise<ProjectFiles> {
  const { execa } = await import('execa');
  const temp = mkdtempSync(path.join(os.tmpdir(), 'cmss-update-'));
  try {
    const target = path.join(temp, 'project');
    const result = await execa(process.execPath, [bin, target, '--from', record.file, ...args, '--yes'], {
      reject: false,
      stdin: 'ignore',
      all: true,
      env: { NO_COLOR: '1', [RENDER_ONLY]: '1' },
    });
    if (result.exitCode !== 0) {
      if (result.exitCode === 2) {
        const message = /^error (.*)$/m.exec(result.stderr)?.[1] ?? result.stderr.trim();
        throw new UsageError(message.replaceAll(`--from ${record.file}`, record.shownAs));
      }
      throw new StepError(`Could not render ${label}: the generator exited with code ${result.exitCode}.`, result.all.slice(-2000));
    }
    for (const [, warning] of result.stderr.matchAll(/^warning (.*)$/gm)) {
      if (!EXPECTED_WARNINGS.some((expected) => expected.test(warning!))) warn(`${label}: ${warning}`);
    }
    return readTree(target);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
