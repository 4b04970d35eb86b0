import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { planWrite } from '../../src/write/plan.js';
import { spawn } from 'node:child_process';
import type { Ui } from '../../src/report/ui.js';
import { withFolderHeld } from '../../src/write/hold.js';
import { LOCK_NAME, STAGING_PREFIX } from '../../src/write/lock.js';
import { recoverInterruptedWrite, writeProject } from '../../src/write/write.js';
import { scratch } from '../helpers/cli.js';

const files = [
  { path: 'package.json', content: '{"name":"x"}\n' },
  { path: 'src/index.ts', content: 'export {};\n' },
  { path: 'README.md', content: '# x\n' },
];
const now = new Date('2026-11-24T10:00:00.000Z');
const silentUi = { line() {}, warn() {}, error() {}, style: (_style: unknown, text: string) => text, progress: () => ({ succeed() {}, fail() {} }) } as unknown as Ui;

let work: string;
beforeEach(() => {
  work = scratch('cmss-write-');
});

/** Every path under a folder, files and folders, relative and sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('a new folder', () => {
  it('is staged beside the target and renamed into place, creating missing parents', () => {
    const target = path.join(work, 'a/b/project');
    const plan = planWrite(target, files, false);
    expect(plan.mode).toBe('new');
    expect(plan.files.map((file) => file.bytes)).toEqual([13, 11, 4]);
    writeProject(plan);
    expect(tree(target)).toEqual(['README.md', 'package.json', 'src', 'src/index.ts']);
    expect(readdirSync(path.join(work, 'a/b'))).toEqual(['project']);
  });

  it('leaves nothing behind, not even the parents it made, when writing fails', () => {
    const target = path.join(work, 'deep/project');
    // A file and a folder at the same path cannot both be staged.
    const clash = [...files, { path: 'src/index.ts/inner', content: '' }];
    expect(() => writeProject(planWrite(target, clash, false))).toThrow(/Could not write the project to .*Nothing was left behind/);
    expect(readdirSync(work)).toEqual([]);
  });
});

describe('an existing folder', () => {
  it('counts as empty when it holds only .git', () => {
    const target = path.join(work, 'repo');
    mkdirSync(path.join(target, '.git'), { recursive: true });
    const plan = planWrite(target, files, false);
    expect(plan).toMatchObject({ mode: 'merge', backupDir: undefined });
    writeProject(plan);
    expect(tree(target)).toEqual(['.git', 'README.md', 'package.json', 'src', 'src/index.ts']);
  });

  it('is refused when not empty, listing what is there', () => {
    const target = path.join(work, 'busy');
    mkdirSync(target);
    for (let i = 0; i < 12; i++) writeFileSync(path.join(target, `f${String(i).padStart(2, '0')}.txt`), '');
    expect(() => planWrite(target, files, false)).toThrow(
      /busy is not empty \(it holds f00\.txt, .*f09\.txt and 2 more\)\..*pass --force.*nothing is deleted/,
    );
  });

  it('is refused when it is a file', () => {
    writeFileSync(path.join(work, 'file'), 'x');
    expect(() => planWrite(path.join(work, 'file'), files, false)).toThrow(/exists and is not a folder/);
  });

  it('with --force: backs up each replaced file, keeps the others, deletes nothing', () => {
    const target = path.join(work, 'busy');
    mkdirSync(path.join(target, 'src'), { recursive: true });
    writeFileSync(path.join(target, 'README.md'), 'mine');
    writeFileSync(path.join(target, 'src/index.ts'), 'my code');
    writeFileSync(path.join(target, 'notes.txt'), 'keep me');
    const plan = planWrite(target, files, true, now);
    expect(plan.files.filter((file) => file.overwrites).map((file) => file.path)).toEqual(['src/index.ts', 'README.md']);
    const result = writeProject(plan);
    const backup = '.create-mcp-sampling-server-backup-2026-11-24T10-00-00-000Z';
    expect(result.backupDir).toBe(path.join(target, backup));
    expect(readFileSync(path.join(target, backup, 'README.md'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(target, backup, 'src/index.ts'), 'utf8')).toBe('my code');
    expect(readFileSync(path.join(target, 'README.md'), 'utf8')).toBe('# x\n');
    expect(readFileSync(path.join(target, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(target).filter((entry) => entry.includes('staging'))).toEqual([]);
  });

  it('with --force: backs up a link as a link and replaces the link, not its target', () => {
    const target = path.join(work, 'linked');
    mkdirSync(target);
    writeFileSync(path.join(work, 'outside.md'), 'outside');
    symlinkSync(path.join(work, 'outside.md'), path.join(target, 'README.md'));
    const result = writeProject(planWrite(target, files, true, now));
    expect(readlinkSync(path.join(result.backupDir!, 'README.md'))).toBe(path.join(work, 'outside.md'));
    expect(lstatSync(path.join(target, 'README.md')).isSymbolicLink()).toBe(false);
    expect(readFileSync(path.join(work, 'outside.md'), 'utf8')).toBe('outside');
  });

  it('with --force: refuses to write through a linked folder or over a folder', () => {
    const target = path.join(work, 'tricky');
    mkdirSync(target);
    mkdirSync(path.join(work, 'elsewhere'));
    symlinkSync(path.join(work, 'elsewhere'), path.join(target, 'src'));
    expect(() => planWrite(target, files, true)).toThrow(/src is a link, but the project needs a folder there for src\/index\.ts/);

    const other = path.join(work, 'other');
    mkdirSync(path.join(other, 'README.md'), { recursive: true });
    expect(() => planWrite(other, files, true)).toThrow(/README\.md is a folder in .*, but the project needs a file there/);
  });

  it('with --force: refuses, writing nothing, when a planned file appeared after planning', () => {
    const target = path.join(work, 'changed');
    mkdirSync(target);
    writeFileSync(path.join(target, 'package.json'), 'original');
    const plan = planWrite(target, files, true, now);
    mkdirSync(path.join(target, 'README.md', 'x'), { recursive: true });
    expect(() => writeProject(plan)).toThrow('README.md appeared in');
    expect(tree(target)).toEqual(['README.md', 'README.md/x', 'package.json']);
  });

  it('with --force: puts every replaced file back when a later file fails', () => {
    const target = path.join(work, 'rollback');
    mkdirSync(target);
    writeFileSync(path.join(target, 'package.json'), 'original');
    const plan = planWrite(target, files, true, now);
    // Something else puts a file where a planned folder goes, after planning and before writing.
    writeFileSync(path.join(target, 'src'), 'not a folder');
    expect(() => writeProject(plan)).toThrow(/Could not write the project to .*: part of the path is a file, not a folder \(src\/index\.ts\)\. Nothing was left behind/);
    expect(readFileSync(path.join(target, 'package.json'), 'utf8')).toBe('original');
    expect(tree(target)).toEqual(['package.json', 'src']);
  });
});

describe('runs into the same folder', () => {
  it('take turns: a folder locked by a live run is refused, a lock left by a dead run is taken over', async () => {
    const target = path.join(work, 'shared');
    mkdirSync(path.join(target, LOCK_NAME), { recursive: true });
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(path.join(target, LOCK_NAME, 'pid'), String(sleeper.pid));
      expect(() => withFolderHeld(target, silentUi, () => 'wrote')).toThrow(`Another create-mcp-sampling-server run (pid ${sleeper.pid}) is writing into ${target}`);
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.once('exit', resolve));
    }
    expect(withFolderHeld(target, silentUi, () => 'wrote')).toBe('wrote');
    expect(existsSync(path.join(target, LOCK_NAME))).toBe(false);
  });

  it('clean up staging folders that killed runs left, beside a new folder and inside an existing one', () => {
    const target = path.join(work, 'project');
    mkdirSync(target);
    const dead = 2 ** 22 + 1; // above Linux's default pid_max: no such process
    for (const stale of [path.join(work, `.project.staging-${dead}-abc`), path.join(target, `${STAGING_PREFIX}${dead}-abc`)]) mkdirSync(stale);
    mkdirSync(path.join(work, `.project.staging-${process.pid}-live`));

    expect(recoverInterruptedWrite(target)).toBe('Removed 2 staging folder(s) left by an interrupted run.');
    expect(readdirSync(work).filter((name) => name.includes('staging'))).toEqual([`.project.staging-${process.pid}-live`]);
    expect(readdirSync(target)).toEqual([]);
  });
});
