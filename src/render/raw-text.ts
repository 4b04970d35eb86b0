/**
 * Finds places where a template writes user text without a literal helper (json, yaml, md). The built-in
 * templates are checked by a test; a team template is checked when it is loaded, with its own free-text
 * questions added to the list, so a quote or backtick in an answer can never break a generated file.
 */
import type Handlebars from 'handlebars';

/** A parsed template, as the full Handlebars compiler produces it. */
type Program = ReturnType<typeof Handlebars.parse>;

/** Context fields holding free text typed by the user. `this` covers {{#each modelHints}}{{this}}{{/each}}. */
export const BUILTIN_USER_TEXT: readonly string[] = ['name', 'description', 'toolName', 'modelHints', 'binName', 'author', 'publicUrl', 'this'];

interface PathNode {
  type: 'PathExpression';
  original: string;
  parts: string[];
  data: boolean;
}

/** What the current block's context (`this`) and block params stand for. */
interface Scope {
  thisIsUserText: boolean;
  userTextParams: ReadonlySet<string>;
}

/**
 * Whether a path names user text however it is spelt: `description`, `this.description`,
 * `@root.description`, `../description`, or `this` / a block param inside `{{#each modelHints}}`.
 */
function namesUserText(node: unknown, wanted: ReadonlySet<string>, scope: Scope): boolean {
  const path = node as PathNode | undefined;
  if (path?.type !== 'PathExpression') return false;
  const [head, second] = path.parts;
  if (path.data) return head === 'root' && second !== undefined && wanted.has(second);
  if (head === undefined) return scope.thisIsUserText;
  return scope.userTextParams.has(head) || wanted.has(head);
}

/** Raw outputs of user text anywhere in a template's syntax tree, with their lines. */
function* rawOutputs(node: unknown, wanted: ReadonlySet<string>, scope: Scope): Generator<number> {
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (record.type === 'MustacheStatement' && namesUserText(record.path, wanted, scope)) {
    yield (record.loc as { start: { line: number } }).start.line;
  }
  if (record.type === 'BlockStatement') {
    // {{#each x}} and {{#with x}} make `this` (and any block params) stand for x inside the block.
    const helper = (record.path as PathNode).original;
    const [subject] = record.params as unknown[];
    if ((helper === 'each' || helper === 'with') && namesUserText(subject, wanted, scope)) {
      const program = record.program as { blockParams?: string[] } | undefined;
      const inner: Scope = { thisIsUserText: true, userTextParams: new Set([...scope.userTextParams, ...(program?.blockParams ?? [])]) };
      yield* rawOutputs(record.program, wanted, inner);
      yield* rawOutputs(record.inverse, wanted, scope);
      return;
    }
  }
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) for (const item of value) yield* rawOutputs(item, wanted, scope);
    else if (value && typeof value === 'object') yield* rawOutputs(value, wanted, scope);
  }
}

/**
 * Lines where a parsed template writes one of `fields` raw, e.g. `{{description}}` or `{{this.description}}`
 * instead of `{{md description}}`. Reads the syntax tree, not the text, so no spelling slips through; takes
 * the tree so this module needs no compiler, which loads lazily.
 */
export function rawUserText(ast: Program, fields: readonly string[] = BUILTIN_USER_TEXT): number[] {
  const wanted = new Set(fields.filter((field) => field !== 'this'));
  return [...new Set(rawOutputs(ast, wanted, { thisIsUserText: false, userTextParams: new Set() }))].sort((a, b) => a - b);
}
