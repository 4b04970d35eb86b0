import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { FileAccessError, isInside, looksBinary, readTextFile, resolveAllowedPath } from '../src/files.js';

describe('isInside', () => {
  it('accepts the root itself and paths below it', () => {
    expect(isInside('/data', '/data')).toBe(true);
    expect(isInside('/data', '/data/a/b.txt')).toBe(true);
    expect(isInside('/data', '/data/..hidden')).toBe(true);
  });

  it('rejects parents, siblings and prefix look-alikes', () => {
    expect(isInside('/data', '/')).toBe(false);
    expect(isInside('/data', '/data-other/file')).toBe(false);
    expect(isInside('/data', '/data/../etc/passwd')).toBe(false);
  });
});

describe('resolveAllowedPath', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'roots-'));
  const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
  writeFileSync(path.join(root, 'inside.txt'), 'ok');
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));

  it('resolves relative paths against the first root', async () => {
    expect(await resolveAllowedPath('inside.txt', [root])).toMatch(/inside\.txt$/);
  });

  it('refuses paths outside the roots, including through ../ and symlinks', async () => {
    for (const requested of [path.join(outside, 'secret.txt'), '../' + path.basename(outside) + '/secret.txt', 'link.txt']) {
      await expect(resolveAllowedPath(requested, [root])).rejects.toMatchObject({ problem: 'outside_roots' });
    }
  });

  it('reports a missing file as not found', async () => {
    await expect(resolveAllowedPath('missing.txt', [root])).rejects.toBeInstanceOf(FileAccessError);
  });
});

describe('readTextFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'read-'));

  it('refuses files over the cap and binaries', async () => {
    writeFileSync(path.join(dir, 'big.txt'), 'x'.repeat(101));
    writeFileSync(path.join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await expect(readTextFile(path.join(dir, 'big.txt'), 100)).rejects.toMatchObject({ problem: 'too_large', bytes: 101 });
    await expect(readTextFile(path.join(dir, 'image.png'), 100)).rejects.toMatchObject({ problem: 'binary' });
  });

  it('reads a text file within the cap', async () => {
    writeFileSync(path.join(dir, 'small.txt'), 'héllo');
    expect(await readTextFile(path.join(dir, 'small.txt'), 100)).toBe('héllo');
    expect(looksBinary(Buffer.from('plain text'))).toBe(false);
  });
});
