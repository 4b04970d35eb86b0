/**
 * Looks at the target folder and decides how the rendered files can be written without losing anything.
 * Read-only: a dry run prints this plan, a real run hands it to write.ts.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { RenderedFile } from '../render/render.js';
import { LOCK_NAME } from './lock.js';

export interface PlannedFile extends RenderedFile {
  readonly bytes: number;
  /** An existing file (or link) at this path is replaced; it is backed up first. */
  readonly overwrites: boolean;
}

export interface WritePlan {
  /** Absolute project folder. */
  readonly target: string;
  /**
   * `new`: the folder does not exist; the project is staged beside it and renamed into place in one step.
   * `merge`: the folder exists (empty, only `.git`, or `--force`); files are staged inside it and moved in one by one.
   */
  readonly mode: 'new' | 'merge';
  readonly files: readonly PlannedFile[];
  /** Absolute backup folder, set when any file is overwritten or removed. */
  readonly backupDir: string | undefined;
  /** Paths to delete, in `merge` mode only (an update removing files the new version no longer has). */
  readonly removals?: readonly string[];
  /**
   * False when git already holds what is replaced (an update of a committed project): the backup then lives in
   * the staging folder, only for undoing a failed write, and goes with it.
   */
  readonly keepBackup?: boolean;
}

const SHOWN_ENTRIES = 10;

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new UsageError(`${file}: part of this path is a file, not a folder. Choose another project folder.`);
    if (code === 'ENAMETOOLONG') throw new UsageError(`${file}: a name in this path is longer than the file system allows. Choose a shorter project folder.`);
    throw error;
  }
}

/** A folder counts as empty when it holds nothing but a `.git` folder (a fresh clone of an empty repository) and our lock. */
export function meaningfulEntries(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => entry !== '.git' && entry !== LOCK_NAME)
    .sort();
}

export const BACKUP_PREFIX = '.create-mcp-sampling-server-backup-';

export function backupFolderName(now: Date): string {
  return `${BACKUP_PREFIX}${now.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Why the project cannot go into this folder, or undefined when it can. Used as the folder question's
 * check (so a terminal user can pick another folder at once) and again when planning the write.
 */
export function targetProblem(targetArg: string, force: boolean): string | undefined {
  const stats = lstatOrUndefined(path.resolve(targetArg));
  if (!stats) return undefined;
  if (!stats.isDirectory()) return 'exists and is not a folder; choose another project folder';
  const entries = force ? [] : meaningfulEntries(path.resolve(targetArg));
  if (entries.length === 0) return undefined;
  const shown = entries.slice(0, SHOWN_ENTRIES).join(', ');
  const more = entries.length > SHOWN_ENTRIES ? ` and ${entries.length - SHOWN_ENTRIES} more` : '';
  return (
    `is not empty (it holds ${shown}${more}). Choose an empty or new folder, ` +
    'or pass --force to write into it: nothing is deleted, and every file it replaces is backed up first ' +
    '(try --dry-run --force to see which)'
  );
}

/**
 * What is at `file` in the project (undefined: nothing), refusing what cannot be written safely: a parent
 * that is a link or a file (writing through a link could land outside the project), or a folder where the
 * file goes.
 */
export function existingFile(target: string, file: string, shownTarget: string, fix = 'Move it away, or choose another project folder.'): Stats | undefined {
  const segments = file.split('/');
  for (let depth = 1; depth < segments.length; depth++) {
    const parent = path.join(target, ...segments.slice(0, depth));
    const parentStats = lstatOrUndefined(parent);
    if (!parentStats) break;
    if (!parentStats.isDirectory()) {
      throw new UsageError(
        `${path.relative(process.cwd(), parent) || parent} is ${parentStats.isSymbolicLink() ? 'a link' : 'a file'}, ` +
          `but the project needs a folder there for ${file}. ${fix}`,
      );
    }
  }
  const existing = lstatOrUndefined(path.join(target, file));
  if (existing?.isDirectory()) {
    throw new UsageError(`${file} is a folder in ${shownTarget}, but the project needs a file there. ${fix}`);
  }
  return existing;
}

export function planWrite(targetArg: string, files: readonly RenderedFile[], force: boolean, now = new Date()): WritePlan {
  const target = path.resolve(targetArg);
  const withSize = (file: RenderedFile, overwrites: boolean): PlannedFile => ({
    ...file,
    bytes: Buffer.byteLength(file.content),
    overwrites,
  });

  // Checked again here: the folder may have changed since the question was answered.
  const problem = targetProblem(targetArg, force);
  if (problem) throw new UsageError(`${targetArg} ${problem}.`);
  if (!lstatOrUndefined(target)) {
    return { target, mode: 'new', files: files.map((file) => withSize(file, false)), backupDir: undefined };
  }

  const planned = files.map((file) => withSize(file, existingFile(target, file.path, targetArg) !== undefined));

  const overwrites = planned.some((file) => file.overwrites);
  return { target, mode: 'merge', files: planned, backupDir: overwrites ? path.join(target, backupFolderName(now)) : undefined };
}
