/**
 * `update` and `add tool` on projects as users keep them: a Windows checkout, scripts made executable, a folder
 * that is a link, leftovers of an earlier conflict or backup, a moved file, an answer that lands on an added
 * tool, and project folders named the ways people name them. The base and the new side are both rendered by
 * this version (an answer changed with its flag makes the difference), so no registry is needed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratch, type CliResult } from '../helpers/cli.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
const cli = (cwd: string, ...args: string[]): CliResult => runCli(args, { cwd, env: GIT_ENV });
const read = (project: string, file: string) => readFileSync(path.join(project, file), 'utf8');

/** A stdio project, committed by the generator; `change` edits it as a user would, then it is committed. */
function project(change: (dir: string) => void = () => {}): string {
  const cwd = scratch('cmss-update-safety-');
  expect(cli(cwd, 'app', '--yes', '--no-install').status).toBe(0);
  const dir = path.join(cwd, 'app');
  change(dir);
  git(dir, 'add', '-A');
  if (git(dir, 'status', '--porcelain') !== '') git(dir, 'commit', '-qm', 'my changes');
  return dir;
}

/** Refused with exit 2 and `message`, no stack trace, and the project as it was. */
function expectRefused(dir: string, result: CliResult, message: string): void {
  expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.status).toBe(2);
  expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
}

describe('what update keeps', () => {
  it('merges a Windows checkout (CRLF) without conflicts, keeps its line endings and file modes, and adds files with CRLF', () => {
    const dir = project((dir) => {
      git(dir, 'config', 'core.autocrlf', 'true');
      for (const file of git(dir, 'ls-files').split('\n').filter(Boolean)) writeFileSync(path.join(dir, file), read(dir, file).replace(/\n/g, '\r\n'));
      writeFileSync(path.join(dir, 'src/config.ts'), `${read(dir, 'src/config.ts')}// Mine.\r\n`);
      chmodSync(path.join(dir, 'src/index.ts'), 0o755);
    });
    const result = cli(dir, 'update', '--transport', 'both', '--json');
    expect(result.status, result.stderr).toBe(0);
    const fates = Object.fromEntries((JSON.parse(result.stdout) as { files: { path: string; fate: string }[] }).files.map((file) => [file.path, file.fate]));
    expect(Object.values(fates)).not.toContain('conflict');
    expect(fates).toMatchObject({ 'src/config.ts': 'merged', 'src/index.ts': 'updated', 'package.json': 'updated', 'src/transports/http.ts': 'added' });
    for (const file of ['src/config.ts', 'src/index.ts', 'package.json', 'src/transports/http.ts']) expect(read(dir, file), file).not.toMatch(/(^|[^\r])\n/);
    expect(read(dir, 'src/config.ts')).toContain('// Mine.\r\n');
    expect(statSync(path.join(dir, 'src/index.ts')).mode & 0o777).toBe(0o755);
    // The record keeps the checkout's line endings too, so the next run has nothing to change.
    expect(read(dir, '.create-mcp-sampling-server.json')).not.toMatch(/(^|[^\r])\n/);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'both transports');
    expect(cli(dir, 'update', '--transport', 'both').stdout).toContain('Nothing to change');
  });

  it('reads a record saved with a byte order mark, as Notepad saves it', () => {
    const dir = project((dir) => writeFileSync(path.join(dir, '.create-mcp-sampling-server.json'), `\uFEFF${read(dir, '.create-mcp-sampling-server.json')}`));
    const result = cli(dir, 'update', '--dry-run');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Nothing to change');
  });

  it('leaves a doc you deleted deleted when add tool would have changed it', () => {
    const dir = project((dir) => git(dir, 'rm', '-q', 'README.md'));
    const result = cli(dir, 'add', 'tool', 'translate', '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ files: expect.arrayContaining([{ path: 'README.md', fate: 'deleted-kept' }, { path: 'src/tools/translate.ts', fate: 'added' }]) });
    expect(git(dir, 'status', '--porcelain', '--', 'README.md')).toBe('');
  });

  it('does not count the backup folder of an earlier --allow-dirty run as a change of yours, in a repository above the project too', () => {
    const repo = scratch('cmss-update-monorepo-');
    git(repo, 'init', '-q');
    expect(cli(repo, 'app', '--yes', '--no-install', '--no-git').status).toBe(0);
    const dir = path.join(repo, 'app');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'app');
    writeFileSync(path.join(dir, 'src/config.ts'), `${read(dir, 'src/config.ts')}// Not committed yet.\n`);
    const dirty = cli(dir, 'update', '--transport', 'both', '--allow-dirty');
    expect(dirty.status, dirty.stderr).toBe(0);
    const backup = /backed up in (\S+);/.exec(dirty.stdout)?.[1];
    expect(read(dir, `${backup}/src/config.ts`)).toContain('// Not committed yet.');
    git(dir, 'add', '--', '.', ':!.create-mcp-sampling-server-backup-*');
    git(dir, 'commit', '-qm', 'both transports');
    const again = cli(dir, 'update', '--transport', 'stdio');
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
  });
});

