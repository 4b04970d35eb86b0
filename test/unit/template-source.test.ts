import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findUnknownFlag, parseFlags, peekSources } from '../../src/options/flags.js';
import { resolveAnswers } from '../../src/options/resolve.js';
import { renderProject } from '../../src/template-source/compose.js';
import { entriesFor } from '../../src/template-source/inputs.js';
import { readTeamTemplate } from '../../src/template-source/load.js';
import { givenFromFile } from '../../src/template-source/preset.js';
import { outputPathProblem, relativePathProblem } from '../../src/template-source/safe-path.js';
import { satisfies } from '../../src/template-source/semver.js';
import { parseSource } from '../../src/template-source/spec.js';
import { readTarball } from '../../src/template-source/tarball.js';
import { builtinFixture, exampleTemplate } from '../helpers/package-copy.js';
import { makeTemplate, manifest, tarball } from '../helpers/tree.js';

const noAsk = async () => {
  throw new Error('no question may be asked');
};
const load = (root: string) => readTeamTemplate({ root, pinned: root, label: (file) => file });

describe('parseSource', () => {
  it.each([
    ['./team', { kind: 'local', path: '/work/team' }],
    ['/abs/team.tgz', { kind: 'local', path: '/abs/team.tgz' }],
    ['file:../t', { kind: 'local', path: '/t' }],
    ['@acme/tpl@^1', { kind: 'npm', spec: '@acme/tpl@^1' }],
    ['https://example.com/t.tgz', { kind: 'npm', spec: 'https://example.com/t.tgz' }],
    ['git+https://host/r.git', { kind: 'git', url: 'https://host/r.git', ref: undefined, subdir: undefined }],
    ['git+file:///srv/r.git#v1.2::path:tpl/acme', { kind: 'git', url: 'file:///srv/r.git', ref: 'v1.2', subdir: 'tpl/acme' }],
  ])('reads %s', (text, source) => {
    expect(parseSource(text, '/work')).toEqual({ ok: true, source });
  });

  it.each(['-x', ' ./a', 'acme/tpl', 'git@github.com:a/b.git', 'git+ext::sh -c x', 'git+https://h/r.git#a..b', 'git+https://h/r.git#path:../up'])('refuses %s', (text) => {
    expect(parseSource(text, '/work')).toMatchObject({ ok: false });
  });
});

describe('path rules', () => {
  it('accepts plain relative paths and refuses the rest', () => {
    expect(relativePathProblem('src/a.ts')).toBeUndefined();
    for (const bad of ['', '../a', 'a/../../b', '/etc/passwd', 'C:/x', 'a\\b', 'a//b', './a', 'a\0b']) expect(relativePathProblem(bad), bad).toBeDefined();
    expect(outputPathProblem('.github/ci.yml')).toBeUndefined();
    expect(outputPathProblem('.git/hooks/pre-commit')).toMatch(/inside \.git/);
    expect(outputPathProblem('sub/.GIT/config')).toMatch(/inside \.git/);
  });
});

