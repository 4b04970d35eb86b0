/** The fates `update` gives files, and its JSON merge of package.json, on small inputs. */
import { describe, expect, it } from 'vitest';
import { mergePackageJson, updatePlanner, type FileFate } from '../../src/update/merge.js';
import { latestSource } from '../../src/template-source/spec.js';

const labels = { ours: 'yours', theirs: 'new' };

async function fates(base: Record<string, string>, theirs: Record<string, string>, ours: Record<string, string>, restoreDeleted = false): Promise<Record<string, FileFate>> {
  const plan = await updatePlanner(new Map(Object.entries(base)), new Map(Object.entries(theirs)), { labels, restoreDeleted });
  return Object.fromEntries(plan((file) => ours[file]).map((fate) => [fate.path, fate]));
}

describe('update fates', () => {
  it('gives each case its fate, and the content to write', async () => {
    const result = await fates(
      { same: 'a\n', untouched: 'old\n', edited: 'one\ntwo\nthree\n', clash: 'x\n', deleted: 'd\n', dropped: 'gone\n', droppedEdited: 'mine\n' },
      { same: 'a\n', untouched: 'new\n', edited: 'one\ntwo\nthree!\n', clash: 'y\n', deleted: 'd2\n', added: 'hello\n' },
      { same: 'a\n', untouched: 'old\n', edited: 'ONE\ntwo\nthree\n', clash: 'z\n', dropped: 'gone\n', droppedEdited: 'mine, changed\n', own: 'mine\n' },
    );
    expect(Object.fromEntries(Object.entries(result).map(([file, fate]) => [file, fate.fate]))).toEqual({
      added: 'added',
      clash: 'conflict',
      deleted: 'deleted-kept',
      dropped: 'removed',
      droppedEdited: 'kept',
      edited: 'merged',
      same: 'unchanged',
      untouched: 'updated',
    });
    expect(result.edited!.content).toBe('ONE\ntwo\nthree!\n');
    expect(result.untouched!.content).toBe('new\n');
    expect(result.clash!.content).toBe('<<<<<<< yours\nz\n=======\ny\n>>>>>>> new\n');
    expect(result.deleted!.content).toBeUndefined();
  });

  it('merges a file whose every line ends in CRLF (a Windows checkout) as text, and writes it back with CRLF', async () => {
    const result = await fates({ f: 'a\nm\nb\n', g: 'x\n' }, { f: 'a!\nm\nb\n', g: 'y\n' }, { f: 'a\r\nm\r\nb!\r\n', g: 'x\r\n' });
    expect(result.f).toMatchObject({ fate: 'merged', content: 'a!\r\nm\r\nb!\r\n' });
    expect(result.g).toMatchObject({ fate: 'updated', content: 'y\r\n' });
    const same = await fates({ f: 'a\n' }, { f: 'a\n' }, { f: 'a\r\n' });
    expect(same.f!.fate).toBe('unchanged');
    // Mostly CRLF, with a line of the user's in LF: merged as text, not one whole-file conflict.
    expect((await fates({ f: 'a\nm\nb\n' }, { f: 'a!\nm\nb\n' }, { f: 'a\r\nm\r\nb\r\nmine\n' })).f).toMatchObject({ fate: 'merged', content: 'a!\r\nm\r\nb\r\nmine\r\n' });
    // A new file follows the checkout: CRLF where most files are, LF where they are not.
    expect((await fates({ f: 'a\n', g: 'b\n' }, { f: 'a\n', g: 'b\n', h: 'new\n' }, { f: 'a\r\n', g: 'b\r\n' })).h!.content).toBe('new\r\n');
    expect((await fates({ f: 'a\n', g: 'b\n' }, { f: 'a\n', g: 'b\n', h: 'new\n' }, { f: 'a\r\n', g: 'b\n' })).h!.content).toBe('new\n');
  });

  it('refuses to merge into a file that still has the markers of an earlier conflict', async () => {
    await expect(fates({ f: 'a\n', g: 'b\n' }, { f: 'a!\n', g: 'b\n' }, { f: 'a\n', g: '<<<<<<< yours\nb\n=======\nc\n>>>>>>> new\n' })).rejects.toThrow(
      'g still has conflict markers (<<<<<<< ... >>>>>>>) from an earlier merge. Resolve them and commit, then run the command again.',
    );
    // A lone line of seven < is not a conflict.
    expect((await fates({ f: 'a\nb\nc\n' }, { f: 'a!\nb\nc\n' }, { f: 'a\nb\nc\n<<<<<<< \n' })).f!.fate).toBe('merged');
  });

  it('keeps a last line without a newline as it was, and puts markers on lines of their own', async () => {
    const result = await fates({ f: 'a\nm\nb' }, { f: 'a!\nm\nb' }, { f: 'a\nm\nb!' });
    expect(result.f).toMatchObject({ fate: 'merged', content: 'a!\nm\nb!' });
    const clash = await fates({ f: 'a\nb' }, { f: 'a\nc' }, { f: 'a\nd' });
    expect(clash.f!.content).toBe('a\n<<<<<<< yours\nd\n=======\nc\n>>>>>>> new\n');
  });

  it('brings back a deleted file with --restore-deleted', async () => {
    expect((await fates({ f: 'a\n' }, { f: 'b\n' }, {}, true)).f).toMatchObject({ fate: 'restored', content: 'b\n' });
  });
});

