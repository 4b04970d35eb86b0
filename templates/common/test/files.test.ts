import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { FileAccess, FileAccessError, isInside, looksBinary, readTextFile, systemError } from '../src/files.js';

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

describe('FileAccess.resolve', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'roots-'));
  const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
  writeFileSync(path.join(root, 'inside.txt'), 'ok');
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
  for (const dir of ['.ssh', 'config']) mkdirSync(path.join(root, dir));
  for (const name of ['.env', '.env.local', 'server.PEM', 'id_ed25519', '.ssh/config', 'config/.npmrc']) writeFileSync(path.join(root, name), 'TOKEN=x');
  symlinkSync(path.join(root, '.env'), path.join(root, 'innocent.txt'));
  const access = new FileAccess([root], 'ALLOWED_ROOTS');

  it('resolves relative paths against the first root', async () => {
    expect(await access.resolve('inside.txt')).toMatch(/inside\.txt$/);
  });

  it('answers a missing path and a path outside the roots alike, so nothing can be learnt about other folders', async () => {
    const answers = [];
    for (const requested of [path.join(outside, 'secret.txt'), `../${path.basename(outside)}/secret.txt`, 'link.txt', '/etc/passwd', 'missing.txt', path.join(outside, 'missing.txt')]) {
      const error = await access.resolve(requested).catch((caught: unknown) => caught as FileAccessError);
      expect(error).toMatchObject({ problem: 'unavailable' });
      answers.push((error as FileAccessError).message.replace(requested, '<path>'));
    }
    expect(new Set(answers).size).toBe(1);
  });

  it('refuses files that often hold secrets, in any case and through links, and names the way to allow them', async () => {
    for (const requested of ['.env', '.env.local', 'server.PEM', 'id_ed25519', '.ssh/config', 'config/.npmrc', 'innocent.txt']) {
      await expect(access.resolve(requested), requested).rejects.toMatchObject({ problem: 'protected', message: expect.stringContaining('ALLOWED_PROTECTED_FILES') });
    }
  });

  it('reads a protected name that ALLOWED_PROTECTED_FILES allows, and nothing else protected', async () => {
    const allowing = new FileAccess([root], 'ALLOWED_ROOTS', ['.env.*']);
    expect(await allowing.resolve('.env.local')).toMatch(/\.env\.local$/);
    await expect(allowing.resolve('.env')).rejects.toMatchObject({ problem: 'protected' });
  });

  it('allows nothing without a root', async () => {
    await expect(new FileAccess([], 'nothing').resolve('inside.txt')).rejects.toMatchObject({ problem: 'unavailable' });
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

  it('refuses a FIFO, a device and a folder at once instead of hanging or reading forever', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    for (const file of [fifo, '/dev/zero', dir]) {
      await expect(readTextFile(file, 100)).rejects.toMatchObject({ problem: 'not_a_file' });
    }
  });

  it('words system errors for the user, without Node text', () => {
    const denied = systemError(Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES' }), 'notes.txt');
    expect(denied).toMatchObject({ problem: 'unreadable', message: 'notes.txt could not be read (permission denied)' });
    expect(systemError(new Error('odd'), 'notes.txt').message).not.toContain('odd');
  });
});
