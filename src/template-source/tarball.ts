/**
 * Unpacks an npm package tarball (gzip'd tar). Written here rather than by running `tar` or adding a
 * dependency because a template tarball is untrusted input and only a small part of tar is needed: this
 * creates nothing but regular files and folders, checks every name before writing anything, refuses links
 * and devices outright (npm pack never produces them), and works the same on every platform.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../errors.js';
import { relativePathProblem } from './safe-path.js';

const BLOCK = 512;
/** Templates are a few kB; these limits only stop a hostile archive from filling memory or disk. */
export const MAX_UNPACKED_BYTES = 20 * 1024 * 1024;
const MAX_ENTRIES = 5000;

export interface TarEntry {
  /** Path inside the package, without npm's top-level folder (`package/`). */
  readonly path: string;
  readonly type: 'file' | 'folder';
  readonly content: Buffer;
}

function text(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number): number {
  const field = text(block, offset, length).trim();
  return field === '' ? 0 : parseInt(field, 8);
}

/** `<length> <key>=<value>\n` records of a pax header (lengths in bytes); only `path` matters here. */
function paxPath(data: Buffer): string | undefined {
  let found: string | undefined;
  for (let position = 0; position < data.length; ) {
    const space = data.indexOf(0x20, position);
    const length = space === -1 ? NaN : Number(data.subarray(position, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= space - position) break;
    const record = data.subarray(space + 1, position + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (record.slice(0, equals) === 'path') found = record.slice(equals + 1);
    position += length;
  }
  return found;
}

/** Reads every entry of a .tgz, refusing anything that is not a file or folder with a plain relative name. */
export function readTarball(gzipped: Buffer, label: string): TarEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(gzipped, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    throw new UsageError(`${label} is not a gzip-compressed tarball (or unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB): ${(error as Error).message}`);
  }
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (data.length !== size) throw new UsageError(`${label} is truncated`);

    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = text(data, 0, data.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;

    // npm packs everything under one top-level folder (`package/`); what is inside it is the package.
    const inside = name.replace(/\/+$/, '').split('/').slice(1).join('/');
    if (inside === '') continue;
    const problem = relativePathProblem(inside);
    if (problem) throw new UsageError(`${label}: the entry ${JSON.stringify(name)} ${problem}`);
    if (type === '5') entries.push({ path: inside, type: 'folder', content: Buffer.alloc(0) });
    else if (type === '0' || type === '\0' || type === '7') entries.push({ path: inside, type: 'file', content: Buffer.from(data) });
    else {
      const kind = type === '1' || type === '2' ? 'a link' : 'a device, FIFO or other special file';
      throw new UsageError(`${label}: the entry ${JSON.stringify(name)} is ${kind}; a template tarball may hold only files and folders`);
    }
    if (entries.length > MAX_ENTRIES) throw new UsageError(`${label} has more than ${MAX_ENTRIES} entries; that is not a template`);
  }
  return entries;
}

/** Unpacks a .tgz into `dest` (an empty folder the caller made); everything is checked before anything is written. */
export function extractTarball(file: string, dest: string, label = file): void {
  const entries = readTarball(readFileSync(file), label);
  for (const entry of entries) {
    const target = path.join(dest, ...entry.path.split('/'));
    if (entry.type === 'folder') mkdirSync(target, { recursive: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, entry.content);
    }
  }
}
