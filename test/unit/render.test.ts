import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import handlebars from 'handlebars';
import { COMPILE_OPTIONS } from '../../src/render/engine.js';
import { listPartials, listTemplateFiles, loadTemplateLayer, renderLayers, renderTemplate } from '../../src/render/render.js';
import { builtinLayers, COMMON_TEMPLATE, featureLayers } from '../../src/render/project.js';
import { templatesDir } from '../../src/paths.js';
import { templateContext } from '../../src/render/context.js';
import { GENERATOR_DEPENDENCY } from '../../src/version.js';
import type { ProjectAnswers, RunAnswers } from '../../src/options/table.js';
import { rawUserText as rawUserTextIn } from '../../src/render/raw-text.js';
import { readTeamTemplate } from '../../src/template-source/load.js';
import { makeTemplate } from '../helpers/tree.js';

const fixture = path.join(import.meta.dirname, '../fixtures/template-basic');

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
    const dir = makeTemplate({ 'a.txt': '{{nope}}' });
    await expect(renderTemplate(dir, {})).rejects.toThrow(/Could not render the template file .*a\.txt: "nope" not defined/);
  });

  it('fails on an unknown helper or bad syntax, naming the file', async () => {
    await expect(renderTemplate(makeTemplate({ 'a.txt': '{{shout name}}' }), { name: 'x' })).rejects.toThrow(
      /a\.txt: You specified knownHelpersOnly, but used the unknown helper shout/,
    );
    await expect(renderTemplate(makeTemplate({ 'b.txt': '{{#if x}}' }), { x: 1 })).rejects.toThrow(/b\.txt: Parse error/);
  });

  it('explains a broken manifest and a condition on an unknown answer', async () => {
    await expect(renderTemplate(makeTemplate({ 'template.json': '{', 'a.txt': '' }), {})).rejects.toThrow(/template\.json is not valid JSON/);
    const dir = makeTemplate({ 'template.json': '{"files":{"a.txt":{"when":{"colour":["red"]}}}}', 'a.txt': '' });
    await expect(renderTemplate(dir, {})).rejects.toThrow(/condition on a\.txt names "colour", which is not an answer/);
  });
});

/** The check on template text, as tests write it; the product passes the syntax tree it already has. */
const rawUserText = (source: string, fields?: readonly string[]) => rawUserTextIn(handlebars.parse(source), fields);

describe('the raw user text check', () => {
  it('flags raw fields and accepts helper calls', () => {
    expect(rawUserText('a {{name}}\n{{#each modelHints}}{{this}}{{/each}}')).toEqual([1, 2]);
    expect(rawUserText('{{json name}} {{md description}} {{sh binName}} {{#if (eq toolName "x")}}{{/if}} {{maxTokens}}')).toEqual([]);
  });

  it('reads the syntax tree, so no other spelling of a field slips through', () => {
    const spellings = [
      '{{this.description}}',
      '{{@root.description}}',
      '{{./description}}',
      '{{#if x}}{{../description}}{{/if}}',
      '{{#each modelHints}}{{.}}{{/each}}',
      '{{#each modelHints as |hint|}}{{hint}}{{/each}}',
      '{{#with description}}{{this}}{{/with}}',
      '{{#each modelHints}}{{#if @first}}{{this}}{{/if}}{{/each}}',
    ];
    for (const source of spellings) expect(rawUserText(source), source).toEqual([1]);
    expect(rawUserText('{{#each modelHints as |hint|}}{{ts hint}}{{/each}} {{#with description}}{{md this}}{{/with}} {{this.maxTokens}}')).toEqual([]);
  });

  it('covers the free-text questions of a team template', () => {
    expect(rawUserText('{{team}}\n{{md team}}', ['team'])).toEqual([1]);
    expect(rawUserText('{{team}}')).toEqual([]);
  });
});

