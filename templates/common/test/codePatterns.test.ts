import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { FileAccess } from '../src/files.js';
import { collectSourceFiles, parsePatternAnswer, TOOL_NAME, type PatternAnalysis } from '../src/tools/{{toolModule}}.js';
import { answer, callTool, connect, ERAS, fixtureRoot, type Harness, testConfig, textOf } from './harness.js';

const wellFormed = {
  summary: 'A small store with a retry helper.',
  patterns: [{ name: 'Retry with recursion', category: 'error-handling', description: 'Retries failed calls.', files: ['src/retry.ts'] }],
};

describe('parsePatternAnswer', () => {
  it('accepts an answer in exactly the requested format', () => {
    expect(parsePatternAnswer(JSON.stringify(wellFormed))).toEqual({ ...wellFormed, followedFormat: true });
  });

  it('recovers JSON wrapped in prose or code fences, but says the format was not followed', () => {
    const result = parsePatternAnswer('Here you go:\n```json\n' + JSON.stringify(wellFormed) + '\n```');
    expect(result.patterns).toEqual(wellFormed.patterns);
    expect(result.followedFormat).toBe(false);
  });

  it('maps unknown categories to "other" and drops entries without a name', () => {
    const result = parsePatternAnswer(
      JSON.stringify({ summary: 's', patterns: [{ name: 'Singleton', category: 'creational' }, { category: 'testing' }, 'junk'] }),
    );
    expect(result.patterns).toEqual([{ name: 'Singleton', category: 'other', description: '', files: [] }]);
    expect(result.followedFormat).toBe(false);
  });

  it('returns an empty analysis for an answer that is not JSON at all', () => {
    expect(parsePatternAnswer('I found a few patterns, mostly {clean} code.')).toEqual({ summary: '', patterns: [], followedFormat: false });
  });
});

describe('collectSourceFiles', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'collect-'));
  for (const dir of ['src', 'node_modules/lib', '.git', 'assets', '.aws']) mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(root, 'src', 'b.ts'), 'export const b = 2;\n');
  writeFileSync(path.join(root, 'node_modules', 'lib', 'index.js'), 'module.exports = {};\n');
  writeFileSync(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(path.join(root, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]));
  writeFileSync(path.join(root, '.aws', 'credentials'), '[default]\naws_secret_access_key = x\n');
  writeFileSync(path.join(root, 'src', '.env'), 'TOKEN=x\n');
  execFileSync('mkfifo', [path.join(root, 'src', 'pipe')]);
  const access = new FileAccess([root], 'ALLOWED_ROOTS');

  it('skips dependencies, version control, secrets, binaries and anything not a regular file', async () => {
    const { files, skipped, complete } = await collectSourceFiles(root, access, { maxFiles: 10, maxBytes: 10_000 });
    expect(files.map((file) => file.path)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(skipped).toEqual([
      { path: '.aws', reason: 'protected (matches .aws; see ALLOWED_PROTECTED_FILES)' },
      { path: 'assets/logo.png', reason: 'binary' },
      { path: 'src/.env', reason: 'protected (matches .env; see ALLOWED_PROTECTED_FILES)' },
    ]);
    expect(complete).toBe(true);
  });

  it('stops walking at the file cap, and says so', async () => {
    const { files, complete } = await collectSourceFiles(root, access, { maxFiles: 1, maxBytes: 10_000 });
    expect(files.map((file) => file.path)).toEqual(['src/a.ts']);
    expect(complete).toBe(false);
  });

  it('analyses one file when given a file instead of a folder', async () => {
    const { files } = await collectSourceFiles(path.join(root, 'src', 'b.ts'), access, { maxFiles: 10, maxBytes: 10_000 });
    expect(files).toEqual([{ path: 'b.ts', content: 'export const b = 2;\n' }]);
  });
});

describe('code-patterns on a large tree', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
  });

  it('reads no more than SAMPLING_MAX_FILES files and keeps its answer small', async () => {
    const big = mkdtempSync(path.join(tmpdir(), 'big-tree-'));
    for (let i = 0; i < 500; i++) writeFileSync(path.join(big, `file${String(i).padStart(3, '0')}.ts`), `export const n${i} = ${i};\n`);
    for (let i = 0; i < 500; i++) writeFileSync(path.join(big, `blob${i}.bin`), Buffer.from([0, 1, 2]));
    harness = await connect({ era: 'legacy', config: testConfig({ allowedRoots: [big], maxFiles: 5 }), sampling: async () => answer(JSON.stringify(wellFormed)) });
    const result = await callTool(harness, TOOL_NAME, { path: big });
    const analysis = result.structuredContent as PatternAnalysis;

    expect(analysis.filesAnalysed).toHaveLength(5);
    expect(analysis.complete).toBe(false);
    expect(analysis.filesSkipped.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(result).length).toBeLessThan(20_000);
    expect(textOf(result)).toContain('Stopped at the limit of 5 files');
  });
});

describe.each(ERAS)('code-patterns tool on a %s-era connection', (era) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('returns a structured analysis matching the output schema', async () => {
    harness = await connect({ era, sampling: async () => answer(JSON.stringify(wellFormed)) });
    const result = await callTool(harness, TOOL_NAME, { path: fixtureRoot() });
    const analysis = result.structuredContent as PatternAnalysis;

    expect(result.isError).toBeFalsy();
    expect(analysis.followedFormat).toBe(true);
    expect(analysis.patterns[0]?.category).toBe('error-handling');
    expect(analysis.filesAnalysed).toEqual(['notes.txt', 'src/retry.ts', 'src/store.ts']);
    expect(textOf(result)).toContain('Retry with recursion [error-handling]');
  });

  it('says so when the model ignores the requested format', async () => {
    harness = await connect({ era, sampling: async () => answer('The code uses retries and a generic store.') });
    const result = await callTool(harness, TOOL_NAME, { path: fixtureRoot() });

    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as PatternAnalysis).followedFormat).toBe(false);
    expect(textOf(result)).toContain('did not answer in the requested JSON format');
  });
});
