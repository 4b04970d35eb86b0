import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import handlebars from 'handlebars';
import { COMPILE_OPTIONS } from '../../src/render/engine.js';
import { listTemplateFiles, renderTemplate } from '../../src/render/render.js';
import { templatesDir } from '../../src/paths.js';

const fixture = path.join(import.meta.dirname, '../fixtures/template-basic');

function scratchTemplate(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cmss-template-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('renderTemplate', () => {
  it('renders in memory, renames _gitignore, honours conditions and \\{{ escapes', async () => {
    const files = await renderTemplate(fixture, { description: 'say "hi" `${x}` */ {{y}}', tool: 'ask', transport: 'stdio' });
    expect(files.map((file) => file.path)).toEqual(['.gitignore', 'src/index.ts']);
    const index = files.find((file) => file.path === 'src/index.ts')!.content;
    expect(index).toContain('export const description = "say \\"hi\\" `${x}` */ {{y}}";');
    expect(index).toContain('export const tool = "ask";');
    expect(index).toContain('const object = {{ nested: true }};');
  });

  it('adds conditional files when their condition holds', async () => {
    const files = await renderTemplate(fixture, { description: '', tool: 'summarize', transport: 'both' });
    expect(files.map((file) => file.path)).toContain('src/http.ts');
  });

  it('fails on a field the context does not have (strict mode), naming the file', async () => {
    const dir = scratchTemplate({ 'a.txt': '{{nope}}' });
    await expect(renderTemplate(dir, {})).rejects.toThrow(/Could not render the template file .*a\.txt: "nope" not defined/);
  });

  it('fails on an unknown helper or bad syntax, naming the file', async () => {
    await expect(renderTemplate(scratchTemplate({ 'a.txt': '{{shout name}}' }), { name: 'x' })).rejects.toThrow(
      /a\.txt: You specified knownHelpersOnly, but used the unknown helper shout/,
    );
    await expect(renderTemplate(scratchTemplate({ 'b.txt': '{{#if x}}' }), { x: 1 })).rejects.toThrow(/b\.txt: Parse error/);
  });

  it('explains a broken manifest and a condition on an unknown answer', async () => {
    await expect(renderTemplate(scratchTemplate({ 'template.json': '{', 'a.txt': '' }), {})).rejects.toThrow(/template\.json is not valid JSON/);
    const dir = scratchTemplate({ 'template.json': '{"files":{"a.txt":{"when":{"colour":["red"]}}}}', 'a.txt': '' });
    await expect(renderTemplate(dir, {})).rejects.toThrow(/condition on a\.txt names "colour", which is not an answer/);
  });
});

/** Mustache expressions anywhere in a template's syntax tree. */
function* mustaches(node: unknown): Generator<{ path: string; params: unknown[]; line: number }> {
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if ((record.type === 'MustacheStatement' || record.type === 'SubExpression') && record.path) {
    const loc = record.loc as { start: { line: number } };
    yield { path: (record.path as { original: string }).original, params: record.params as unknown[], line: loc.start.line };
  }
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) for (const item of value) yield* mustaches(item);
    else if (value && typeof value === 'object') yield* mustaches(value);
  }
}

// `this` covers {{#each modelHints}}{{this}}{{/each}}.
const USER_TEXT = new Set(['name', 'description', 'toolName', 'modelHints', 'binName', 'this']);

/** Lines where a template writes user text without a literal helper. */
function rawUserText(source: string): number[] {
  const ast = handlebars.parse(source);
  return [...mustaches(ast)].filter((expression) => USER_TEXT.has(expression.path)).map((expression) => expression.line);
}

describe('the raw user text check', () => {
  it('flags raw fields and accepts helper calls', () => {
    expect(rawUserText('a {{name}}\n{{#each modelHints}}{{this}}{{/each}}')).toEqual([1, 2]);
    expect(rawUserText('{{json name}} {{md description}} {{sh binName}} {{#if (eq toolName "x")}}{{/if}} {{maxTokens}}')).toEqual([]);
  });
});

describe('every built-in template', () => {
  const templateRoots = readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(templatesDir, entry.name));

  it('exists', () => {
    expect(templateRoots.length).toBeGreaterThan(0);
  });

  it('writes user text only through a literal helper, never raw', () => {
    for (const root of templateRoots) {
      for (const file of listTemplateFiles(root)) {
        const where = path.relative(templatesDir, path.join(root, file));
        expect(rawUserText(readFileSync(path.join(root, file), 'utf8')), `${where}: lines writing user text raw`).toEqual([]);
      }
    }
  });

  it('compiles with the options the generator uses', () => {
    for (const root of templateRoots) {
      for (const file of listTemplateFiles(root)) {
        const source = readFileSync(path.join(root, file), 'utf8');
        expect(() => handlebars.precompile(source, COMPILE_OPTIONS), file).not.toThrow();
      }
    }
  });
});
