/**
 * Helpers that turn user text into a valid literal of the language a template is written in. Templates
 * never insert user text raw (a test walks every template to check), so quotes, backticks, `${}`, `*\/`,
 * `{{`, `<` and `&` in a description cannot break the generated code.
 */

/** A JSON value; also a valid TypeScript/JavaScript literal (ES2019 allows U+2028/2029 in strings). */
export function jsonLiteral(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`cannot write ${String(value)} as a literal`);
  return text;
}

/**
 * A TypeScript string literal in the single quotes the generated code uses elsewhere. JSON's escapes are
 * all valid in a single-quoted string; only the quotes themselves change.
 */
export function tsString(value: string): string {
  const body = jsonLiteral(String(value)).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${body}'`;
}

/** A YAML double-quoted scalar: JSON strings are valid YAML 1.2 flow scalars. */
export function yamlLiteral(value: string): string {
  return jsonLiteral(String(value));
}

/**
 * Inline Markdown text that renders as exactly the input. Characters that can start emphasis, code, links,
 * HTML, entities or tables are backslash-escaped everywhere; list and heading markers only where they
 * would count, at the start. Everything else stays readable in the raw file.
 */
export function markdownText(value: string): string {
  return String(value)
    .replace(/[\\`*_{}[\]<>#|~&!]/g, (char) => `\\${char}`)
    .replace(/^([+\-=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** A POSIX shell word: plain words stay as they are, anything else is single-quoted. */
export function shellWord(arg: string): string {
  if (/^[A-Za-z0-9_\-.,/:@=+%^]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
