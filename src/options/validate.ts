/** Pure checks used by the option table. Each returns the problem in words, or undefined when fine. */
import validateNpmPackageName from 'validate-npm-package-name';

export function checkPackageName(name: string): string | undefined {
  const result = validateNpmPackageName(name);
  if (result.validForNewPackages) return undefined;
  const reasons = [...(result.errors ?? []), ...(result.warnings ?? [])];
  return `is not a valid npm package name (${reasons.join('; ')})`;
}

/**
 * Turns a folder name into a package name npm accepts: accents dropped, lower case, no spaces, only URL-safe characters.
 * Returns undefined when nothing usable is left (the user must then pass --name).
 */
export function toPackageName(folderName: string): string | undefined {
  const candidate = folderName
    .trim()
    // Letters with accents keep their base letter (Ünïcode Ñame -> unicode-name) rather than becoming dashes.
    .normalize('NFKD')
    .replace(/\p{Mn}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/^[._]+/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return candidate && checkPackageName(candidate) === undefined ? candidate : undefined;
}

/**
 * MCP tool names. The 2025-11-25 spec allows 1-128 of [A-Za-z0-9_.-] (SEP-986 adds `/`), but Claude Desktop
 * and the Anthropic API accept only ^[a-zA-Z0-9_-]{1,64}$; a generator should emit names every host accepts.
 */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function checkToolName(name: string): string | undefined {
  // The SDKs keep tools in a plain object, where these names already exist: the server could not register them.
  if (name in Object.prototype || name === '__proto__') {
    return `is a name every JavaScript object already has, so the MCP SDK cannot register a tool under it; choose another, e.g. ${name.replace(/_/g, '')}_tool`;
  }
  if (TOOL_NAME_PATTERN.test(name)) return undefined;
  if (name.length === 0) return 'must not be empty';
  if (name.length > 64) return `is ${name.length} characters long; hosts accept at most 64`;
  return 'may contain only letters, digits, "_" and "-" (dots, slashes and spaces are rejected by some hosts)';
}

/** `code-patterns` -> `code_patterns`: the default tool name for a preset. */
export function toToolName(preset: string): string {
  return preset.replace(/-/g, '_');
}

/**
 * One line of free text that ends up in package.json, TypeScript literals, YAML and Markdown. Any printable
 * Unicode is fine. Refused: line breaks and other control characters (a description is one line, and a
 * newline has no faithful form in a Markdown heading), surrounding spaces, and unpaired surrogates (UTF-8
 * cannot encode them, so package.json would not read back as typed).
 */
export function checkText(text: string, maxLength: number): string | undefined {
  if (text.length > maxLength) return `is ${text.length} characters long; the limit is ${maxLength}`;
  if (/[\r\n\u2028\u2029]/.test(text)) return 'must be a single line';
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(text);
  if (control) return `contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (text !== text.trim()) return 'must not start or end with spaces';
  if (!text.isWellFormed()) return 'contains an unpaired UTF-16 surrogate, which cannot be saved as UTF-8';
  return undefined;
}

/** A model hint is a substring the host matches against model names, e.g. "claude-sonnet". */
export function checkModelHint(hint: string): string | undefined {
  if (hint === '') return 'must not be empty';
  return checkText(hint, 100);
}

/** Levenshtein distance, for "did you mean" suggestions on mistyped flags. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  // Case is the commonest slip (--transport HTTP): it costs nothing, so a case-only difference always wins.
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
