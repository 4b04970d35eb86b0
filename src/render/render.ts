/**
 * Renders a template folder into memory. Nothing touches the disk here, so a bad template or a bad
 * answer fails before a single file is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';
import { templatesDir } from '../paths.js';
import { COMPILE_OPTIONS, fromSpec, loadCompiler, type TemplateFunction } from './engine.js';
import { PRECOMPILED, type PrecompiledFile } from './precompiled.js';

export interface RenderedFile {
  /** Path inside the project, with forward slashes. */
  readonly path: string;
  readonly content: string;
}

export interface TemplateManifest {
  /** Files generated only for some answers: `{ "src/http.ts": { "when": { "transport": ["http", "both"] } } }`. */
  files?: Record<string, { when: Record<string, readonly unknown[]> }>;
}

export const MANIFEST_FILE = 'template.json';

/** npm drops `.gitignore` from published packages, so templates ship it under another name. */
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore' };

export function readManifest(templateDir: string): TemplateManifest {
  const file = path.join(templateDir, MANIFEST_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TemplateManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new StepError(`The template manifest ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function isWanted(condition: Record<string, readonly unknown[]>, context: Record<string, unknown>, file: string): boolean {
  return Object.entries(condition).every(([field, allowed]) => {
    if (!(field in context)) throw new StepError(`${MANIFEST_FILE}: the condition on ${file} names "${field}", which is not an answer`);
    return allowed.includes(context[field]);
  });
}

/** Every file of a template folder, as forward-slash paths relative to it, sorted for stable output. */
export function listTemplateFiles(templateDir: string): string[] {
  return readdirSync(templateDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(templateDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => file !== MANIFEST_FILE)
    .sort();
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

/** A file to render (`render`) or to copy as it is (`text`). */
type TemplateEntry = { path: string; render: TemplateFunction; text?: undefined } | { path: string; text: string; render?: undefined };

/** The template's files, precompiled when it is a built-in one and this is the bundle, else read from disk. */
async function loadTemplate(templateDir: string): Promise<{ manifest: TemplateManifest; files: TemplateEntry[] }> {
  const precompiled = path.dirname(templateDir) === templatesDir ? PRECOMPILED[path.basename(templateDir)] : undefined;
  if (precompiled) {
    const files = precompiled.files.map((file: PrecompiledFile) =>
      file.spec
        ? { path: file.path, render: fromSpec(file.spec) }
        : { path: file.path, text: readFileSync(path.join(templateDir, file.path), 'utf8') },
    );
    return { manifest: precompiled.manifest, files };
  }
  const manifest = readManifest(templateDir);
  const files: TemplateEntry[] = [];
  for (const file of listTemplateFiles(templateDir)) {
    const source = readFileSync(path.join(templateDir, file), 'utf8');
    if (!hasExpressions(source)) {
      files.push({ path: file, text: source });
      continue;
    }
    // Handlebars compiles lazily, on the first render, so syntax errors are reported by renderTemplate below.
    files.push({ path: file, render: (await loadCompiler()).compile(source, COMPILE_OPTIONS) as TemplateFunction });
  }
  return { manifest, files };
}

export async function renderTemplate(templateDir: string, context: Record<string, unknown>): Promise<RenderedFile[]> {
  const { manifest, files } = await loadTemplate(templateDir);
  const rendered: RenderedFile[] = [];
  for (const file of files) {
    const condition = manifest.files?.[file.path]?.when;
    if (condition && !isWanted(condition, context, file.path)) continue;
    try {
      rendered.push({ path: outputPath(file.path), content: file.render ? file.render(context) : file.text });
    } catch (error) {
      throw new StepError(`Could not render the template file ${path.join(templateDir, file.path)}: ${(error as Error).message}`);
    }
  }
  return rendered;
}
