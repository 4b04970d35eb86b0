import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findUnknownFlag, parseFlags, peekSources } from '../../src/options/flags.js';
import { resolveAnswers } from '../../src/options/resolve.js';
import { renderProject } from '../../src/render/project.js';
import { entriesFor } from '../../src/render/inputs.js';
import { readTeamTemplate } from '../../src/template-source/load.js';
import { givenFromFile } from '../../src/template-source/preset.js';
import { outputPathProblem, relativePathProblem } from '../../src/template-source/safe-path.js';
import { parseSource } from '../../src/template-source/spec.js';
import { extractTarball } from '../../src/template-source/tarball.js';
import { templatesDir } from '../../src/paths.js';
import type { Asker } from '../../src/options/resolve.js';
import { exampleTemplate, scratch } from '../helpers/cli.js';
import { makeTemplate, manifest, tarball } from '../helpers/tree.js';

const noAsk: Asker = {
  wantsAdvanced: async () => {
    throw new Error('no question may be asked');
  },
  ask: async () => {
    throw new Error('no question may be asked');
  },
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

describe('the generator range (npm semver)', () => {
  it.each([
    ['>=0.1.0 <1.0.0', true],
    ['^0.1.0', true],
    ['0.x', true],
    ['1.0.0 - 2.0.0', false],
  ])('%s', async (range, supported) => {
    const load = readTeamTemplate({ root: makeTemplate({ 'template.json': manifest({ generator: range }) }), pinned: 'x', label: (file) => file });
    if (supported) await expect(load).resolves.toMatchObject({ manifest: { generator: range } });
    else await expect(load).rejects.toThrow(/works with create-mcp-sampling-server 1\.0\.0 - 2\.0\.0, and this is/);
  });

  it('refuses text that is not a range, naming the manifest', async () => {
    const root = makeTemplate({ 'template.json': manifest({ generator: 'latest' }) });
    await expect(readTeamTemplate({ root, pinned: root, label: (file) => `t/${file}` })).rejects.toThrow(/t\/template\.json: generator "latest" is not a semver range/);
  });
});

describe('extractTarball', () => {
  /** Unpacks into a fresh folder; returns the folder and what the extraction threw, if anything. */
  const unpack = async (entries: Parameters<typeof tarball>[0]): Promise<{ dest: string; error?: Error }> => {
    const dir = scratch('cmss-tgz-');
    const file = path.join(dir, 't.tgz');
    writeFileSync(file, tarball(entries));
    const dest = path.join(dir, 'out');
    mkdirSync(dest);
    try {
      await extractTarball(file, dest, 't.tgz');
      return { dest };
    } catch (error) {
      return { dest, error: error as Error };
    }
  };

  it('unpacks files from under the top folder, GNU long names included', async () => {
    const long = `package/${'d/'.repeat(60)}f.txt`;
    const { dest, error } = await unpack([
      { name: 'package/', type: '5' },
      { name: 'package/template.json', content: '{}' },
      { name: '././@LongLink', type: 'L' as '0', content: `${long}\0` },
      { name: 'ignored-short-name', content: 'long' },
    ]);
    expect(error).toBeUndefined();
    expect(readFileSync(path.join(dest, 'template.json'), 'utf8')).toBe('{}');
    expect(readFileSync(path.join(dest, long.slice('package/'.length)), 'utf8')).toBe('long');
  });

  it.each([
    ['a climbing name', [{ name: 'package/a.txt', content: 'a' }, { name: 'package/../../x', content: 'x' }], /t\.tgz: the entry "package\/\.\.\/\.\.\/x" contains "\.\."/],
    ['an absolute name', [{ name: 'package/a.txt', content: 'a' }, { name: 'package//etc/x' }], /the entry "package\/\/etc\/x" is absolute/],
    ['a symbolic link', [{ name: 'package/a.txt', content: 'a' }, { name: 'package/l', type: '2', link: '../../x' }], /the entry "package\/l" is a link/],
    ['a hard link', [{ name: 'package/a.txt', content: 'a' }, { name: 'package/h', type: '1' as '2', link: 'package/a.txt' }], /the entry "package\/h" is a link/],
  ] as const)('refuses %s and writes nothing, not even the good entries', async (_name, entries, message) => {
    const { dest, error } = await unpack([...entries]);
    expect(error?.message).toMatch(message);
    expect(readdirSync(dest)).toEqual([]);
    expect(existsSync(path.join(dest, '../x'))).toBe(false);
  });

  it('refuses a file that is not a gzip tarball', async () => {
    const dir = scratch('cmss-tgz-');
    writeFileSync(path.join(dir, 'x.tgz'), 'not gzip at all, just text that is long enough to be read as a header or two');
    await expect(extractTarball(path.join(dir, 'x.tgz'), dir, 'x.tgz')).rejects.toThrow(/x\.tgz is not a readable gzip-compressed tarball/);
    expect(readdirSync(dir)).toEqual(['x.tgz']);
    expect(existsSync(path.join(dir, 'package'))).toBe(false);
  });
});

const exampleTeam = await load(exampleTemplate);

describe('team template questions as option rows', () => {
  const team = exampleTeam;
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
    await resolveAnswers({ directory: 'x' }, true, { wantsAdvanced: async () => false, ask: async (spec, suggested) => (asked.push(spec.flag), suggested) }, entries);
    expect(asked).toEqual(expect.arrayContaining(['team', 'ci']));
    expect(asked).not.toContain('health-tool');
  });

  it('read preset values by flag name and check each one', () => {
    expect(givenFromFile({ team: 'Ops', 'health-tool': false }, entries, 'p.json', 'error').given).toEqual({ team: 'Ops', healthTool: false });
    expect(() => givenFromFile({ ci: 'circle' }, entries, 'p.json', 'error')).toThrow(/p\.json: "ci": "circle" is not one of github, gitlab/);
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
    const team = await load(root);
    const entries = entriesFor(team);
    const answers = await resolveAnswers({ directory: 'app', pm: 'npm', template: team.source, ...given }, false, noAsk, entries);
    return Object.fromEntries((await renderProject(templatesDir, answers, entries, team)).files.map((file) => [file.path, file.content]));
  }

  it('keeps a built-in file when the overriding team file is switched off by its condition', async () => {
    const root = makeTemplate({
      'template.json': manifest({ files: { 'README.md': { when: { tool: ['ask'] } } } }),
      'files/README.md': 'team readme\n',
    });
    expect((await render(root, { tool: 'ask' }))['README.md']).toBe('team readme\n');
    expect((await render(root, { tool: 'summarize' }))['README.md']).toMatch(/^# app\n\nAn MCP server/);
  });

  it('lets a team partial replace a built-in one used by a built-in file', async () => {
    // Written as the guide says: a paragraph, then an empty line.
    const root = makeTemplate({ 'template.json': manifest(), 'partials/readme-intro.hbs': 'Team intro for {{md name}}.\n\n' });
    const readme = (await render(root, { description: 'Does things.' }))['README.md']!;
    expect(readme.startsWith('# app\n\nDoes things.\n\nTeam intro for app.\n\nAn [MCP](https://modelcontextprotocol.io) server')).toBe(true);
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
