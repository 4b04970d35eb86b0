/**
 * Finds places where a template writes user text without a literal helper (json, yaml, md). The built-in
 * templates are checked by a test; a team template is checked when it is loaded, with its own free-text
 * questions added to the list, so a quote or backtick in an answer can never break a generated file.
 */
import type Handlebars from 'handlebars';

/** A parsed template, as the full Handlebars compiler produces it. */
type Program = ReturnType<typeof Handlebars.parse>;

/** Context fields holding free text typed by the user. `this` covers {{#each modelHints}}{{this}}{{/each}}. */
export const BUILTIN_USER_TEXT: readonly string[] = ['name', 'description', 'toolName', 'modelHints', 'binName', 'this'];

/** Mustache expressions anywhere in a template's syntax tree. */
function* mustaches(node: unknown): Generator<{ path: string; line: number }> {
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if ((record.type === 'MustacheStatement' || record.type === 'SubExpression') && record.path) {
    const loc = record.loc as { start: { line: number } };
    yield { path: (record.path as { original: string }).original, line: loc.start.line };
  }
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) for (const item of value) yield* mustaches(item);
    else if (value && typeof value === 'object') yield* mustaches(value);
  }
}

/**
 * Lines where a parsed template writes one of `fields` raw, e.g. `{{description}}` instead of
 * `{{md description}}`. Takes the syntax tree so this module needs no compiler, which loads lazily.
 */
export function rawUserText(ast: Program, fields: readonly string[] = BUILTIN_USER_TEXT): number[] {
  const wanted = new Set(fields);
  return [...mustaches(ast)].filter((expression) => wanted.has(expression.path)).map((expression) => expression.line);
}
