import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type FileProblem = 'outside_roots' | 'not_found' | 'not_a_file' | 'not_a_directory' | 'binary' | 'too_large';

/** A file the tool may not or cannot read; the message is written for the user. */
export class FileAccessError extends Error {
  constructor(
    readonly problem: FileProblem,
    message: string,
    readonly bytes?: number,
  ) {
    super(message);
    this.name = 'FileAccessError';
  }
}

/**
 * Resolves `requested` (relative paths against the first allowed root) and checks that it lies
 * inside an allowed root. Symlinks are resolved first, so a link cannot point outside the roots.
 */
export async function resolveAllowedPath(requested: string, allowedRoots: string[]): Promise<string> {
  const [firstRoot = process.cwd()] = allowedRoots;
  const resolved = await realpath(path.resolve(firstRoot, requested)).catch(() => {
    throw new FileAccessError('not_found', `Not found: ${requested}`);
  });
  for (const root of allowedRoots) {
    const realRoot = await realpath(root).catch(() => undefined);
    if (realRoot !== undefined && isInside(realRoot, resolved)) return resolved;
  }
  throw new FileAccessError(
    'outside_roots',
    `${requested} is outside the directories this server may read. Allowed: ${allowedRoots.join(', ')} (ALLOWED_ROOTS).`,
  );
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Bytes inspected to tell text from binary: a NUL byte in them means binary, as git decides it. */
const BINARY_SNIFF_BYTES = 8000;

export function looksBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Reads a UTF-8 text file of at most `maxBytes`, refusing binaries and anything larger. */
export async function readTextFile(file: string, maxBytes: number): Promise<string> {
  const info = await stat(file);
  if (!info.isFile()) throw new FileAccessError('not_a_file', `Not a regular file: ${file}`);
  if (info.size > maxBytes) {
    throw new FileAccessError('too_large', `${file} is ${info.size} bytes, over the limit of ${maxBytes}`, info.size);
  }
  // Read at most maxBytes + 1 even if the file grew since stat, so the cap holds.
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) {
      throw new FileAccessError('too_large', `${file} is over the limit of ${maxBytes} bytes`, bytesRead);
    }
    const content = buffer.subarray(0, bytesRead);
    if (looksBinary(content)) throw new FileAccessError('binary', `${file} looks like a binary file`);
    return content.toString('utf8');
  } finally {
    await handle.close();
  }
}
