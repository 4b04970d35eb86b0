/**
 * Writes a plan so that a crash, a kill or Ctrl-C leaves either nothing or the whole project:
 * files are first written to a staging folder on the same file system, then renamed into place.
 * Everything here is synchronous on purpose: Node delivers SIGINT/SIGTERM only between ticks, so a
 * signal can never land half-way through the move.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readlinkSync, renameSync, rmdirSync, rmSync, symlinkSync, unlinkSync, lstatSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';
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

function failure(target: string, error: unknown): StepError {
  return new StepError(
    `Could not write the project to ${target}: ${(error as Error).message}. Nothing was left behind; ` +
      'fix the cause (permissions, disk space) and run the same command again.',
  );
}

function writeNew(plan: WritePlan): WriteResult {
  let createdParents: string[] = [];
  let stagingDir: string | undefined;
  try {
    createdParents = makeDirs(path.dirname(plan.target));
    stagingDir = mkdtempSync(path.join(path.dirname(plan.target), `.${path.basename(plan.target)}.staging-`));
    stageFiles(stagingDir, plan);
    renameSync(stagingDir, plan.target);
  } catch (error) {
    if (stagingDir) rmSync(stagingDir, { recursive: true, force: true });
    removeEmptyDirs(createdParents);
    throw failure(plan.target, error);
  }
  return { written: plan.files.map((file) => file.path), overwritten: [], backupDir: undefined };
}

function writeMerge(plan: WritePlan): WriteResult {
  // Staged inside the target, so every rename stays on one file system even if the target is a mount point.
  const stagingDir = mkdtempSync(path.join(plan.target, '.create-mcp-sampling-server.staging-'));
  const moved: { file: string; backup: string | undefined; createdDirs: string[]; done: boolean }[] = [];
  try {
    stageFiles(stagingDir, plan);
    for (const file of plan.files) {
      const destination = path.join(plan.target, file.path);
      const backup = file.overwrites ? path.join(plan.backupDir!, file.path) : undefined;
      if (backup) backUp(destination, backup);
      const entry = { file: destination, backup, createdDirs: [] as string[], done: false };
      moved.push(entry);
      entry.createdDirs = makeDirs(path.dirname(destination));
      renameSync(path.join(stagingDir, file.path), destination);
      entry.done = true;
    }
  } catch (error) {
    // Undo in reverse: put every replaced file back from its backup and remove every new one.
    for (const { file, backup, createdDirs, done } of moved.reverse()) {
      if (done) {
        if (backup) renameSync(backup, file);
        else unlinkSync(file);
      }
      removeEmptyDirs(createdDirs);
    }
    if (plan.backupDir) rmSync(plan.backupDir, { recursive: true, force: true });
    throw failure(plan.target, error);
  } finally {
    rmSync(stagingDir, { recursive: true, force: true });
  }
  return {
    written: plan.files.map((file) => file.path),
    overwritten: plan.files.filter((file) => file.overwrites).map((file) => file.path),
    backupDir: plan.backupDir,
  };
}

export function writeProject(plan: WritePlan): WriteResult {
  return plan.mode === 'new' ? writeNew(plan) : writeMerge(plan);
}
