/**
 * Renders templates into memory. Nothing touches the disk here, so a bad template or a bad answer fails
 * before a single file is written.
 *
 * A run renders one or two layers: the built-in template, then (with --template) a team template whose
 * files replace built-in files with the same output path and add the rest. Partials (`{{> name}}`) come
 * from each template's partials folder; a later layer's partial replaces an earlier one's. Partials are
 * passed at render time, so precompiled and run-time-compiled templates mix freely.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';
import { templatesDir } from '../paths.js';
import { outputPathProblem } from '../template-source/safe-path.js';
import { COMPILE_OPTIONS, fromSpec, loadCompiler, type TemplateFunction } from './engine.js';
import { PRECOMPILED } from './precompiled.js';

export interface RenderedFile {
  /** Path inside the project, with forward slashes. */
  readonly path: string;
  readonly content: string;
}

/** A file is generated only when every named context field has one of the listed values. */
export type Condition = Readonly<Record<string, readonly unknown[]>>;

export interface TemplateManifest {
  /** Files generated only for some answers: `{ "src/http.ts": { "when": { "transport": ["http", "both"] } } }`. */
  files?: Record<string, { when: Condition }>;
}

/** One file of a layer: rendered (`render`) or copied as it is (`text`). `where` names it in error messages. */
export type LayerFile = { readonly path: string; readonly when?: Condition | undefined; readonly where: string } & (
  | { readonly render: TemplateFunction; readonly text?: undefined }
  | { readonly text: string; readonly render?: undefined }
);

export interface TemplateLayer {
  readonly files: readonly LayerFile[];
  readonly partials: Readonly<Record<string, TemplateFunction>>;
  /** Names the manifest in messages about conditions. */
  readonly manifest: string;
}

export const MANIFEST_FILE = 'template.json';
/** Folder of a built-in template that holds partials rather than files. */
export const PARTIALS_DIR = '_partials';
export const PARTIAL_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Files a template keeps under another name: npm drops `.gitignore` from published packages, and a
 * `package.json` holding template expressions would be read as this folder's own by Node and TypeScript.
 */
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore', '_package.json': 'package.json' };

export function readManifest(templateDir: string): TemplateManifest {
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

/** Every file of a template folder except its manifest and partials, as sorted forward-slash paths. */
export function listTemplateFiles(templateDir: string): string[] {
  return readdirSync(templateDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(templateDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => file !== MANIFEST_FILE && !file.startsWith(`${PARTIALS_DIR}/`))
    .sort();
}

/** The partials of a built-in template folder, `_partials/<name>.hbs`, as name and file. */
export function listPartials(templateDir: string): { name: string; file: string }[] {
  const dir = path.join(templateDir, PARTIALS_DIR);
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return files.map((file) => {
    const name = file.replace(/\.hbs$/, '');
    if (!file.endsWith('.hbs') || !PARTIAL_NAME.test(name)) {
      throw new StepError(`${path.join(dir, file)}: a partial must be named <name>.hbs with a lower-case name like readme-intro.hbs`);
    }
    return { name, file: path.join(dir, file) };
  });
}

/** Files without `{{` are copied as they are: there is nothing to render, and compiling costs time. */
export function hasExpressions(source: string): boolean {
  return source.includes('{{');
}

export function outputPath(templatePath: string): string {
  return templatePath
    .split('/')
    .map((segment) => RENAMED[segment] ?? segment)
    .join('/');
}

/** A built-in template folder as a layer: precompiled when this is the bundle, else read and compiled now. */
export async function loadTemplateLayer(templateDir: string): Promise<TemplateLayer> {
  const manifestFile = path.join(templateDir, MANIFEST_FILE);
  const precompiled = path.dirname(templateDir) === templatesDir ? PRECOMPILED[path.basename(templateDir)] : undefined;
  if (precompiled) {
    return {
      manifest: manifestFile,
      partials: Object.fromEntries(Object.entries(precompiled.partials).map(([name, spec]) => [name, fromSpec(spec)])),
      files: precompiled.files.map((file) => {
        const common = { path: file.path, when: precompiled.manifest.files?.[file.path]?.when, where: path.join(templateDir, file.path) };
        // Plain files are not in the bundle (the package ships templates/ anyway), and are read only if rendered.
        return { ...common, render: file.spec ? fromSpec(file.spec) : () => readFileSync(common.where, 'utf8') };
      }),
    };
  }
  const manifest = readManifest(templateDir);
  const compile = async (source: string) => (await loadCompiler()).compile(source, COMPILE_OPTIONS) as TemplateFunction;
  const partials: Record<string, TemplateFunction> = {};
  // Handlebars compiles lazily, on the first render, so syntax errors are reported by renderLayers below.
  for (const { name, file } of listPartials(templateDir)) partials[name] = await compile(readFileSync(file, 'utf8'));
  const files: LayerFile[] = [];
  for (const file of listTemplateFiles(templateDir)) {
    const where = path.join(templateDir, file);
    const source = readFileSync(where, 'utf8');
    const common = { path: file, when: manifest.files?.[file]?.when, where };
    files.push(hasExpressions(source) ? { ...common, render: await compile(source) } : { ...common, text: source });
  }
  return { manifest: manifestFile, partials, files };
}

/** Orders files by path, code unit by code unit (not by locale), so every machine lists them the same way. */
export function byPath(a: { readonly path: string }, b: { readonly path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Renders the layers in order; a later layer's file replaces an earlier one's with the same output path. */
export function renderLayers(layers: readonly TemplateLayer[], context: Record<string, unknown>): RenderedFile[] {
  const partials = Object.assign({}, ...layers.map((layer) => layer.partials)) as Record<string, TemplateFunction>;
  const rendered = new Map<string, string>();
  for (const layer of layers) {
    for (const file of layer.files) {
      if (file.when && !isWanted(file.when, context, file.path, layer.manifest)) continue;
      const target = outputPath(file.path);
      const problem = outputPathProblem(target);
      if (problem) throw new StepError(`The template file ${file.where} would be written to ${target}, which ${problem}`);
      try {
        rendered.set(target, file.render ? file.render(context, { partials }) : file.text);
      } catch (error) {
        throw new StepError(`Could not render the template file ${file.where}: ${(error as Error).message}`);
      }
    }
  }
  return [...rendered].map(([file, content]) => ({ path: file, content })).sort(byPath);
}

/** One template folder on its own (the built-in template without a team template, and tests). */
export async function renderTemplate(templateDir: string, context: Record<string, unknown>): Promise<RenderedFile[]> {
  return renderLayers([await loadTemplateLayer(templateDir)], context);
}
