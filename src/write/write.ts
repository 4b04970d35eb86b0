/**
 * Writes a plan so that a crash, a kill or Ctrl-C leaves either nothing or the whole project:
 * files are first written to a staging folder on the same file system, then renamed into place.
 * Everything here is synchronous on purpose: Node delivers SIGINT/SIGTERM only between ticks, so a
 * signal can never land half-way through the move. A new folder appears in one rename. Into an
 * existing folder files move one by one, so a journal is written first: SIGKILL, which no handler
 * sees, can stop the moves half-way, and the next run into the folder undoes them from the journal.
 */
import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, renameSync, rmdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';
import { removeStaleStaging, STAGING_PREFIX } from './lock.js';
import type { WritePlan } from './plan.js';

export interface WriteResult {
  readonly written: readonly string[];
  readonly overwritten: readonly string[];
  readonly backupDir: string | undefined;
}

/** Creates `dir` and any missing parents, returning the ones it created (outermost first) so they can be undone. */
function makeDirs(dir: string): string[] {
  const created: string[] = [];
  let missing = dir;
  const chain: string[] = [];
  while (true) {
    try {
      lstatSync(missing);
      break;
    } catch {
      chain.unshift(missing);
      const parent = path.dirname(missing);
      if (parent === missing) break;
      missing = parent;
    }
  }
  for (const folder of chain) {
    mkdirSync(folder);
    created.push(folder);
  }
  return created;
}

function removeEmptyDirs(dirs: readonly string[]): void {
  for (const dir of [...dirs].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (something else wrote there) or already gone: leave it.
    }
  }
}

function stageFiles(stagingDir: string, plan: WritePlan): void {
  // Each folder once: most files share one, and every mkdir is a round of system calls.
  const folders = new Set(plan.files.map((file) => path.dirname(path.join(stagingDir, file.path))));
  for (const folder of folders) mkdirSync(folder, { recursive: true });
  for (const file of plan.files) writeFileSync(path.join(stagingDir, file.path), file.content);
}

/** Copies a file, or re-creates a link as a link, so the backup is what the user had. */
function backUp(source: string, backup: string): void {
  mkdirSync(path.dirname(backup), { recursive: true });
  if (lstatSync(source).isSymbolicLink()) symlinkSync(readlinkSync(source), backup);
  else copyFileSync(source, backup);
}

/** What a file-system error code means for the user, where it is one people meet. */
const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'a name in the path is longer than the file system allows',
  ENOTDIR: 'part of the path is a file, not a folder',
};

function failure(target: string, error: unknown): StepError {
  const { code, path: source, dest } = error as NodeJS.ErrnoException & { dest?: string };
  const cause = (code && CAUSES[code]) ?? (error as Error).message;
  // The project file it happened at (a rename's destination), not a staging file of ours.
  const at = path.relative(target, dest ?? source ?? target);
  const file = at && !at.startsWith('..') && !at.includes(STAGING_PREFIX) ? ` (${at})` : '';
  return new StepError(
    `Could not write the project to ${target}: ${cause}${file}. Nothing was left behind; ` +
      'fix the cause (permissions, disk space, a shorter folder name) and run the same command again.',
  );
}

function writeNew(plan: WritePlan): WriteResult {
  let createdParents: string[] = [];
  let stagingDir: string | undefined;
  try {
    createdParents = makeDirs(path.dirname(plan.target));
    stagingDir = mkdtempSync(path.join(path.dirname(plan.target), `.${path.basename(plan.target)}.staging-${process.pid}-`));
    stageFiles(stagingDir, plan);
    renameSync(stagingDir, plan.target);
  } catch (error) {
    if (stagingDir) rmSync(stagingDir, { recursive: true, force: true });
    removeEmptyDirs(createdParents);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw new StepError(`${plan.target} was created by something else while the project was being made. Nothing was written; run the command again.`);
    }
    throw failure(plan.target, error);
  }
  return { written: plan.files.map((file) => file.path), overwritten: [], backupDir: undefined };
}

/**
 * What a merge is about to do, written before the first file moves: a run killed half-way (even with
 * SIGKILL, which no handler sees) is undone from it by the next run into the folder.
 */
interface Journal {
  staging: string;
  backupDir: string | undefined;
  files: { path: string; overwrites: boolean }[];
  /** Files the run deletes (an update); each is backed up first. Absent in journals of generation runs. */
  removals?: string[];
  /** Folders the move creates, outermost first; removed again if empty. */
  newDirs: string[];
}

export const JOURNAL_NAME = '.create-mcp-sampling-server.journal.json';

/** Puts every moved file back (the replaced ones from their backups) and removes what the run added. */
function rollBack(target: string, journal: Journal): void {
  for (const file of journal.removals ?? []) {
    // Removed only after its backup was made: a file still in place, or never backed up, was never removed.
    const destination = path.join(target, file);
    const backup = path.join(target, journal.backupDir!, file);
    if (!lstatSync(destination, { throwIfNoEntry: false }) && lstatSync(backup, { throwIfNoEntry: false })) renameSync(backup, destination);
  }
  for (const file of [...journal.files].reverse()) {
    // A file still in the staging folder never moved: nothing to undo for it.
    if (lstatSync(path.join(target, journal.staging, file.path), { throwIfNoEntry: false })) continue;
    const destination = path.join(target, file.path);
    if (file.overwrites) renameSync(path.join(target, journal.backupDir!, file.path), destination);
    else rmSync(destination, { force: true });
  }
  removeEmptyDirs(journal.newDirs.map((dir) => path.join(target, dir)));
  if (journal.backupDir) rmSync(path.join(target, journal.backupDir), { recursive: true, force: true });
  rmSync(path.join(target, journal.staging), { recursive: true, force: true });
  rmSync(path.join(target, JOURNAL_NAME), { force: true });
}