describe('package.json, merged as JSON', () => {
  const base = { name: 'app', scripts: { build: 'tsc', test: 'vitest' }, dependencies: { b: '^1.0.0', d: '^1.0.0' } };

  it("bumps ours, keeps the user's own (sorted where npm sorts), and keeps the user's indentation", () => {
    const theirs = { ...base, scripts: { ...base.scripts, lint: 'eslint' }, dependencies: { b: '^1.1.0', c: '^2.0.0', d: '^1.0.0' } };
    const ours = { ...base, scripts: { ...base.scripts, mine: 'echo' }, dependencies: { a: '^3.0.0', b: '^1.0.0', d: '^1.0.0' } };
    const { text, conflicts } = mergePackageJson(JSON.stringify(ours, null, '\t'), JSON.stringify(base), JSON.stringify(theirs));
    expect(conflicts).toEqual([]);
    expect(text).toContain('\t"name"');
    expect(JSON.parse(text)).toEqual({ name: 'app', scripts: { build: 'tsc', test: 'vitest', mine: 'echo', lint: 'eslint' }, dependencies: { a: '^3.0.0', b: '^1.1.0', c: '^2.0.0', d: '^1.0.0' } });
    expect(Object.keys((JSON.parse(text) as typeof ours).dependencies)).toEqual(['a', 'b', 'c', 'd']);
  });

  it("keeps the user's value where both changed it, and names the conflict", () => {
    const { text, conflicts } = mergePackageJson(
      JSON.stringify({ ...base, dependencies: { b: '1.0.5', d: '^1.0.0' } }),
      JSON.stringify(base),
      JSON.stringify({ ...base, dependencies: { b: '^1.1.0', d: '^1.0.0' } }),
    );
    expect(conflicts).toEqual([{ at: 'dependencies.b', theirs: '^1.1.0' }]);
    expect((JSON.parse(text) as typeof base).dependencies.b).toBe('1.0.5');
  });

  it('is unchanged when the merge gives back what the user has', async () => {
    const text = `${JSON.stringify(base, null, 2)}\n`;
    const result = await fates({ 'package.json': text }, { 'package.json': JSON.stringify({ ...base, private: true }) }, { 'package.json': `${JSON.stringify({ ...base, private: true }, null, 2)}\n` });
    expect(result['package.json']!.fate).toBe('unchanged');
  });
});

describe('latestSource: where update looks for a newer team template', () => {
  it.each([
    ['@acme/tpl@1.2.0', '@acme/tpl'],
    ['tpl@1.2.0', 'tpl'],
    ['https://registry.npmjs.org/@acme/tpl/-/tpl-1.2.0.tgz', 'https://registry.npmjs.org/@acme/tpl/-/tpl-1.2.0.tgz'],
    ['git+https://example.com/t.git#0123456789abcdef0123456789abcdef01234567::path:mcp', 'git+https://example.com/t.git#path:mcp'],
    ['git+file:///srv/t.git#0123456789abcdef0123456789abcdef01234567', 'git+file:///srv/t.git'],
    ['/home/me/template', '/home/me/template'],
  ])('%s -> %s', (pinned, latest) => {
    expect(latestSource(pinned)).toBe(latest);
  });
});