describe('the example team template', () => {
  const root = path.join(import.meta.dirname, '../../examples/team-template');

  it('loads: every file and partial passes the checks a team template gets (helpers, raw user text)', async () => {
    const team = await readTeamTemplate({ root, pinned: root, label: (file) => file });
    const freeText = team.manifest.questions.filter(([, spec]) => spec.type === 'string' || spec.type === 'list').map(([key]) => key);
    // The check has something to check: a free-text question, used in files and partials.
    expect(freeText).toContain('team');
    expect(team.layer.files.length).toBeGreaterThan(2);
    expect(Object.keys(team.layer.partials).length).toBeGreaterThan(1);
  });

  it('is refused when one of its files writes a free-text answer raw', async () => {
    const copy = makeTemplate({ 'partials/readme-intro.hbs': 'Owned by {{team}}.\n' }, root);
    await expect(readTeamTemplate({ root: copy, pinned: copy, label: (file) => file })).rejects.toThrow(
      /partials\/readme-intro\.hbs line 1: writes a free-text answer without a literal helper/,
    );
  });
});

describe('every built-in template', () => {
  const templateRoots = readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(templatesDir, entry.name));
  /** Files and partials: partials render inside files, so they follow the same rules. */
  const sources = (root: string) => [...listTemplateFiles(root).map((file) => path.join(root, file)), ...listPartials(root).map(({ file }) => file)];

  it('exists, with the partial hooks team templates rely on', () => {
    expect(templateRoots.length).toBeGreaterThan(0);
    expect(listPartials(path.join(templatesDir, COMMON_TEMPLATE)).map(({ name }) => name)).toEqual(expect.arrayContaining(['extra-imports', 'extra-tools', 'readme-intro']));
  });

  it('writes user text only through a literal helper, never raw', () => {
    for (const root of templateRoots) {
      for (const file of sources(root)) {
        const where = path.relative(templatesDir, file);
        expect(rawUserText(readFileSync(file, 'utf8')), `${where}: lines writing user text raw`).toEqual([]);
      }
    }
  });

  it('compiles with the options the generator uses', () => {
    for (const root of templateRoots) {
      for (const file of sources(root)) {
        const source = readFileSync(file, 'utf8');
        expect(() => handlebars.precompile(source, COMPILE_OPTIONS), file).not.toThrow();
      }
    }
  });
});

describe('the partial hooks of the built-in templates', () => {
  /** templates/common as it would be without hooks: every `{{> name}}` line and the partials folder gone. */
  function commonWithoutHooks(): string {
    const common = path.join(templatesDir, COMMON_TEMPLATE);
    const hooks = new Set(listPartials(common).map((partial) => partial.name));
    const unhooked = listTemplateFiles(common).map((file) => [
      file,
      readFileSync(path.join(common, file), 'utf8').replace(/^[ \t]*\{\{> ([a-z-]+)\}\}\n/gm, (line, name: string) => (hooks.has(name) ? '' : line)),
    ]);
    return makeTemplate({ ...Object.fromEntries(unhooked), 'template.json': readFileSync(path.join(common, 'template.json'), 'utf8') });
  }

  it.each([
    ['summarize', 'stdio', 'v2'],
    ['ask', 'http', 'v2'],
    ['code-patterns', 'both', 'v2'],
    ['ask', 'both', 'v1'],
  ])('add nothing by default (%s, %s, %s): the output is byte-identical to the template without them', async (tool, transport, sdk) => {
    const answers = {
      name: '@acme/app', description: 'd', license: 'MIT', tool, toolName: 't', transport, sdk, maxTokens: 10, tokenBudget: 100,
      approvalTimeout: 60, modelHint: ['m'], priority: 'cost', pm: 'pnpm', install: false, git: false, template: '', auth: 'none', store: 'memory', deploy: 'none',
    } as unknown as ProjectAnswers;
    const context = templateContext(answers);
    const features = featureLayers(answers as RunAnswers);
    const hooked = renderLayers(await builtinLayers(templatesDir, sdk, features), context);
    expect(hooked.some((file) => file.path === 'src/server.ts')).toBe(true);
    const others = await Promise.all([sdk, ...features].map((folder) => loadTemplateLayer(path.join(templatesDir, folder))));
    expect(hooked).toEqual(renderLayers([await loadTemplateLayer(commonWithoutHooks()), ...others], context));
  });
});

