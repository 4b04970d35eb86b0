import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { scratch } from './cli.js';

/** Every file under `dir` with its bytes, keyed by forward-slash path. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true }).map(String).sort()) {
    if (entry === '.git' || entry.startsWith(`.git${path.sep}`)) continue;
    const file = path.join(dir, entry);
    if (statSync(file).isFile()) out[entry.split(path.sep).join('/')] = readFileSync(file).toString('base64');
  }
  return out;
}

/** A template folder built from a map of files, optionally starting from a copy of another template. */
export function makeTemplate(files: Record<string, string>, base?: string): string {
  const dir = scratch('cmss-team-');
  if (base) cpSync(base, dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** A minimal valid manifest, with fields replaced or added. */
export function manifest(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'scratch', description: 'A scratch template', generator: '*', extends: 'v2', ...fields });
}

/** A bare repository holding `dir` under `sub/`, with one commit per snapshot; returns the bare path and the commits. */
export function bareRepo(snapshots: Record<string, string>[], base: string, sub = 'template'): { bare: string; commits: string[] } {
  const work = scratch('cmss-git-work-');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=t@example.com', ...args], { cwd: work, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  cpSync(base, path.join(work, sub), { recursive: true });
  const commits: string[] = [];
  for (const [index, snapshot] of snapshots.entries()) {
    for (const [file, content] of Object.entries(snapshot)) writeFileSync(path.join(work, sub, file), content);
    git('add', '-A');
    git('commit', '-q', '-m', `snapshot ${index}`);
    git('tag', `v${index + 1}`);
    commits.push(git('rev-parse', 'HEAD'));
  }
  const bare = `${work}.git`;
  execFileSync('git', ['clone', '-q', '--bare', work, bare]);
  return { bare, commits };
}

/** A hand-made .tgz: ustar entries, for archives npm pack would never produce. */
export function tarball(entries: { name: string; type?: '0' | '2' | '5'; content?: string; link?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '');
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write(entry.type ?? '0', 156);
    if (entry.link) header.write(entry.link, 157, 100);
    header.write('ustar\x0000', 257);
    header.fill(' ', 148, 156);
    const sum = header.reduce((total, byte) => total + byte, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}
