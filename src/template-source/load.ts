/**
 * Reads a team template into memory and checks all of it before anything is rendered:
 *
 *   template.json   the manifest (./manifest.ts)
 *   files/          rendered over the built-in template: same output path replaces, new paths add
 *   partials/       <name>.hbs, replacing or adding partials used as {{> name}}
 *
 * Anything else in the folder (its README, package.json, licence) belongs to the template, not the project.
 * Links are followed only when they stay inside the template; special files are refused; every file must
 * be UTF-8 text that compiles with the generator's helpers and writes free-text answers through a literal
 * helper, so no answer can break a generated file.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { META_FLAG_NAMES } from '../options/flags.js';
import type { OptionSpec } from '../options/spec.js';
import { OPTION_ENTRIES, OPTIONS, type ProjectAnswers } from '../options/table.js';
import { templateContext } from '../render/context.js';
import { BUILTIN_USER_TEXT, rawUserText } from '../render/raw-text.js';
import { COMPILE_OPTIONS, HELPERS, loadCompiler, type TemplateFunction } from '../render/engine.js';
import { hasExpressions, MANIFEST_FILE, outputPath, PARTIAL_NAME, type LayerFile, type TemplateLayer } from '../render/render.js';
import { GENERATOR_VERSION } from '../version.js';
import { fetchTemplate, type FetchedTemplate } from './fetch.js';
import { parseManifest, type TeamManifest } from './manifest.js';
import { outputPathProblem } from './safe-path.js';

export interface TeamTemplate {
  readonly manifest: TeamManifest;
  /** Fetches exactly this template again (recorded in the project). */
  readonly source: string;
  /** sha256 of the manifest, files and partials: shows whether a template changed between two runs. */
  readonly digest: string;
  readonly layer: TemplateLayer;
}

const FILES_DIR = 'files';
const PARTIALS_DIR = 'partials';
const MAX_FILES = 500;
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_DEPTH = 32;

/** Context fields of the built-in templates (name, stdio, pmRun, ...): a question may not shadow one. */
export const BUILTIN_CONTEXT_FIELDS: readonly string[] = Object.keys(templateContext({ name: 'x', pm: 'npm' } as ProjectAnswers));

const RULES = {
  reservedFlags: new Set([
    ...OPTION_ENTRIES.flatMap(([key, spec]) => [key, spec.flag, ...(spec.alias ? [spec.alias] : [])]),
    ...META_FLAG_NAMES,
  ]),
  contextFields: new Set(BUILTIN_CONTEXT_FIELDS),
  builtinTemplates: OPTIONS.sdk.choices.map((choice) => choice.value),
};

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Every file under `root/sub`, by path relative to root, read through the link rules above. */
function readTree(root: string, sub: string, label: (file: string) => string, budget: { bytes: number }): Map<string, Buffer> {
  const realRoot = realpathSync(root);
  const files = new Map<string, Buffer>();
  const visit = (relative: string, depth: number) => {
    const absolute = path.join(root, ...relative.split('/'));
    const stats = lstatSync(absolute, { throwIfNoEntry: false });
    if (!stats) return;
    if (stats.isDirectory()) {
      if (depth > MAX_DEPTH) throw new UsageError(`${label(relative)} is nested more than ${MAX_DEPTH} folders deep; that is not a template`);
      for (const name of readdirSync(absolute).sort()) visit(`${relative}/${name}`, depth + 1);
      return;
    }
    let target = absolute;
    if (stats.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(absolute);
      } catch {
        throw new UsageError(`${label(relative)} is a link to something that does not exist`);
      }
      if (!isInside(realRoot, real)) throw new UsageError(`${label(relative)} is a link to ${real}, outside the template; a template may only link within itself`);
      if (!statSync(real).isFile()) throw new UsageError(`${label(relative)} is a link to a folder; only links to files are supported`);
      target = real;
    } else if (!stats.isFile()) {
      throw new UsageError(`${label(relative)} is not a regular file (a FIFO, socket or device); a template holds only files and folders`);
    }
    if (files.size >= MAX_FILES) throw new UsageError(`${label(sub)} holds more than ${MAX_FILES} files; that is not a template`);
    // Sizes are checked before reading, so a huge file is refused without being loaded.
    budget.bytes -= statSync(target).size;
    if (budget.bytes < 0) throw new UsageError(`${label('.')} holds more than ${MAX_BYTES} bytes of files (at ${relative}); a template may hold at most ${MAX_BYTES}`);
    files.set(relative, readFileSync(target));
  };
  visit(sub, 0);
  return files;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(content: Buffer, where: string): string {
  try {
    const text = utf8.decode(content);
    if (!text.includes('\0')) return text;
  } catch {
    // Not UTF-8: reported below, like a NUL byte.
  }
  throw new UsageError(`${where} is not UTF-8 text; template files are rendered as text, so binary files are not supported`);
}

type Compiler = Awaited<ReturnType<typeof loadCompiler>>;

/**
 * Parses once, checks with the generator's options (unknown helpers, syntax) and refuses raw free text,
 * naming the file and line; returns the compiled template. Team templates are never precompiled, so this
 * is the only place their mistakes can be caught before anything is rendered.
 */
