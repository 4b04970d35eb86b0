import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';

import { listClientRoots } from './clientRoots.js';
import type { Config } from './config.js';
import type { McpServer, ToolContext } from './sdk.js';

export type FileProblem = 'no_folders' | 'unavailable' | 'protected' | 'not_a_file' | 'binary' | 'too_large' | 'unreadable';

/** A file the tool may not or cannot read; the message is written for the user and never holds a system error's text. */
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
 * Names that often hold secrets. Whatever folder is allowed, a file or folder matching one of these is
 * never read, unless ALLOWED_PROTECTED_FILES names the pattern (or the file). `*` matches any run of
 * characters within one name, and matching ignores case (case-insensitive disks would otherwise let
 * `.ENV` through).
 */
export const PROTECTED_FILES = [
  '.env', '.env.*', '*.env', '.envrc',
  '*.pem', '*.key', '*.p12', '*.pfx', '*.jks', '*.keystore', 'id_*', '*.ppk',
  '.ssh', '.aws', '.azure', '.gcloud', '.kube', '.docker', '.gnupg', '.git', '.password-store',
  '.npmrc', '.yarnrc.yml', '.pypirc', '.netrc', '.pgpass', '.git-credentials', '.htpasswd',
  'credentials', 'credentials.*', 'secrets.*', '*.tfstate', '*.tfvars',
];

/**
 * Where one call may read, and who allowed it. ALLOWED_ROOTS, when set, is the grant. Otherwise a
 * 2025-era client's declared roots are: the folders the user opened in that host. Without either there
 * is no file access at all; the server's working folder is never a default (a host may start it in `/`
 * or in the home folder).
 */
export class FileAccess {
  constructor(
    readonly roots: string[],
    readonly allowedBy: string,
    private readonly allowedProtected: string[] = [],
  ) {}

  /**
   * The real path of `requested` (relative paths start at the first root), if it exists inside a root and
   * is not protected. A missing path and one outside the roots get the same answer, so the tool cannot
   * be used to learn what exists elsewhere on the disk.
   */
  async resolve(requested: string): Promise<string> {
    const unavailable = new FileAccessError(
      'unavailable',
      `${requested} is not among the files this server may read: it does not exist, or it is outside ` +
        `${this.roots.join(', ')} (allowed by ${this.allowedBy}).`,
    );
    const [firstRoot] = this.roots;
    if (firstRoot === undefined || requested.includes('\0')) throw unavailable;
    const resolved = await realpath(path.resolve(firstRoot, requested)).catch(() => undefined);
    if (resolved === undefined) throw unavailable;
    for (const root of this.roots) {
      const realRoot = await realpath(root).catch(() => undefined);
      if (realRoot === undefined || !isInside(realRoot, resolved)) continue;
      // Both the name asked for and the name a link leads to must be allowed.
      const names = [...path.relative(realRoot, resolved).split(path.sep), ...requested.split(/[\\/]/)];
      const pattern = names.map((name) => this.protectedBy(name)).find((match) => match !== undefined);
      if (pattern !== undefined) throw protectedFile(requested, pattern);
      return resolved;
    }
    throw unavailable;
  }

  /** The protected pattern a file or folder name matches, unless ALLOWED_PROTECTED_FILES allows it. */
  protectedBy(name: string): string | undefined {
    if (name === '' || name === '.' || name === '..') return undefined;
    const pattern = PROTECTED_FILES.find((candidate) => matchesName(candidate, name));
    if (pattern === undefined) return undefined;
    return this.allowedProtected.some((allowed) => allowed === pattern || matchesName(allowed, name)) ? undefined : pattern;
  }
}

/** The folders this call may read (see FileAccess); throws `no_folders` when nothing allows any. */
export async function fileAccessFor(config: Config, server: McpServer, ctx: ToolContext): Promise<FileAccess> {
  if (config.allowedRoots !== undefined) return new FileAccess(config.allowedRoots, 'ALLOWED_ROOTS', config.allowedProtectedFiles);
  const clientRoots = await listClientRoots(server, ctx);
  if (clientRoots !== undefined && clientRoots.length > 0) {
    return new FileAccess(clientRoots, "the client's roots", config.allowedProtectedFiles);
  }
  throw new FileAccessError(
    'no_folders',
    'This server may not read files: no folder is allowed. Set ALLOWED_ROOTS to the folders it may read (see the ' +
      'README, "Settings"); a host that declares roots allows its workspace folders.',
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

/**
 * Reads a UTF-8 text file of at most `maxBytes`, refusing binaries, anything larger and anything that is
 * not a regular file. Opening without blocking and checking the opened file means a FIFO or a device
 * (`/dev/zero`) is refused rather than read forever, even if it replaced a file after a check.
 */
export async function readTextFile(file: string, maxBytes: number, shownAs = file): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw systemError(error, shownAs);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileAccessError('not_a_file', `${shownAs} is not a regular file`);
    if (info.size > maxBytes) {
      throw new FileAccessError('too_large', `${shownAs} is ${info.size} bytes, over the limit of ${maxBytes}`, info.size);
    }
    // Read at most maxBytes + 1 even if the file grew since stat, so the cap holds.
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0).catch((error: unknown) => {
      throw systemError(error, shownAs);
    });
    if (bytesRead > maxBytes) throw new FileAccessError('too_large', `${shownAs} is over the limit of ${maxBytes} bytes`, bytesRead);
    const content = buffer.subarray(0, bytesRead);
    if (looksBinary(content)) throw new FileAccessError('binary', `${shownAs} looks like a binary file`);
    return content.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** A system error as the user should read it: what could not be done, never Node's own text or a path it adds. */
export function systemError(error: unknown, shownAs: string): FileAccessError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EISDIR') return new FileAccessError('not_a_file', `${shownAs} is a folder, not a file`);
  if (code === 'ENOENT') return new FileAccessError('unavailable', `${shownAs} no longer exists`);
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `system error ${code ?? 'unknown'}`;
  return new FileAccessError('unreadable', `${shownAs} could not be read (${why})`);
}

function protectedFile(requested: string, pattern: string): FileAccessError {
  return new FileAccessError(
    'protected',
    `${requested} is protected (it matches ${pattern}): files like it often hold secrets, so this server never ` +
      `sends them to a model. To allow it, add ${pattern} to ALLOWED_PROTECTED_FILES.`,
  );
}

function matchesName(pattern: string, name: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'is').test(name);
}
