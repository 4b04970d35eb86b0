/**
 * Answers from a file: a --preset (written by a team for CI or for everyone), or the answers of a --from
 * record. Keys are flag names, as in `--max-tokens`; values are JSON (true/false for yes/no options,
 * arrays for repeatable ones). Flags given on the command line win over the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { GivenValues, OptionEntries } from '../options/spec.js';
import { closest } from '../options/validate.js';
import { checkValue } from '../options/values.js';
import { GENERATOR_NAME } from '../version.js';
import { RECORD_FILE, type ProjectRecord } from './record.js';

/** Presets and records are a few hundred bytes; anything this large is the wrong file. */
const MAX_ANSWERS_FILE_BYTES = 1024 * 1024;

/** `label` names the file in errors, as the user gave it (`--preset p.json`). */
export function readJsonObject(file: string, label: string): Record<string, unknown> {
  let text: string;
  try {
    // Checked before reading: a multi-gigabyte file must not be loaded to find that out.
    const { size } = statSync(file);
    if (size > MAX_ANSWERS_FILE_BYTES) {
      throw new UsageError(`${label}: is ${size} bytes; a file of answers is a small JSON object (at most 1 MB). Is it the right file?`);
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${label}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    // Notepad and some Windows tools save UTF-8 with a byte order mark, which JSON.parse refuses.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${label}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${label}: must hold a JSON object`);
  return value as Record<string, unknown>;
}

export interface Preset {
  readonly template: string | undefined;
  /** Answers by flag name, not yet checked against the options (a template may add some). */
  readonly answers: Record<string, unknown>;
}

export function readPreset(file: string): Preset {
  const raw = readJsonObject(file, `--preset ${file}`);
  const { template, $schema: _schema, $comment: _comment, ...answers } = raw;
  if (template !== undefined && typeof template !== 'string') throw new UsageError(`--preset ${file}: "template" must be a string, like the --template flag`);
  return { template, answers };
}

/**
 * Turns answers by flag name into given values by answer key, checking each value on its own (checks that
 * compare answers run later, with everything known). `unknownKeys: 'ignore'` is for records made by another
 * template or generator version: what no longer exists is reported, not fatal.
 */
export function givenFromFile(
  answers: Record<string, unknown>,
  entries: OptionEntries,
  label: string,
  unknownKeys: 'error' | 'ignore',
): { given: GivenValues; ignored: string[] } {
  const byFlag = new Map(entries.map(([key, spec]) => [spec.flag, [key, spec] as const]));
  const allowed = entries.filter(([, spec]) => !spec.control && !spec.positional && !spec.source).map(([, spec]) => spec.flag);
  const given: GivenValues = {};
  const ignored: string[] = [];
  for (const [flag, value] of Object.entries(answers)) {
    const row = byFlag.get(flag);
    if (!row || !allowed.includes(flag)) {
      if (unknownKeys === 'ignore') {
        ignored.push(flag);
        continue;
      }
      const why = row?.[1].positional
        ? 'the project folder is named on the command line'
        : row
          ? `--${flag} controls a single run, so it is given as a flag`
          : `it is not an option${closest(flag, allowed) ? ` (did you mean "${closest(flag, allowed)}"?)` : ''}`;
      throw new UsageError(`${label}: "${flag}" cannot be set here: ${why}`);
    }
    const [key, spec] = row;
    const checked = checkValue(spec, value, {});
    if (!checked.ok) {
      const example = spec.type === 'boolean' ? true : spec.type === 'integer' ? Number(spec.example) : spec.type === 'list' ? [spec.example] : spec.example;
      throw new UsageError(`${label}: "${flag}": ${JSON.stringify(value)} ${checked.problem}. Example: "${flag}": ${JSON.stringify(example)}`);
    }
    given[key] = value;
  }
  return { given, ignored };
}

/** Reads a record for --from, checking its shape; the answers are checked later like a preset's. */
export function readRecord(file: string, label = `--from ${file}`): ProjectRecord {
  const raw = readJsonObject(file, label);
  const fail = (problem: string): never => {
    throw new UsageError(`${label}: ${problem}. It should be the ${RECORD_FILE} of a project made by ${GENERATOR_NAME}`);
  };
  const generator = raw.generator as ProjectRecord['generator'] | undefined;
  if (typeof generator !== 'object' || generator === null || generator.name !== GENERATOR_NAME || typeof generator.version !== 'string') {
    fail(`"generator" does not name ${GENERATOR_NAME} and a version`);
  }
  const template = raw.template as ProjectRecord['template'] | undefined;
  if (template !== null && (typeof template !== 'object' || typeof template?.source !== 'string' || typeof template.digest !== 'string')) {
    fail('"template" must be null or an object with "source" and "digest"');
  }
  if (typeof raw.answers !== 'object' || raw.answers === null || Array.isArray(raw.answers)) fail('"answers" must be an object');
  return raw as unknown as ProjectRecord;
}
