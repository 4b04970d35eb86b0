/**
 * A team template's manifest (`template.json`), checked field by field. Every problem is reported as
 * "<file>: <field> <problem>", because the person reading it is the template's author.
 *
 * Questions are written in the shape of the built-in option table (flag, type, choices, default, prompt,
 * min/max, describe, example) and become rows of it for the run, so flags, questions, --help, checks,
 * --json and the replay command all cover them.
 */
import vm from 'node:vm';
import { UsageError } from '../errors.js';
import type { Condition } from '../render/render.js';
import type { ChoiceSpec, OptionSpec } from '../options/spec.js';
import { keyOf } from '../options/spec.js';
import { checkText, closest } from '../options/validate.js';
import { checkValue } from '../options/values.js';
import { relativePathProblem } from './safe-path.js';

export interface TeamManifest {
  readonly name: string;
  readonly description: string;
  readonly version: string | undefined;
  /** Range of generator versions the template works with, e.g. ">=0.1.0 <0.3.0". */
  readonly generator: string;
  /** The built-in template (an --sdk value) whose files this one renders over. */
  readonly extends: string;
  readonly questions: readonly (readonly [string, OptionSpec])[];
  /** Conditions on the template's own files, by path inside `files/`. */
  readonly files: Readonly<Record<string, Condition>>;
}

/** What the manifest may not use as question names, and what it may name in conditions. */
export interface ManifestRules {
  readonly reservedFlags: ReadonlySet<string>;
  readonly contextFields: ReadonlySet<string>;
  readonly builtinTemplates: readonly string[];
}

const TOP_KEYS = ['$schema', 'name', 'description', 'version', 'generator', 'extends', 'questions', 'files'];
const QUESTION_KEYS = ['flag', 'type', 'describe', 'example', 'default', 'prompt', 'choices', 'min', 'max', 'unit', 'maxItems', 'maxLength', 'pattern'];
const TYPES = ['string', 'integer', 'boolean', 'list', 'choice'] as const;
const FLAG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const CHOICE_VALUE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TEMPLATE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const MAX_QUESTIONS = 30;

class ManifestProblem extends Error {}

const fail = (problem: string): never => {
  throw new ManifestProblem(problem);
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(object: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (allowed.includes(key)) continue;
    const suggestion = closest(key, allowed);
    fail(`${where} has an unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known fields: ${allowed.join(', ')}`);
  }
}

/** Text shown on the user's terminal (help, questions): one line, no control characters (no escape sequences). */
function line(value: unknown, where: string, max: number): string {
  if (typeof value !== 'string' || value === '') return fail(`${where} must be a non-empty string`);
  const problem = checkText(value, max);
  return problem ? fail(`${where} ${problem}`) : value;
}

function integer(value: unknown, where: string): number {
  return Number.isSafeInteger(value) ? (value as number) : fail(`${where} must be a whole number`);
}

