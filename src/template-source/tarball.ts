/**
 * Unpacks an npm package tarball (gzip'd tar) with the `tar` package, the one npm itself unpacks with, so
 * every tar dialect npm can produce (pax and GNU long names, old and new headers) reads the same here.
 * A template tarball is untrusted input, so it is read twice: first listed and checked as a whole (only
 * files and folders with plain relative names, limited size), then extracted with `strict` (any warning,
 * such as a path tar itself would sanitise, fails) and a `filter` that admits only files and folders.
 * Nothing is written before the whole archive has passed, and nothing outside `dest`.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UsageError } from '../errors.js';
import { relativePathProblem } from './safe-path.js';

/** Templates are a few kB; these limits only stop a hostile archive from filling memory or disk. */
export const MAX_UNPACKED_BYTES = 20 * 1024 * 1024;
const MAX_ENTRIES = 5000;

/** Entry types a template may hold; tar names them so (`OldFile` is a file with a pre-POSIX header). */
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

type Entry = { readonly path: string; readonly type: string; readonly size?: number | undefined };

/** npm packs everything under one top-level folder (`package/`); what is inside it is the package. */
function insidePackage(entryPath: string): string {
  return entryPath.replace(/\/+$/, '').split('/').slice(1).join('/');
}

/** Why an entry may not be unpacked, or undefined when it is a file or folder with a plain relative name. */
export function entryProblem(entry: Entry): string | undefined {
  const inside = insidePackage(entry.path);
  if (inside !== '') {
    const problem = relativePathProblem(inside);
    if (problem) return problem;
  }
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') return 'is a link; a template tarball may hold only files and folders';
  if (!FILE_TYPES.has(entry.type) && entry.type !== 'Directory') {
    return `is a ${entry.type} entry (a device, FIFO or other special file); a template tarball may hold only files and folders`;
  }
  return undefined;
}

function failure(label: string, error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  return new UsageError(`${label} is not a readable gzip-compressed tarball: ${(error as Error).message}`);
}

/**
 * Decompresses the whole archive as a stream, counting, before tar sees it: tar buffers what it
 * inflates, so a gzip bomb (a few MB that inflate to gigabytes) must be stopped by the byte count
 * rather than by the sizes its headers claim. Headers take at most 1 kB per allowed entry.
 */
async function checkInflatedSize(file: string, label: string): Promise<void> {
  const limit = MAX_UNPACKED_BYTES + MAX_ENTRIES * 1024;
  let inflated = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      done(inflated > limit ? new UsageError(`${label} unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB; that is not a template`) : null);
    },
  });
  try {
    await pipeline(createReadStream(file), createGunzip(), counter);
  } catch (error) {
    throw failure(label, error);
  }
}

/** Unpacks a .tgz into `dest` (an empty folder the caller made and removes on failure). */
export async function extractTarball(file: string, dest: string, label = file): Promise<void> {
  await checkInflatedSize(file, label);
  // Lazy: only --template runs with a tarball need tar, and it is a separate file in the bundle.
  const { list, extract } = await import('tar');
  let entries = 0;
  let bytes = 0;
  // Recorded rather than thrown: an exception inside tar's entry event would not reach this await.
  let refusal: UsageError | undefined;
  try {
    await list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        if (refusal) return;
        const problem = entryProblem(entry);
        entries += 1;
        bytes += entry.size ?? 0;
        if (problem) refusal = new UsageError(`${label}: the entry ${JSON.stringify(entry.path)} ${problem}`);
        else if (entries > MAX_ENTRIES) refusal = new UsageError(`${label} has more than ${MAX_ENTRIES} entries; that is not a template`);
        else if (bytes > MAX_UNPACKED_BYTES) {
          refusal = new UsageError(`${label} unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB; that is not a template`);
        }
      },
    });
  } catch (error) {
    throw failure(label, error);
  }
  if (refusal) throw refusal;
  try {
    await extract({
      file,
      cwd: dest,
      strip: 1,
      strict: true,
      // The default already, stated because it is the guarantee: no absolute paths, no `..`.
      preservePaths: false,
      // Permissions and owners come from someone else's machine; the project gets ordinary files.
      noChmod: true,
      preserveOwner: false,
      filter: (_path, entry) => 'type' in entry && entryProblem(entry as Entry) === undefined,
    });
  } catch (error) {
    throw failure(label, error);
  }
}
