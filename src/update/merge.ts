/**
 * Decides every file's fate in an update, as copier and cruft do: `base` is what the old version made,
 * `theirs` what the new one makes from the same (or changed) answers, `ours` the project as it is now.
 * Text files are merged line by line by node-diff3; package.json is merged as JSON, key by key.
 */
import { UsageError } from '../errors.js';
import type { ProjectFiles } from './render.js';

export type Fate =
  /** Nothing to do: the new version did not change it, or the project already has its new content. */
  | 'unchanged'
  /** The user never changed it: it takes the new version. */
  | 'updated'
  /** Both changed it, in different places: merged. */
  | 'merged'
  /** Both changed the same lines: written with conflict markers for the user to resolve. */
  | 'conflict'
  /** New in this version. */
  | 'added'
  /** The new version no longer has it, and the user never changed it. */
  | 'removed'
  /** The user deleted it: it stays deleted (--restore-deleted brings it back). */
  | 'deleted-kept'
  /** The user deleted it and asked for it back. */
  | 'restored'
  /** The new version no longer has it, but the user changed it: left as it is. */
  | 'kept';

export interface FileFate {
  readonly path: string;
  readonly fate: Fate;
  /** What to write (undefined: leave the file as it is, or, for `removed`, delete it). */
  readonly content?: string;
  /** Why, where the fate alone does not say (a package.json value kept). */
  readonly note?: string;
}

export interface MergeLabels {
  /** Names the project's side in conflict markers. */
  readonly ours: string;
  /** Names the new version's side. */
  readonly theirs: string;
}

/** Splits into lines keeping each line's ending, so a merge gives back the exact bytes of unchanged lines. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A 3-way merge of text; conflict markers on lines of their own, as git writes them. */
type Diff3Merge = typeof import('node-diff3').merge;

function mergeText(merge: Diff3Merge, ours: string, base: string, theirs: string, labels: MergeLabels): { text: string; conflict: boolean } {
  const merged = merge(lines(ours), lines(base), lines(theirs), { label: { a: labels.ours, b: labels.theirs } });
  if (!merged.conflict) return { text: merged.result.join(''), conflict: false };
  // Markers come without line endings, and a side's last line may have none: each goes on a line of its own.
  return { text: merged.result.map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join(''), conflict: true };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (value: Json | undefined): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The maps npm keeps sorted by name; a new entry goes where npm would put it, if the user kept them sorted. */
const DEPENDENCY_MAPS = new Set(['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']);

/** A value both sides changed differently: the user's stays, and this says what the new version has. */
export interface JsonConflict {
  readonly at: string;
  readonly theirs: Json | undefined;
}

/**
 * Merges JSON key by key: what the new version changed is taken unless the user changed the same key too; then
 * the user's value stays and is listed as a conflict. Keys only one side has are kept, in the user's order.
 */
function mergeJson(ours: Json | undefined, base: Json | undefined, theirs: Json | undefined, at: string, conflicts: JsonConflict[]): Json | undefined {
  if (same(base, theirs)) return ours;
  if (same(base, ours) || same(ours, theirs)) return theirs;
  if (isObject(ours) && isObject(theirs)) {
    const baseObject = isObject(base) ? base : {};
    const keys = [...Object.keys(ours), ...Object.keys(theirs).filter((key) => !(key in ours))];
    const result: { [key: string]: Json } = {};
    for (const key of keys) {
      const value = mergeJson(ours[key], baseObject[key], theirs[key], at ? `${at}.${key}` : key, conflicts);
      if (value !== undefined) result[key] = value;
    }
    const names = Object.keys(ours);
    const keptSorted = DEPENDENCY_MAPS.has(at) && names.length > 1 && names.every((key, index) => index === 0 || names[index - 1]! <= key);
    return keptSorted ? Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : 1))) : result;
  }
  conflicts.push({ at, theirs });
  return ours;
}

/**
 * package.json as JSON: the user's own dependencies and scripts stay, the generator's are bumped; written with
 * the user's indentation.
 */
export function mergePackageJson(ours: string, base: string, theirs: string): { text: string; conflicts: JsonConflict[] } {
  const conflicts: JsonConflict[] = [];
  const merged = mergeJson(JSON.parse(ours) as Json, JSON.parse(base) as Json, JSON.parse(theirs) as Json, '', conflicts);
  const indent = /^([ \t]+)"/m.exec(ours)?.[1] ?? '  ';
  return { text: `${JSON.stringify(merged, null, indent)}${ours.endsWith('\n') ? '\n' : ''}`, conflicts };
}