describe('satisfies', () => {
  it.each([
    ['0.1.0', '>=0.1.0 <0.3.0', true],
    ['0.3.0', '>=0.1.0 <0.3.0', false],
    ['0.1.5', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.9.0', '^1.2', true],
    ['1.3.0', '~1.2.3', false],
    ['0.1.0', '0.x', true],
    ['2.0.0', '1 || 2', true],
    ['0.1.0', '*', true],
    ['0.1.0', '>0.1', false],
    ['0.1.9', '<=0.1', true],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('refuses syntax outside the subset rather than guessing', () => {
    expect(satisfies('1.0.0', '1.0.0 - 2.0.0')).toBeUndefined();
    expect(satisfies('1.0.0', 'latest')).toBeUndefined();
  });
});

describe('readTarball', () => {
  it('reads files under the top folder, with ustar prefixes, GNU long names and pax paths', () => {
    const long = `package/${'d/'.repeat(60)}f.txt`;
    const entries = readTarball(
      tarball([
        { name: 'package/', type: '5' },
        { name: 'package/template.json', content: '{}' },
        { name: '././@LongLink', type: 'L' as '0', content: `${long}\0` },
        { name: 'ignored-short-name', content: 'long' },
      ]),
      't.tgz',
    );
    expect(entries.map((entry) => [entry.path, entry.type, entry.content.toString()])).toEqual([
      ['template.json', 'file', '{}'],
      [long.slice('package/'.length), 'file', 'long'],
    ]);
  });

  it('refuses absolute names, climbing names and links', () => {
    expect(() => readTarball(tarball([{ name: 'package/../../x' }]), 't.tgz')).toThrow(/contains "\.\."/);
    expect(() => readTarball(tarball([{ name: 'package//etc/x' }]), 't.tgz')).toThrow(/is absolute/);
    expect(() => readTarball(tarball([{ name: 'package/l', type: '2', link: '../../x' }]), 't.tgz')).toThrow(/is a link/);
    expect(() => readTarball(Buffer.from('not gzip'), 't.tgz')).toThrow(/t\.tgz is not a gzip-compressed tarball/);
  });
});

describe('team template questions as option rows', () => {
  const team = load(exampleTemplate);
  const entries = entriesFor(team);

  it('go before the setup questions and become flags the parser knows', async () => {
    const keys = entries.map(([key]) => key);
    expect(keys.indexOf('team')).toBeGreaterThan(keys.indexOf('priority'));
    expect(keys.indexOf('healthTool')).toBeLessThan(keys.indexOf('pm'));
    expect(findUnknownFlag(['--team', 'x', '--no-health-tool', '--ci=gitlab'], entries)).toBeUndefined();
    expect(findUnknownFlag(['--team', 'x'])?.message).toMatch(/Unknown option --team/);
    expect((await parseFlags(['--no-health-tool', '--ci', 'gitlab'], entries)).given).toEqual({ healthTool: false, ci: 'gitlab' });
  });

  it('resolve with defaults and are asked on a terminal like built-in ones', async () => {
    const answers = await resolveAnswers({ directory: 'x', template: team.source }, false, noAsk, entries);
    expect(answers).toMatchObject({ team: 'Platform', ci: 'github', healthTool: true, install: false, sdk: 'v2' });
    const asked: string[] = [];
    await resolveAnswers({ directory: 'x' }, true, async () => ({ wantsAdvanced: async () => false, ask: async (spec, suggested) => (asked.push(spec.flag), suggested) }), entries);
    expect(asked).toEqual(expect.arrayContaining(['team', 'ci']));
    expect(asked).not.toContain('health-tool');
  });

  it('read preset values by flag name and check each one', () => {
    expect(givenFromFile({ team: 'Ops', 'health-tool': false }, entries, 'p.json', 'error').given).toEqual({ team: 'Ops', healthTool: false });
    expect(() => givenFromFile({ ci: 'circle' }, entries, 'p.json', 'error')).toThrow(/p\.json: "ci": "circle" is not one of github, gitlab, none/);
    expect(givenFromFile({ gone: 1 }, entries, 'r.json', 'ignore').ignored).toEqual(['gone']);
  });

  it('peekSources finds the sources before the template flags are known', () => {
    expect(peekSources(['app', '--team', 'x', '--template=./t', '--no-health-tool', '--preset', 'p.json'])).toMatchObject({ template: './t', preset: 'p.json', version: false });
    expect(peekSources(['-v']).version).toBe(true);
    expect(peekSources(['--', '--template', 'x']).template).toBeUndefined();
  });
});

describe('renderProject', () => {
  async function render(root: string, given: Record<string, unknown> = {}) {
    const team = load(root);
    const entries = entriesFor(team);
    const answers = await resolveAnswers({ directory: 'app', pm: 'npm', template: team.source, ...given }, false, noAsk, entries);
    return Object.fromEntries(renderProject(builtinFixture, answers, entries, team).map((file) => [file.path, file.content]));
  }

  it('keeps a built-in file when the overriding team file is switched off by its condition', async () => {
    const root = makeTemplate({
      'template.json': manifest({ files: { 'README.md': { when: { tool: ['ask'] } } } }),
      'files/README.md': 'team readme\n',
    });
    expect((await render(root, { tool: 'ask' }))['README.md']).toBe('team readme\n');
    expect((await render(root, { tool: 'summarize' }))['README.md']).toMatch(/^# app\n/);
  });

  it('lets a team partial replace a built-in one used by a built-in file', async () => {
    const root = makeTemplate({ 'template.json': manifest(), 'partials/readme-intro.hbs': 'Team intro for {{md name}}.' });
    expect((await render(root))['README.md']).toContain('Team intro for app.');
  });

  it('renders the same bytes for the same answers, record included', async () => {
    expect(await render(exampleTemplate, { team: 'A & B' })).toEqual(await render(exampleTemplate, { team: 'A & B' }));
  });

  it('refuses a template that writes the record file', async () => {
    const root = makeTemplate({ 'template.json': manifest(), 'files/.create-mcp-sampling-server.json': '{}' });
    await expect(render(root)).rejects.toThrow(/A template writes \.create-mcp-sampling-server\.json/);
  });
});

describe('docs/template-authoring.md', () => {
  it('shows the example manifest exactly as it is in examples/team-template', () => {
    const guide = readFileSync(path.join(exampleTemplate, '../../docs/template-authoring.md'), 'utf8');
    const shown = /## The manifest\n\n```json\n([\s\S]*?)\n```/.exec(guide)?.[1];
    expect(JSON.parse(shown!)).toEqual(JSON.parse(readFileSync(path.join(exampleTemplate, 'template.json'), 'utf8')));
  });
});
