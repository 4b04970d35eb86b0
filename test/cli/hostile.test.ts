/**
 * Inputs from the adversarial run that used to end in a stack trace, a hang or a wrong project: each now
 * ends with a clear message and exit 1 or 2, and writes nothing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleTemplate, runCli, scratch } from '../helpers/cli.js';

const QUICK = ['--yes', '--no-install', '--no-git'];
const STACK_TRACE = /\n\s+at |This is a bug/;

function expectRefused(result: ReturnType<typeof runCli>, status: number, message: RegExp | string): void {
  expect(result.status, result.stderr).toBe(status);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_TRACE);
}

/** A copy of the example team template with `file` (under files/) holding `content`. */
function templateWith(cwd: string, file: string, content: string): string {
  const template = path.join(cwd, 'tpl');
  cpSync(exampleTemplate, template, { recursive: true });
  mkdirSync(path.dirname(path.join(template, 'files', file)), { recursive: true });
  writeFileSync(path.join(template, 'files', file), content);
  return template;
}

describe('hostile folders and files', () => {
  it('a folder path through a file (ENOTDIR)', () => {
    const cwd = scratch();
    writeFileSync(path.join(cwd, 'afile'), '');
    expectRefused(runCli(['afile/app', ...QUICK], { cwd }), 2, 'part of this path is a file, not a folder');
    expect(readdirSync(cwd)).toEqual(['afile']);
  });

  it('a folder name longer than the file system allows (ENAMETOOLONG)', () => {
    const cwd = scratch();
    expectRefused(runCli([`x/${'a'.repeat(300)}`, '--name', 'ok', ...QUICK], { cwd }), 1, 'a name in the path is longer than the file system allows');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a preset of 3 GB is refused before it is read', () => {
    const cwd = scratch();
    execFileSync('truncate', ['-s', '3G', path.join(cwd, 'huge.json')]);
    expectRefused(runCli(['app', '--preset', 'huge.json', ...QUICK], { cwd }), 2, /--preset huge.json: is 3221225472 bytes; a file of answers is a small JSON object/);
  });

  it('preset values keep their JSON type: null and objects are refused naming the key and the type', () => {
    const cwd = scratch();
    writeFileSync(path.join(cwd, 'p.json'), JSON.stringify({ description: { a: 1 } }));
    expectRefused(runCli(['app', '--preset', 'p.json', ...QUICK], { cwd }), 2, '"description": {"a":1} must be text, not an object');
    writeFileSync(path.join(cwd, 'p.json'), JSON.stringify({ tool: null }));
    expectRefused(runCli(['app', '--preset', 'p.json', ...QUICK], { cwd }), 2, '"tool": null must be one of summarize, code-patterns, ask, not null');
    expect(readdirSync(cwd)).toEqual(['p.json']);
  });

  it('a template a preset names is reported as the preset\'s, not as a --template nobody typed', () => {
    const cwd = scratch();
    writeFileSync(path.join(cwd, 'p.json'), JSON.stringify({ template: './nowhere' }));
    expectRefused(runCli(['app', '--preset', 'p.json', ...QUICK], { cwd }), 2, /^error --preset p\.json: its "template" \.\/nowhere: .* does not exist/);
  });

  it('a folder named like a number is made under that name', () => {
    const cwd = scratch();
    expect(runCli(['0x10', '--name', 'hex', ...QUICK], { cwd }).status).toBe(0);
    expect(readdirSync(cwd)).toEqual(['0x10']);
  });
});

describe('hostile team templates', () => {
  it('a helper that does not exist is named, with the helpers that do', () => {
    const cwd = scratch();
    const template = templateWith(cwd, 'NOTE.md', 'hi\n{{nope "x"}}\n');
    expectRefused(runCli(['app', '--template', template, ...QUICK], { cwd }), 2, /NOTE\.md line 2: uses the helper "nope", which templates cannot call\. The helpers are json, ts/);
  });

  it('{{log}} is refused, so nothing but the report reaches stdout under --json', () => {
    const cwd = scratch();
    const template = templateWith(cwd, 'NOTE.md', '{{log "from the template"}}\n');
    const result = runCli(['app', '--template', template, '--json', ...QUICK], { cwd });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { message: expect.stringContaining('uses the helper "log"') } });
  });

  it('raw user text is found however it is spelt', () => {
    const cwd = scratch();
    for (const spelling of ['{{this.description}}', '{{@root.description}}', '{{#each modelHints}}{{.}}{{/each}}']) {
      const template = templateWith(cwd, 'NOTE.md', `${spelling}\n`);
      expectRefused(runCli(['app', '--template', template, ...QUICK], { cwd }), 2, 'NOTE.md line 1: writes a free-text answer without a literal helper');
    }
  });

  it('a tree nested deeper than any template is refused, not walked', () => {
    const cwd = scratch();
    const template = templateWith(cwd, `${'d/'.repeat(40)}f.txt`, 'deep\n');
    expectRefused(runCli(['app', '--template', template, ...QUICK], { cwd }), 2, 'is nested more than 32 folders deep');
  });

  it("a question's catastrophic pattern is stopped instead of hanging the generator", () => {
    const cwd = scratch();
    const template = templateWith(cwd, 'NOTE.md', 'x\n');
    const manifestFile = path.join(template, 'template.json');
    const manifest = JSON.parse(execFileSync('cat', [manifestFile], { encoding: 'utf8' })) as { questions: Record<string, unknown>[] };
    Object.assign(manifest.questions[0]!, { pattern: '(a+)+', default: 'aaa', example: 'aaa' });
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const started = Date.now();
    const result = runCli(['app', '--template', template, '--team', `${'a'.repeat(40)}!`, ...QUICK], { cwd });
    expectRefused(result, 2, /pattern \(a\+\)\+ took over 100 ms to check this answer/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a gzip bomb is stopped by the bytes it inflates to, as a stream, not by the sizes its headers claim', () => {
    const cwd = scratch();
    const packageDir = path.join(cwd, 'bomb/package');
    cpSync(exampleTemplate, packageDir, { recursive: true });
    execFileSync('truncate', ['-s', '300M', path.join(packageDir, 'files/zeros.txt')]);
    execFileSync('tar', ['czf', 'bomb.tgz', 'package'], { cwd: path.join(cwd, 'bomb') });
    expectRefused(runCli(['app', '--template', path.join(cwd, 'bomb/bomb.tgz'), ...QUICK], { cwd }), 2, 'bomb.tgz unpacks to more than 20 MB; that is not a template');
  });

  it("a git source's sub-folder that links out of the repository is refused", () => {
    const cwd = scratch();
    const outside = path.join(cwd, 'outside');
    cpSync(exampleTemplate, outside, { recursive: true });
    const repo = path.join(cwd, 'repo');
    mkdirSync(repo);
    symlinkSync(outside, path.join(repo, 'tpl'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'link');
    expectRefused(runCli(['app', '--template', `git+file://${repo}#HEAD::path:tpl`, ...QUICK], { cwd }), 2, /the folder tpl is a link to .*outside, outside the repository/);
  });
});