export interface MergeOptions {
  readonly labels: MergeLabels;
  /** Bring back files the user deleted that the new version still has. */
  readonly restoreDeleted: boolean;
}

/** Decides every file's fate against the project as `readOurs` reads it (undefined: it has no such file). */
export type UpdatePlanner = (readOurs: (file: string) => string | undefined) => FileFate[];

/** Conflict markers left by an earlier merge: merging again would nest new markers inside them. */
const UNRESOLVED = /^<{7}(?: |$)[\s\S]*?^>{7}(?: |$)/m;

/** Most lines end in CRLF (a Windows checkout): merged as LF, written back as CRLF. */
function mostlyCrlf(text: string): boolean {
  const crlf = text.split('\r\n').length - 1;
  return crlf > text.split('\n').length - 1 - crlf;
}

/** `text` (LF) in the line endings of `ours`, the project's copy of the file, and with its byte order mark. */
export function inStyleOf(ours: string | undefined, text: string): string {
  const endings = ours !== undefined && mostlyCrlf(ours) ? text.replace(/\r?\n/g, '\r\n') : text;
  return ours?.startsWith('\uFEFF') && !endings.startsWith('\uFEFF') ? `\uFEFF${endings}` : endings;
}

/** Loads the merge library, then plans synchronously: the caller reads and writes the project holding its lock. */
export async function updatePlanner(base: ProjectFiles, theirs: ProjectFiles, options: MergeOptions): Promise<UpdatePlanner> {
  const { merge } = await import('node-diff3');
  const paths = [...new Set([...base.keys(), ...theirs.keys()])].sort();
  return (readOurs) => {
    const project = new Map(paths.map((file) => [file, readOurs(file)]));
    const unresolved = paths.filter((file) => UNRESOLVED.test(project.get(file) ?? ''));
    if (unresolved.length > 0) {
      throw new UsageError(
        `${unresolved.join(', ')} still ${unresolved.length === 1 ? 'has' : 'have'} conflict markers (<<<<<<< ... >>>>>>>) from an earlier merge. ` +
          'Resolve them and commit, then run the command again.',
      );
    }
    // A new file follows the checkout: CRLF when most of the project's files are.
    const present = [...project.values()].filter((text) => text !== undefined);
    const crlfCheckout = present.filter(mostlyCrlf).length * 2 > present.length;
    return paths.map((file) => {
      const ours = project.get(file);
      const crlf = ours === undefined ? crlfCheckout : mostlyCrlf(ours);
      const fate = fateOf(merge, file, base.get(file), theirs.get(file), crlf ? ours?.replace(/\r\n/g, '\n') : ours, options);
      return crlf && fate.content !== undefined ? { ...fate, content: fate.content.replace(/\r?\n/g, '\r\n') } : fate;
    });
  };
}

function fateOf(merge: Diff3Merge, file: string, before: string | undefined, after: string | undefined, ours: string | undefined, options: MergeOptions): FileFate {
  if (after === undefined) {
    // The new version dropped it.
    if (ours === undefined) return { path: file, fate: 'unchanged' };
    return ours === before ? { path: file, fate: 'removed' } : { path: file, fate: 'kept', note: 'the new version no longer has it; you changed it, so it stays' };
  }
  if (ours === after) return { path: file, fate: 'unchanged' };
  if (ours === undefined) {
    if (before === undefined) return { path: file, fate: 'added', content: after };
    if (options.restoreDeleted) return { path: file, fate: 'restored', content: after };
    return { path: file, fate: before === after ? 'unchanged' : 'deleted-kept' };
  }
  if (before === after) return { path: file, fate: 'unchanged' };
  if (ours === before) return { path: file, fate: 'updated', content: after };
  if (file === 'package.json' || file.endsWith('/package.json')) {
    try {
      const { text, conflicts } = mergePackageJson(ours, before ?? '{}', after);
      const content = text === ours ? {} : { content: text };
      if (conflicts.length === 0) return { path: file, fate: text === ours ? 'unchanged' : 'merged', ...content };
      const said = conflicts.map((conflict) => `${conflict.at} (yours kept; the new version has ${JSON.stringify(conflict.theirs) ?? 'none'})`);
      return { path: file, fate: 'conflict', ...content, note: `both changed ${said.join(', ')}` };
    } catch {
      // Not JSON any more (being edited): merged as text below, so nothing is lost.
    }
  }
  const { text, conflict } = mergeText(merge, ours, before ?? '', after, options.labels);
  return { path: file, fate: conflict ? 'conflict' : 'merged', content: text };
}
