/**
 * Renders templates into memory. Nothing touches the disk here, so a bad template or a bad answer fails
 * before a single file is written.
 *
 * A run renders one or two layers: the built-in template, then (with --template) a team template whose
 * files replace built-in files with the same output path and add the rest. Partials (`{{> name}}`) come
 * from each template's `_partials/<name>.hbs`; a later layer's partial replaces an earlier one's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { StepError } from '../errors.js';
import { outputPathProblem } from '../template-source/safe-path.js';
import { jsonLiteral, markdownText, yamlLiteral } from './literals.js';

export interface RenderedFile {
  /** Path inside the project, with forward slashes. */
  readonly path: string;
  readonly content: string;
}

/** A file is generated only when every named context field has one of the listed values. */
export type Condition = Readonly<Record<string, readonly unknown[]>>;

interface TemplateManifest {
  /** Files generated only for some answers: `{ "src/http.ts": { "when": { "transport": ["http", "both"] } } }`. */
  files?: Record<string, { when: Condition }>;
}

/** One source file of a template, already read. `where` names it in error messages. */
export interface TemplateFile {
  readonly path: string;
  readonly source: string;
  readonly when?: Condition | undefined;
  readonly where: string;
}

export interface TemplateLayer {
  readonly files: readonly TemplateFile[];
  readonly partials: Readonly<Record<string, { readonly source: string; readonly where: string }>>;
  /** Names the manifest in messages about conditions. */
  readonly manifest: string;
}

export const MANIFEST_FILE = 'template.json';
/** Folder of a built-in template that holds partials rather than files. */
export const PARTIALS_DIR = '_partials';
export const PARTIAL_NAME = /^[a-z][a-z0-9-]*$/;

/** npm drops `.gitignore` from published packages, so templates ship it under another name. */
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore' };

/** The only helpers templates may call; `knownHelpersOnly` turns a typo into a compile error. */
const HELPERS = {
  json: jsonLiteral,
  yaml: yamlLiteral,
  md: markdownText,
  eq: (a: unknown, b: unknown) => a === b,
  ne: (a: unknown, b: unknown) => a !== b,
  // Handlebars passes its options object last; drop it before combining the arguments.
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  not: (value: unknown) => !value,
} as const;

export const handlebars = Handlebars.create();
handlebars.registerHelper(HELPERS);

export const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((helper) => [helper, true])),
} as const;

function readManifest(templateDir: string): TemplateManifest {
  const file = path.join(templateDir, MANIFEST_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TemplateManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new StepError(`The template manifest ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function isWanted(condition: Condition, context: Record<string, unknown>, file: string, manifest: string): boolean {
  return Object.entries(condition).every(([field, allowed]) => {
    if (!(field in context)) throw new StepError(`${manifest}: the condition on ${file} names "${field}", which is not an answer`);
    return allowed.includes(context[field]);
  });
}

/** Every file of a template folder, as forward-slash paths relative to it, sorted for stable output. */
export function listTemplateFiles(templateDir: string): string[] {
  return readdirSync(templateDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(templateDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => file !== MANIFEST_FILE && !file.startsWith(`${PARTIALS_DIR}/`))
    .sort();
}

/** The partials of a built-in template folder: `_partials/<name>.hbs`. */
function readPartials(templateDir: string): TemplateLayer['partials'] {
  const dir = path.join(templateDir, PARTIALS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return {};
  }
  return Object.fromEntries(
    names.sort().map((file) => {
      const name = file.replace(/\.hbs$/, '');
      if (!file.endsWith('.hbs') || !PARTIAL_NAME.test(name)) {
        throw new StepError(`${path.join(dir, file)}: a partial must be named <name>.hbs with a lower-case name like readme-intro.hbs`);
      }
      return [name, { source: readFileSync(path.join(dir, file), 'utf8'), where: path.join(dir, file) }];
    }),
  );
}

/** A template folder as a layer: every file (read now), its conditions and its partials. */
export function readTemplateFolder(templateDir: string): TemplateLayer {
  const manifest = readManifest(templateDir);
  return {
    manifest: path.join(templateDir, MANIFEST_FILE),
    partials: readPartials(templateDir),
    files: listTemplateFiles(templateDir).map((file) => ({
      path: file,
      source: readFileSync(path.join(templateDir, file), 'utf8'),
      when: manifest.files?.[file]?.when,
      where: path.join(templateDir, file),
    })),
  };
}

export function outputPath(templatePath: string): string {
  return templatePath
    .split('/')
    .map((segment) => RENAMED[segment] ?? segment)
    .join('/');
}

function compile(source: string): HandlebarsTemplateDelegate {
  // Lazy: Handlebars parses on first use, inside the try below, so errors still name the file.
  return handlebars.compile(source, COMPILE_OPTIONS);
}

/** Renders the layers in order; a later layer's file replaces an earlier one's with the same output path. */
export function renderLayers(layers: readonly TemplateLayer[], context: Record<string, unknown>): RenderedFile[] {
  const partials: Record<string, HandlebarsTemplateDelegate> = {};
  for (const layer of layers) {
    for (const [name, partial] of Object.entries(layer.partials)) partials[name] = compile(partial.source);
  }
  const rendered = new Map<string, string>();
  for (const layer of layers) {
    for (const file of layer.files) {
      if (file.when && !isWanted(file.when, context, file.path, layer.manifest)) continue;
      const target = outputPath(file.path);
      const problem = outputPathProblem(target);
      if (problem) throw new StepError(`The template file ${file.where} would be written to ${target}, which ${problem}`);
      const template = compile(file.source);
      try {
        rendered.set(target, template(context, { partials }));
      } catch (error) {
        throw new StepError(`Could not render the template file ${file.where}: ${(error as Error).message}`);
      }
    }
  }
  return [...rendered].map(([file, content]) => ({ path: file, content })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function renderTemplate(templateDir: string, context: Record<string, unknown>): RenderedFile[] {
  return renderLayers([readTemplateFolder(templateDir)], context);
}
