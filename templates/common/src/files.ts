import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';

import type { Config } from './config.js';
import { listClientRoots } from './sampling/protocol.js';
import type { McpServer, ToolContext } from './sdk.js';
{{#if http}}
import { callerIsLocal } from './transports/identity.js';
{{/if}}

export type FileProblem = 'no_folders' | 'unavailable' | 'protected' | 'not_a_file' | 'binary' | 'too_large' | 'unreadable';

/** A file the tool may not or cannot read; the message is written for the user and never holds a system error's text. */
export class FileAccessError extends Error {
  constructor(readonly problem: FileProblem, message: string, readonly bytes?: number) {
    super(message);
    this.name = 'FileAccessError';
  }
}

/**
 * Names that often hold secrets: a file or folder matching one is never read, unless
 * ALLOWED_PROTECTED_FILES names the pattern. `*` matches within one name; case is ignored (`.ENV`).
 */
export const PROTECTED_FILES = [
  '.env', '.env.*', '*.env', '.envrc', '*.pem', '*.key', '*.p12', '*.pfx', '*.jks', '*.keystore', 'id_*', '*.ppk',
  '.ssh', '.aws', '.azure', '.gcloud', '.kube', '.docker', '.gnupg', '.git', '.password-store', '.npmrc', '.yarnrc.yml',
  '.pypirc', '.netrc', '.pgpass', '.git-credentials', '.htpasswd', 'credentials', 'credentials.*', 'secrets.*', '*.tfstate', '*.tfvars',
];

/** Where one call may read (see fileAccessFor), and who allowed it. */
export class FileAccess {
  constructor(readonly roots: string[], readonly allowedBy: string, private readonly allowedProtected: string[] = []) {}

  /**
   * The real path of `requested` (relative to the first root), if it exists inside a root and is not
   * protected. Missing and outside paths get the same answer, so nothing can be learnt about the disk.
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

/**
 * ALLOWED_ROOTS when set; otherwise a 2025-era client's roots (the folders opened in that host){{#if http}} if the client
 * is on this machine{{/if}}; otherwise nothing. Never the working folder: a host may start the server in `/` or in the home folder.
 */
export async function fileAccessFor(config: Config, server: McpServer, ctx: ToolContext): Promise<FileAccess> {
  if (config.allowedRoots !== undefined) return new FileAccess(config.allowedRoots, 'ALLOWED_ROOTS', config.allowedProtectedFiles);
{{#if http}}
  // The roots a caller on another machine declares are folders on its own disk: they allow nothing here.
  if (!callerIsLocal()) {
    throw new FileAccessError('no_folders', 'Over HTTP this server reads files only in the folders ALLOWED_ROOTS names, and it names none: a remote caller\'s roots are folders on its own disk.');
  }
{{/if}}
  const clientRoots = await listClientRoots(server, ctx);
  if (clientRoots?.length) return new FileAccess(clientRoots, "the client's roots", config.allowedProtectedFiles);
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
 * Reads a UTF-8 text file of at most `maxBytes`. Opening without blocking, then checking what was opened,
 * refuses a FIFO or a device (`/dev/zero`) instead of waiting on it or reading it forever.
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

/** A system error as the user should read it, never with Node's own text. */
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