function question(raw: unknown, index: number, templateName: string, rules: ManifestRules, taken: Set<string>): [string, OptionSpec] {
  const at = `questions[${index}]`;
  if (!isObject(raw)) return fail(`${at} must be an object like {"flag": "ci", "type": "choice", ...}`);
  onlyKeys(raw, QUESTION_KEYS, at);
  const flag = raw.flag;
  if (typeof flag !== 'string' || !FLAG.test(flag) || flag.length > 40) {
    return fail(`${at}.flag must be a kebab-case name like "ci-provider" (lower case, digits, single dashes; at most 40 characters)`);
  }
  const key = keyOf(flag);
  if (flag.startsWith('no-')) fail(`${at}.flag "${flag}" may not start with "no-", which negates a yes/no option`);
  if (rules.reservedFlags.has(flag) || rules.reservedFlags.has(key) || rules.contextFields.has(key) || key in Object.prototype) {
    fail(`${at}.flag "${flag}" is already used by the generator; choose another name, e.g. "team-${flag}"`);
  }
  if (taken.has(key)) fail(`${at}.flag "${flag}" is used by an earlier question`);
  taken.add(key);
  const type = raw.type;
  if (!TYPES.includes(type as (typeof TYPES)[number])) return fail(`${at}.type must be one of ${TYPES.join(', ')}`);
  const describe = line(raw.describe, `${at}.describe`, 300);
  let prompt: { message: string; advanced?: boolean } | undefined;
  if (raw.prompt !== undefined) {
    if (typeof raw.prompt === 'string') prompt = { message: line(raw.prompt, `${at}.prompt`, 200) };
    else if (isObject(raw.prompt)) {
      onlyKeys(raw.prompt, ['message', 'advanced'], `${at}.prompt`);
      if (raw.prompt.advanced !== undefined && typeof raw.prompt.advanced !== 'boolean') fail(`${at}.prompt.advanced must be true or false`);
      prompt = { message: line(raw.prompt.message, `${at}.prompt.message`, 200), advanced: raw.prompt.advanced === true };
    } else fail(`${at}.prompt must be the question's text, or {"message": "...", "advanced": true}`);
  }
  const base = { flag, describe, group: `Template ${templateName}` as const, ...(prompt ? { prompt } : {}) };
  const example = type === 'boolean' ? (raw.example === undefined ? `--${flag}` : line(raw.example, `${at}.example`, 200)) : line(raw.example, `${at}.example`, 200);

  const typeOnly = (allowed: string[]) => {
    for (const field of ['choices', 'min', 'max', 'unit', 'maxItems', 'maxLength', 'pattern']) {
      if (raw[field] !== undefined && !allowed.includes(field)) fail(`${at}.${field} does not apply to a ${type} question`);
    }
  };
  let spec: OptionSpec;
  switch (type as (typeof TYPES)[number]) {
    case 'string': {
      typeOnly(['maxLength', 'pattern']);
      const maxLength = raw.maxLength === undefined ? 200 : integer(raw.maxLength, `${at}.maxLength`);
      let pattern: RegExp | undefined;
      if (raw.pattern !== undefined) {
        try {
          pattern = new RegExp(`^(?:${String(raw.pattern)})$`, 'u');
        } catch (error) {
          fail(`${at}.pattern is not a valid regular expression: ${(error as Error).message}`);
        }
      }
      // Free text ends up in files, so the same one-line rule as --description applies, plus the author's pattern.
      spec = {
        ...base,
        type: 'string',
        example,
        validate: (value) => checkText(value, maxLength) ?? (pattern && !matchesInTime(pattern, value, String(raw.pattern)) ? `must match ${String(raw.pattern)}` : undefined),
      };
      break;
    }
    case 'integer': {
      typeOnly(['min', 'max', 'unit']);
      const min = integer(raw.min, `${at}.min`);
      const max = integer(raw.max, `${at}.max`);
      if (min < 0 || max < min) fail(`${at}.min and .max must satisfy 0 <= min <= max`);
      spec = { ...base, type: 'integer', example, min, max, ...(raw.unit === undefined ? {} : { unit: line(raw.unit, `${at}.unit`, 30) }) };
      break;
    }
    case 'boolean':
      typeOnly([]);
      spec = { ...base, type: 'boolean', example };
      break;
    case 'list': {
      typeOnly(['maxItems']);
      const maxItems = raw.maxItems === undefined ? 10 : integer(raw.maxItems, `${at}.maxItems`);
      spec = {
        ...base,
        type: 'list',
        example,
        maxItems,
        validate: (items) => {
          for (const item of items) {
            const problem = checkText(item, 200);
            if (problem) return `"${item}" ${problem}`;
          }
          return undefined;
        },
      };
      break;
    }
    case 'choice': {
      typeOnly(['choices']);
      if (!Array.isArray(raw.choices) || raw.choices.length === 0) return fail(`${at}.choices must be a non-empty list`);
      const choices = raw.choices.map((choice: unknown, n: number) => {
        const where = `${at}.choices[${n}]`;
        const entry = typeof choice === 'string' ? { value: choice } : isObject(choice) ? choice : fail(`${where} must be a value or {"value", "title", "hint"}`);
        onlyKeys(entry, ['value', 'title', 'hint'], where);
        // Choice values are written into files as they are, so they are plain words.
        if (typeof entry.value !== 'string' || !CHOICE_VALUE.test(entry.value)) fail(`${where}.value must be a plain word (letters, digits, . _ -)`);
        const value = entry.value as string;
        return {
          value,
          title: entry.title === undefined ? value : line(entry.title, `${where}.title`, 100),
          hint: entry.hint === undefined ? '' : line(entry.hint, `${where}.hint`, 200),
        };
      });
      if (new Set(choices.map((choice) => choice.value)).size !== choices.length) fail(`${at}.choices has a value twice`);
      spec = { ...base, type: 'choice', example, choices } satisfies ChoiceSpec;
      break;
    }
  }
  if (raw.default !== undefined) {
    const checked = checkValue(spec!, raw.default, {});
    if (!checked.ok) fail(`${at}.default ${JSON.stringify(raw.default)} ${checked.problem}`);
    spec = { ...spec!, default: checked.ok ? (checked.value as never) : undefined } as OptionSpec;
  } else if (!prompt) {
    fail(`${at} needs a "default" or a "prompt": without either, the answer could only come from a flag`);
  }
  if (type !== 'boolean') {
    const checked = checkValue(spec!, type === 'list' ? [example] : example, {});
    if (!checked.ok) fail(`${at}.example "${example}" ${checked.problem}`);
  }
  return [key, spec!];
}

