/**
 * The Handlebars set-up every template renders with. Built-in templates are precompiled when the
 * generator is built, so a normal run loads only the small Handlebars runtime; the full compiler is
 * loaded on demand for templates read at run time (compiling ~30 files cold costs ~30 ms per run).
 */
import runtimeModule from 'handlebars/runtime.js';
import { jsonLiteral, markdownText, shellWord, tsString, yamlLiteral } from './literals.js';

/** The only helpers templates may call; `knownHelpersOnly` turns a typo into a compile error. */
export const HELPERS = {
  json: jsonLiteral,
  ts: (value: unknown) => tsString(String(value)),
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

/** No HTML escaping (this is code, not HTML), and a missing field is an error rather than an empty string. */
export const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  knownHelpersOnly: true,
  // Of Handlebars' own helpers, log writes to stdout (breaking --json) and lookup reads any field unchecked.
  knownHelpers: { ...Object.fromEntries(Object.keys(HELPERS).map((helper) => [helper, true])), log: false, lookup: false },
} as const;

// handlebars/runtime ships no types of its own; it is the full Handlebars API minus the compiler.
const runtime = runtimeModule as unknown as Pick<typeof import('handlebars'), 'create' | 'template'>;

/** A template, precompiled or compiled at run time; partials are passed per render (`{{> name}}`). */
export type TemplateFunction = (context: Record<string, unknown>, options?: { partials?: Readonly<Record<string, TemplateFunction>> }) => string;
/** What `Handlebars.precompile` produces, once evaluated. */
export type TemplateSpec = Parameters<typeof runtime.template>[0];

const runtimeEnv = runtime.create();
runtimeEnv.registerHelper(HELPERS);
runtimeEnv.unregisterHelper('log');
runtimeEnv.unregisterHelper('lookup');

export function fromSpec(spec: TemplateSpec): TemplateFunction {
  return runtimeEnv.template(spec) as TemplateFunction;
}

let compilerEnv: Promise<typeof import('handlebars')> | undefined;

/** The full Handlebars, with the same helpers; loaded once, on first use. */
export function loadCompiler(): Promise<typeof import('handlebars')> {
  compilerEnv ??= import('handlebars').then(({ default: handlebars }) => {
    const env = handlebars.create();
    env.registerHelper(HELPERS);
    env.unregisterHelper('log');
    env.unregisterHelper('lookup');
    return env;
  });
  return compilerEnv;
}