function compileChecked(compiler: Compiler, source: string, where: string, userText: readonly string[]): TemplateFunction {
  let lines: number[];
  let ast: ReturnType<Compiler['parse']>;
  try {
    ast = compiler.parse(source);
    // compile() is lazy; precompile() runs the same compiler now, so an unknown helper fails here.
    compiler.precompile(ast, COMPILE_OPTIONS);
    lines = rawUserText(ast, userText);
  } catch (error) {
    const message = (error as Error).message;
    const helper = /unknown helper (\S+) - (\d+):/.exec(message);
    if (helper) {
      throw new UsageError(
        `${where} line ${helper[2]}: uses the helper "${helper[1]}", which templates cannot call. The helpers are ` +
          `${Object.keys(HELPERS).join(', ')}, and Handlebars' if, unless, each and with (see docs/template-authoring.md)`,
      );
    }
    throw new UsageError(`${where}: ${message.split('\n')[0]}`);
  }
  if (lines.length > 0) {
    throw new UsageError(
      `${where} line ${lines.join(', ')}: writes a free-text answer without a literal helper. ` +
        'Write {{ts x}} in TypeScript, {{json x}} in JSON, {{yaml x}} in YAML, {{md x}} in Markdown, {{sh x}} in shell, ' +
        'so quotes or backticks in an answer cannot break the file',
    );
  }
  return compiler.compile(ast, COMPILE_OPTIONS) as TemplateFunction;
}

/** Whether the generator's version is in the manifest's range, with npm's own semver rules. */
async function supportsGenerator(range: string, where: string): Promise<boolean> {
  // Lazy: only runs with --template use it, and it is a separate file in the bundle.
  const { satisfies, validRange } = await import('semver');
  if (validRange(range) === null) {
    throw new UsageError(`${where}: generator "${range}" is not a semver range (use forms like ">=0.1.0 <0.3.0", "^0.1.0", "0.x")`);
  }
  // Pre-release builds of the generator count as their release, so a template need not list them.
  return satisfies(GENERATOR_VERSION, range, { includePrerelease: true });
}

/** Builds the layer and checks everything; `fetched.root` may be deleted once this returns. */
export async function readTeamTemplate(fetched: Pick<FetchedTemplate, 'root' | 'pinned' | 'label'>): Promise<TeamTemplate> {
  const { root, label } = fetched;
  const manifestFile = path.join(root, MANIFEST_FILE);
  if (!lstatSync(manifestFile, { throwIfNoEntry: false })) {
    throw new UsageError(`${label(MANIFEST_FILE)} is missing: a template is a folder with a template.json manifest (see docs/template-authoring.md)`);
  }
  const budget = { bytes: MAX_BYTES };
  const tree = new Map([...readTree(root, MANIFEST_FILE, label, budget), ...readTree(root, FILES_DIR, label, budget), ...readTree(root, PARTIALS_DIR, label, budget)]);

  const builtinSpecs = new Map<string, OptionSpec>(OPTION_ENTRIES);
  const manifest = parseManifest(asText(tree.get(MANIFEST_FILE)!, label(MANIFEST_FILE)), label(MANIFEST_FILE), RULES, builtinSpecs);
  const supported = await supportsGenerator(manifest.generator, label(MANIFEST_FILE));
  if (!supported) {
    throw new UsageError(
      `${manifest.name} works with create-mcp-sampling-server ${manifest.generator}, and this is ${GENERATOR_VERSION}. ` +
        'Run a version in that range (npm create mcp-sampling-server@<version>), or update the template',
    );
  }

  const userText = [
    ...BUILTIN_USER_TEXT,
    ...manifest.questions.filter(([, spec]) => spec.type === 'string' || spec.type === 'list').map(([key]) => key),
  ];
  const compiler = await loadCompiler();
  const files: LayerFile[] = [];
  const partials: Record<string, TemplateFunction> = {};
  for (const [file, content] of tree) {
    if (file === MANIFEST_FILE) continue;
    const where = label(file);
    const source = asText(content, where);
    const render = compileChecked(compiler, source, where, userText);
    if (file.startsWith(`${PARTIALS_DIR}/`)) {
      const name = file.slice(PARTIALS_DIR.length + 1).replace(/\.hbs$/, '');
      if (!file.endsWith('.hbs') || !PARTIAL_NAME.test(name)) {
        throw new UsageError(`${where}: a partial must be partials/<name>.hbs with a lower-case name like readme-intro.hbs`);
      }
      // A partial renders inside another file's render; name the partial itself in what goes wrong there.
      partials[name] = (context, options) => {
        try {
          return render(context, options);
        } catch (error) {
          throw new Error(`in the partial ${where}: ${(error as Error).message}`);
        }
      };
    } else {
      const inFiles = file.slice(FILES_DIR.length + 1);
      const problem = outputPathProblem(outputPath(inFiles));
      if (problem) throw new UsageError(`${where} would be written to ${outputPath(inFiles)}, which ${problem}`);
      const common = { path: inFiles, when: manifest.files[inFiles], where };
      files.push(hasExpressions(source) ? { ...common, render } : { ...common, text: source });
    }
  }
  for (const file of Object.keys(manifest.files)) {
    if (!files.some((entry) => entry.path === file)) throw new UsageError(`${label(MANIFEST_FILE)}: files["${file}"] names a file that is not in ${FILES_DIR}/`);
  }

  const hash = createHash('sha256');
  for (const [file, content] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${file}\0${content.length}\0`).update(content);
  return {
    manifest,
    source: fetched.pinned,
    digest: `sha256:${hash.digest('hex')}`,
    layer: { files, partials, manifest: label(MANIFEST_FILE) },
  };
}

/** Fetches, reads and checks a team template, and removes whatever was fetched. */
export async function loadTeamTemplate(text: string, cwd: string): Promise<TeamTemplate> {
  const fetched = await fetchTemplate(text, cwd);
  try {
    return await readTeamTemplate(fetched);
  } finally {
    fetched.cleanup();
  }
}