function conditions(raw: unknown, known: ReadonlySet<string>, values: ReadonlyMap<string, OptionSpec>): Record<string, Condition> {
  if (raw === undefined) return {};
  if (!isObject(raw)) return fail('files must be an object like {"path/in/files": {"when": {"transport": ["http"]}}}');
  const result: Record<string, Condition> = {};
  for (const [file, entry] of Object.entries(raw)) {
    const at = `files[${JSON.stringify(file)}]`;
    const problem = relativePathProblem(file);
    if (problem) fail(`${at}: the path ${problem}`);
    if (!isObject(entry)) return fail(`${at} must be {"when": {...}}`);
    onlyKeys(entry, ['when'], at);
    if (!isObject(entry.when)) return fail(`${at}.when must map answers to lists of values, e.g. {"transport": ["http", "both"]}`);
    for (const [field, allowed] of Object.entries(entry.when)) {
      if (!known.has(field)) {
        const suggestion = closest(field, [...known]);
        fail(`${at}.when names "${field}", which is not an answer${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
      }
      if (!Array.isArray(allowed) || allowed.some((value) => value === null || typeof value === 'object')) {
        fail(`${at}.when.${field} must be a list of values`);
      }
      const spec = values.get(field);
      if (spec?.type === 'choice') {
        for (const value of allowed as unknown[]) {
          if (!spec.choices.some((choice) => choice.value === value)) fail(`${at}.when.${field}: ${JSON.stringify(value)} is not one of its choices`);
        }
      }
    }
    result[file] = entry.when as Condition;
  }
  return result;
}

/**
 * Checks a manifest's JSON text. `builtinSpecs` are the built-in rows by answer key, used to check that
 * conditions on built-in choices name real values.
 */
export function parseManifest(text: string, label: string, rules: ManifestRules, builtinSpecs: ReadonlyMap<string, OptionSpec>): TeamManifest {
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return fail(`is not valid JSON: ${(error as Error).message}`);
    }
    if (!isObject(raw)) return fail('must be a JSON object');
    onlyKeys(raw, TOP_KEYS, 'the manifest');
    if (typeof raw.name !== 'string' || !TEMPLATE_NAME.test(raw.name) || raw.name.length > 214) {
      fail('name must be a lower-case package-style name, e.g. "acme-mcp-template" or "@acme/mcp-template"');
    }
    const name = raw.name as string;
    const description = line(raw.description, 'description', 300);
    if (raw.version !== undefined && (typeof raw.version !== 'string' || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(raw.version))) {
      fail('version must be a version like "1.2.0"');
    }
    if (typeof raw.generator !== 'string' || raw.generator.trim() === '') {
      fail('generator must be the range of create-mcp-sampling-server versions the template works with, e.g. ">=0.1.0 <0.2.0"');
    }
    if (typeof raw.extends !== 'string' || !rules.builtinTemplates.includes(raw.extends)) {
      fail(`extends must name the built-in template this one builds on: one of ${rules.builtinTemplates.join(', ')}`);
    }
    if (raw.questions !== undefined && !Array.isArray(raw.questions)) fail('questions must be a list');
    const rawQuestions = (raw.questions ?? []) as unknown[];
    if (rawQuestions.length > MAX_QUESTIONS) fail(`questions has ${rawQuestions.length} entries; at most ${MAX_QUESTIONS} are allowed`);
    const taken = new Set<string>();
    const questions = rawQuestions.map((entry, index) => question(entry, index, name, rules, taken));
    const specs = new Map<string, OptionSpec>([...builtinSpecs, ...questions]);
    const known = new Set([...rules.contextFields, ...questions.map(([key]) => key)]);
    return {
      name,
      description,
      version: raw.version as string | undefined,
      generator: raw.generator as string,
      extends: raw.extends as string,
      questions,
      files: conditions(raw.files, known, specs),
    };
  } catch (error) {
    if (error instanceof ManifestProblem) throw new UsageError(`${label}: ${error.message}`);
    throw error;
  }
}

/** Long enough for any sane pattern on a one-line answer; a catastrophic one (ReDoS) is stopped here. */
const PATTERN_TIME_LIMIT_MS = 100;

/**
 * Tests a template author's pattern in a sandbox with a time limit: some patterns (`(a+)+$`) take
 * exponential time on some answers, and would hang the generator.
 */
function matchesInTime(pattern: RegExp, value: string, source: string): boolean {
  try {
    return vm.runInNewContext('pattern.test(value)', { pattern, value }, { timeout: PATTERN_TIME_LIMIT_MS }) as boolean;
  } catch {
    throw new UsageError(
      `The template's pattern ${source} took over ${PATTERN_TIME_LIMIT_MS} ms to check this answer, so it was stopped: ` +
        "the pattern backtracks catastrophically. Ask the template's authors to fix it.",
    );
  }
}
