/**
 * One run at a time per folder: two runs writing into the same existing folder would mix their files.
 * The lock is a folder (mkdir is atomic) holding the owner's pid, so a lock left by a killed run is
 * recognised and taken over, and the staging folders that run left behind are removed.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';

export const LOCK_NAME = '.create-mcp-sampling-server.lock';

/** Our own temporary entries in a folder, named with the pid of the run that made them. */
export const STAGING_PREFIX = '.create-mcp-sampling-server.staging-';

/** Whether a process with this pid is running (EPERM: it is, but belongs to someone else). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a staging folder's name (`<prefix><pid>-<random>`), if any. */
export function stagingOwner(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const pid = Number(name.slice(prefix.length).split('-')[0]);
  return Number.isInteger(pid) ? pid : undefined;
}

/** Removes staging folders in `dir` whose run is no longer alive; returns their names. */
export function removeStaleStaging(dir: string, prefix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const owner = stagingOwner(name, prefix);
    return owner !== undefined && owner !== process.pid && !isAlive(owner);
  });
  for (const name of stale) rmSync(path.join(dir, name), { recursive: true, force: true });
  return stale;
}

/**
 * Takes the lock of an existing folder, or refuses while another live run holds it. Returns the
 * function that gives it back.
 */
export function lockFolder(folder: string, shownAs: string): () => void {
  const lock = path.join(folder, LOCK_NAME);
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockFailure(shownAs, error);
      const owner = lockOwner(lock);
      if (owner === 'starting' || (isAlive(owner) && owner !== process.pid)) {
        throw new StepError(
          `Another create-mcp-sampling-server run${owner === 'starting' ? '' : ` (pid ${owner})`} is writing into ${shownAs}. Nothing was written; ` +
            'wait for it to finish, then run this command again.',
        );
      }
      // Left by a run that was killed: take it over.
      rmSync(lock, { recursive: true, force: true });
    }
  }
  writeFileSync(path.join(lock, 'pid'), String(process.pid));
  return () => rmSync(lock, { recursive: true, force: true });
}

/** The pid in a lock; `starting` while its owner has made it but not yet written the pid. */
function lockOwner(lock: string): number | 'starting' {
  try {
    return Number(readFileSync(path.join(lock, 'pid'), 'utf8').trim());
  } catch {
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    return age < 10_000 ? 'starting' : Number.NaN;
  }
}

function lockFailure(shownAs: string, error: unknown): StepError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  return new StepError(`Could not take the lock of ${shownAs} (${code}). Nothing was written; check that the folder is writable, then run again.`);
}
