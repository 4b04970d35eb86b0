import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPILE_OPTIONS, handlebars, listTemplateFiles, renderTemplate } from '../../src/render/render.js';
import { templatesDir } from '../../src/paths.js';
import { rawUserText } from '../../src/render/raw-text.js';
import { readTeamTemplate } from '../../src/template-source/load.js';

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
  it('renders in memory, renames _gitignore, honours conditions and \\{{ escapes', () => {
    const files = renderTemplate(fixture, { description: 'say "hi" `${x}` */ {{y}}', tool: 'ask', transport: 'stdio' });
    expect(files.map((file) => file.path)).toEqual(['.gitignore', 'src/index.ts']);
    const index = files.find((file) => file.path === 'src/index.ts')!.content;
    expect(index).toContain('export const description = "say \\"hi\\" `${x}` */ {{y}}";');
    expect(index).toContain('export const tool = "ask";');
    expect(index).toContain('const object = {{ nested: true }};');
  });

  it('adds conditional files when their condition holds', () => {
    const files = renderTemplate(fixture, { description: '', tool: 'summarize', transport: 'both' });
    expect(files.map((file) => file.path)).toContain('src/http.ts');
  });

  it('fails on a field the context does not have (strict mode), naming the file', () => {
    const dir = scratchTemplate({ 'a.txt': '{{nope}}' });
    expect(() => renderTemplate(dir, {})).toThrow(/Could not render the template file .*a\.txt: "nope" not defined/);
  });

  it('fails on an unknown helper', () => {
    const dir = scratchTemplate({ 'a.txt': '{{shout name}}' });
    expect(() => renderTemplate(dir, { name: 'x' })).toThrow(/a\.txt/);
  });

  it('explains a broken manifest and a condition on an unknown answer', () => {
    expect(() => renderTemplate(scratchTemplate({ 'template.json': '{', 'a.txt': '' }), {})).toThrow(/template\.json is not valid JSON/);
    const dir = scratchTemplate({ 'template.json': '{"files":{"a.txt":{"when":{"colour":["red"]}}}}', 'a.txt': '' });
    expect(() => renderTemplate(dir, {})).toThrow(/condition on a\.txt names "colour", which is not an answer/);
  });
});

describe('the raw user text check', () => {
  it('flags raw fields and accepts helper calls', () => {
    expect(rawUserText('a {{name}}\n{{#each modelHints}}{{this}}{{/each}}')).toEqual([1, 2]);
    expect(rawUserText('{{json name}} {{md description}} {{#if (eq toolName "x")}}{{/if}} {{maxTokens}}')).toEqual([]);
  });

  it('covers the free-text questions of a team template', () => {
    expect(rawUserText('{{team}}\n{{md team}}', ['team'])).toEqual([1]);
    expect(rawUserText('{{team}}')).toEqual([]);
  });
});

describe('the example team template', () => {
  const root = path.join(import.meta.dirname, '../../examples/team-template');
  const team = readTeamTemplate({ root, pinned: root, label: (file) => file });
  const freeText = team.manifest.questions.filter(([, spec]) => spec.type === 'string' || spec.type === 'list').map(([key]) => key);

  it('has free-text questions, so the check below has something to check', () => {
    expect(freeText).toContain('team');
  });

  it('writes built-in and template user text only through a literal helper, in files and partials', () => {
    const sources = [...team.layer.files.map((file) => [file.where, file.source]), ...Object.values(team.layer.partials).map((p) => [p.where, p.source])];
    expect(sources.length).toBeGreaterThan(3);
    for (const [where, source] of sources) {
      expect(rawUserText(source!, ['name', 'description', 'toolName', 'modelHints', 'binName', 'this', ...freeText]), `${where}: lines writing user text raw`).toEqual([]);
    }
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
