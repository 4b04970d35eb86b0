/**
 * Renders a template folder into memory. Nothing touches the disk here, so a bad template or a bad
 * answer fails before a single file is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { StepError } from '../errors.js';
import { jsonLiteral, markdownText, shellWord, yamlLiteral } from './literals.js';

export interface RenderedFile {
  /** Path inside the project, with forward slashes. */
  readonly path: string;
  readonly content: string;
}

interface TemplateManifest {
  /** Files generated only for some answers: `{ "src/http.ts": { "when": { "transport": ["http", "both"] } } }`. */
  files?: Record<string, { when: Record<string, readonly unknown[]> }>;
}

export const MANIFEST_FILE = 'template.json';

/** npm drops `.gitignore` from published packages, so templates ship it under another name. */
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore' };

/** The only helpers templates may call; `knownHelpersOnly` turns a typo into a compile error. */
const HELPERS = {
  json: jsonLiteral,
  yaml: yamlLiteral,
  md: markdownText,
  sh: (value: unknown) => shellWord(String(value)),
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

export function outputPath(templatePath: string): string {
  return templatePath
    .split('/')
    .map((segment) => RENAMED[segment] ?? segment)
    .join('/');
}

export function renderTemplate(templateDir: string, context: Record<string, unknown>): RenderedFile[] {
  const manifest = readManifest(templateDir);
  const rendered: RenderedFile[] = [];
  for (const file of listTemplateFiles(templateDir)) {
    const condition = manifest.files?.[file]?.when;
    if (condition && !isWanted(condition, context, file)) continue;
    const source = readFileSync(path.join(templateDir, file), 'utf8');
    try {
      rendered.push({ path: outputPath(file), content: handlebars.compile(source, COMPILE_OPTIONS)(context) });
    } catch (error) {
      throw new StepError(`Could not render the template file ${path.join(templateDir, file)}: ${(error as Error).message}`);
    }
  }
  return rendered;
}