describe('what update and add tool refuse, changing nothing', () => {
  it('a folder that is a link: the new files would land outside the project', () => {
    const dir = project((dir) => {
      const outside = path.join(path.dirname(dir), 'shared');
      mkdirSync(outside);
      renameSync(path.join(dir, 'test'), path.join(outside, 'test'));
      symlinkSync('../shared/test', path.join(dir, 'test'));
    });
    expectRefused(dir, cli(dir, 'update', '--transport', 'both'), 'test is a link, but the project needs a folder there for test/');
    // --dry-run says so too, rather than showing changes the real run would refuse.
    expectRefused(dir, cli(dir, 'update', '--transport', 'both', '--dry-run'), 'test is a link, but the project needs a folder there for test/');
  });

  it('a file that still has the markers of an earlier conflict', () => {
    const dir = project((dir) => writeFileSync(path.join(dir, 'src/config.ts'), `${read(dir, 'src/config.ts')}<<<<<<< yours\na\n=======\nb\n>>>>>>> new\n`));
    const message = 'src/config.ts still has conflict markers (<<<<<<< ... >>>>>>>) from an earlier merge. Resolve them and commit, then run the command again.';
    expectRefused(dir, cli(dir, 'update', '--transport', 'both'), message);
    expectRefused(dir, cli(dir, 'add', 'tool', 'translate'), message);
  });

  it('a file that is not UTF-8 and would change: merging it would garble it', () => {
    const dir = project((dir) => writeFileSync(path.join(dir, 'src/config.ts'), Buffer.concat([readFileSync(path.join(dir, 'src/config.ts')), Buffer.from('// Caf\xe9\n', 'latin1')])));
    expectRefused(dir, cli(dir, 'update', '--transport', 'both'), 'src/config.ts is not UTF-8 text, so its changes cannot be merged without garbling it.');
    expectRefused(dir, cli(dir, 'add', 'tool', 'code-map', '--tool', 'code-patterns', '--dry-run'), 'src/config.ts is not UTF-8 text');
  });

  it('an answer that puts the project tool on the name or file of a tool add tool added', () => {
    const dir = project((dir) => expect(cli(dir, 'add', 'tool', 'ask', '--tool', 'ask').status).toBe(0));
    expectRefused(dir, cli(dir, 'update', '--tool', 'ask'), 'make the tool summarize (src/tools/ask.ts), which clashes with the tool ask (src/tools/ask.ts) that add tool added');
    expectRefused(dir, cli(dir, 'update', '--tool-name', 'ask'), 'make the tool ask (src/tools/summarize.ts), which clashes with the tool ask (src/tools/ask.ts)');
    // Modules that differ only in case are one file on macOS and Windows.
    expectRefused(dir, cli(dir, 'add', 'tool', 'a-sk'), 'add tool "a-sk": the name clashes with the tool ask (src/tools/ask.ts)');
    // A test of the generator's own that other answers bring (--auth token's test/auth.test.ts).
    expectRefused(dir, cli(dir, 'add', 'tool', 'auth'), 'add tool "auth": the generator writes test/auth.test.ts itself for some answers, where the tool would go; choose another name.');
  });

  it('a record whose tools clash with each other, or with a file other answers bring', () => {
    const dir = project();
    const recordFile = path.join(dir, '.create-mcp-sampling-server.json');
    const record = JSON.parse(read(dir, '.create-mcp-sampling-server.json')) as Record<string, unknown>;
    // Two branches that each ran add tool, merged.
    writeFileSync(path.join(path.dirname(dir), 'merged.json'), JSON.stringify({ ...record, tools: [{ name: 'translate', tool: 'ask' }, { name: 'Translate', tool: 'ask' }] }));
    const merged = cli(path.dirname(dir), 'again', '--from', 'merged.json');
    expect(merged.stderr).toContain('the record\'s "tools" lists translate and Translate, which clash');
    expect(merged.status).toBe(2);
    // Made by hand, before add tool refused the name.
    writeFileSync(path.join(path.dirname(dir), 'auth.json'), JSON.stringify({ ...record, tools: [{ name: 'auth', tool: 'ask' }] }));
    const auth = cli(path.dirname(dir), 'again', '--from', 'auth.json', '--transport', 'http', '--auth', 'token');
    expect(auth.stderr).toContain('test/auth.test.ts, of a tool add tool added, is where these answers put a file of the generator\'s own.');
    expect(auth.status).toBe(2);
    expect(read(dir, '.create-mcp-sampling-server.json')).toBe(readFileSync(recordFile, 'utf8'));
  });

  it('add tool, when the file it registers the tool in was moved', () => {
    const dir = project((dir) => git(dir, 'mv', 'src/server.ts', 'src/app.ts'));
    expectRefused(dir, cli(dir, 'add', 'tool', 'translate'), 'add tool "translate": the tool goes into src/server.ts, which the project no longer has (moved or renamed?).');
  });

  it('a project folder that is a file, missing, or inside a project, saying which folder to name', () => {
    const dir = project();
    const parent = path.dirname(dir);
    writeFileSync(path.join(parent, 'notes.txt'), 'not a folder\n');
    expectRefused(dir, cli(parent, 'update', 'notes.txt'), 'notes.txt is a file, not a project folder. Name a generated project\'s folder: update my-server');
    expectRefused(dir, cli(parent, 'add', 'tool', 'translate', '--dir', 'nope'), 'The folder nope does not exist. Name a generated project\'s folder: add tool translate --dir my-server');
    expectRefused(dir, cli(path.join(dir, 'src'), 'update'), '. is inside the project ..: run update there, or name it: update ..');
    expectRefused(dir, cli(parent, 'add', 'tool', 'translate', 'app'), 'got app after the name; name the project folder with --dir <folder>');
    expectRefused(dir, cli(parent, 'update', 'app', '--dir', 'app'), 'update takes one project folder, as its argument or with --dir; got app, app.');
    expectRefused(dir, cli(parent, 'update', '--dir='), 'update --dir needs a value');
    // Both commands take --dir.
    expect(cli(parent, 'update', '--dir', 'app', '--dry-run').stdout).toContain('Nothing to change');
  });
});