/**
 * Undoes a merge that a killed run left half-done, and removes staging folders killed runs left
 * behind. Call it holding the folder's lock. Returns what it did, for the summary.
 */
export function recoverInterruptedWrite(target: string): string | undefined {
  const removed = removeStaleStaging(path.dirname(target), `.${path.basename(target)}.staging-`);
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(readFileSync(path.join(target, JOURNAL_NAME), 'utf8')) as Journal;
  } catch {
    journal = undefined;
  }
  if (journal) rollBack(target, journal);
  rmSync(path.join(target, `${JOURNAL_NAME}.tmp`), { force: true });
  removed.push(...removeStaleStaging(target, STAGING_PREFIX));
  if (journal) return 'An earlier run into this folder was interrupted; its changes were undone first.';
  return removed.length > 0 ? `Removed ${removed.length} staging folder(s) left by an interrupted run.` : undefined;
}

/** Whether something is at `file`; a file where a parent folder should be means nothing is (ENOTDIR). */
function pathExists(file: string): boolean {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw failure(path.dirname(file), error);
  }
}

/** Every folder above `files` (relative), outermost first. */
function foldersOf(files: readonly string[]): string[] {
  const folders = new Set(files.flatMap((file) => file.split('/').slice(0, -1).map((_, depth, segments) => segments.slice(0, depth + 1).join('/'))));
  return [...folders].sort((a, b) => a.split('/').length - b.split('/').length);
}

/** Folders below `target` that moving `files` in will create, outermost first. */
function missingDirs(target: string, files: readonly { path: string }[]): string[] {
  const missing = new Set<string>();
  for (const file of files) {
    const segments = file.path.split('/').slice(0, -1);
    for (let depth = 1; depth <= segments.length; depth++) {
      const dir = segments.slice(0, depth).join('/');
      if (!missing.has(dir) && !pathExists(path.join(target, dir))) missing.add(dir);
    }
  }
  return [...missing].sort((a, b) => a.split('/').length - b.split('/').length);
}

function writeMerge(plan: WritePlan): WriteResult {
  // The folder may have changed since it was planned (another run, the user): never replace a file unseen.
  for (const file of plan.files) {
    const exists = pathExists(path.join(plan.target, file.path));
    if (exists !== file.overwrites) {
      throw new StepError(`${file.path} ${exists ? 'appeared in' : 'disappeared from'} ${plan.target} while the project was being made. Nothing was written; run the command again.`);
    }
  }
  // Staged inside the target, so every rename stays on one file system even if the target is a mount point.
  const stagingDir = mkdtempSync(path.join(plan.target, `${STAGING_PREFIX}${process.pid}-`));
  // A name no project file has, so a staged file never lands in the backup.
  const backupDir = plan.backupDir && (plan.keepBackup === false ? path.join(stagingDir, '.create-mcp-sampling-server-backup') : plan.backupDir);
  const journal: Journal = {
    staging: path.basename(stagingDir),
    backupDir: backupDir && path.relative(plan.target, backupDir),
    files: plan.files.map((file) => ({ path: file.path, overwrites: file.overwrites })),
    removals: [...(plan.removals ?? [])],
    newDirs: missingDirs(plan.target, plan.files),
  };
  const journalFile = path.join(plan.target, JOURNAL_NAME);
  // Whether the journal is gone (the write committed, or was undone): until then the staging folder may hold
  // the only copy of a replaced file, which the next run restores from.
  let settled = false;
  try {
    stageFiles(stagingDir, plan);
    // A replaced file keeps its mode (an executable script stays executable).
    for (const file of plan.files) {
      const existing = file.overwrites ? lstatSync(path.join(plan.target, file.path)) : undefined;
      if (existing?.isFile()) chmodSync(path.join(stagingDir, file.path), existing.mode & 0o7777);
    }
    writeFileSync(`${journalFile}.tmp`, JSON.stringify(journal));
    renameSync(`${journalFile}.tmp`, journalFile);
    for (const file of plan.files) {
      if (file.overwrites) backUp(path.join(plan.target, file.path), path.join(backupDir!, file.path));
    }
    for (const file of journal.removals!) backUp(path.join(plan.target, file), path.join(backupDir!, file));
    for (const file of journal.removals!) unlinkSync(path.join(plan.target, file));
    for (const dir of journal.newDirs) mkdirSync(path.join(plan.target, dir));
    for (const file of plan.files) renameSync(path.join(stagingDir, file.path), path.join(plan.target, file.path));
    // The commit point: from here the project is whole.
    unlinkSync(journalFile);
    settled = true;
  } catch (error) {
    rollBack(plan.target, journal);
    settled = true;
    rmSync(`${journalFile}.tmp`, { force: true });
    throw failure(plan.target, error);
  } finally {
    if (settled) rmSync(stagingDir, { recursive: true, force: true });
  }
  // Folders that held only removed files go too (after the commit point: undoing a removal needs its folder).
  removeEmptyDirs(foldersOf(journal.removals!).map((dir) => path.join(plan.target, dir)));
  return {
    written: plan.files.map((file) => file.path),
    overwritten: plan.files.filter((file) => file.overwrites).map((file) => file.path),
    backupDir: plan.keepBackup === false ? undefined : plan.backupDir,
  };
}

export function writeProject(plan: WritePlan): WriteResult {
  return plan.mode === 'new' ? writeNew(plan) : writeMerge(plan);
}