describe('the two SDK lines', () => {
  const answersFor = (sdk: string, transport: string) =>
    ({
      name: 'srv', description: 'd', license: 'MIT', tool: 'summarize', toolName: 'summarize', transport, sdk, maxTokens: 10, tokenBudget: 100,
      approvalTimeout: 60, modelHint: [], priority: 'balanced', pm: 'npm', install: false, git: false, template: '', fallback: 'anthropic',
      auth: 'none',
      store: 'memory',
      deploy: 'none',
    }) as unknown as RunAnswers;
  const render = async (sdk: string, transport: string) => {
    const answers = answersFor(sdk, transport);
    const layers = await builtinLayers(templatesDir, sdk, featureLayers(answers));
    return new Map(renderLayers(layers, templateContext(answers)).map((file) => [file.path, file.content]));
  };

  it.each(['stdio', 'http', 'both'])('each name only their own packages (%s)', async (transport) => {
    // Tests and the terminal host use the v2 client in both lines: it speaks the 2025 era too.
    const foreignTo = { v1: { src: /@modelcontextprotocol\/(server|client|node)\b/, test: /@modelcontextprotocol\/(server|node)\b/ }, v2: { src: /@modelcontextprotocol\/sdk\b/, test: /@modelcontextprotocol\/sdk\b/ } };
    for (const [sdk, foreign] of Object.entries(foreignTo)) {
      const code = [...(await render(sdk, transport))].filter(([file]) => /\.(ts|json)$/.test(file));
      const offending = code.filter(([file, content]) => (file.startsWith('test/') ? foreign.test : foreign.src).test(content.replace(/"devDependencies": \{[^}]*\}/, '')));
      expect(offending.map(([file]) => file), sdk).toEqual([]);
    }
  });

  it.each(['v1', 'v2'])('%s: the terminal host comes from the generator, with the v2 client as a devDependency', async (sdk) => {
    const pkg = JSON.parse((await render(sdk, 'stdio')).get('package.json')!) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.scripts.host).toBe('create-mcp-sampling-server host');
    expect(pkg.devDependencies).toMatchObject({ '@modelcontextprotocol/client': '^2.4.0', 'create-mcp-sampling-server': GENERATOR_DEPENDENCY });
    // A v2 stdio server needs nothing at run time but its SDK and zod.
    expect(Object.keys(pkg.dependencies).sort()).toEqual(sdk === 'v2' ? ['@modelcontextprotocol/server', 'zod'] : ['@modelcontextprotocol/sdk', 'zod']);
  });

  it('share every file but the SDK-facing ones and the docs that describe the SDK', async () => {
    const [v1, v2] = [await render('v1', 'both'), await render('v2', 'both')];
    expect([...v1.keys()].sort()).toEqual([...v2.keys()].sort());
    const differing = [...v1.keys()].filter((file) => v1.get(file) !== v2.get(file)).sort();
    // The sampler, the server and the test harness are shared templates with the 2026-07-28 parts only in v2.
    expect(differing).toEqual([
      'README.md',
      'package.json',
      'src/sampling/protocol.ts',
      'src/sampling/sampler.ts',
      'src/sdk.ts',
      'src/server.ts',
      'src/transports/http.ts',
      'src/transports/httpServer.ts',
      'src/transports/stdio.ts',
      'test/codePatterns.test.ts',
      'test/harness.ts',
      'test/sampling.test.ts',
      'test/summarize.test.ts',
    ].filter((file) => v1.has(file)));
  });
});
