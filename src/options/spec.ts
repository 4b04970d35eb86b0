/**
 * The shape of one row of the option table. Every consumer (flag parser, prompts, help, validation,
 * JSON summary, replay command) reads these rows, so an option is described exactly once.
 */

export interface Choice<V extends string = string> {
  readonly value: V;
  readonly title: string;
  readonly hint: string;
}

/** Answers collected so far; defaults and validators of later rows may depend on earlier ones. */
export type PartialAnswers = Readonly<Record<string, unknown>>;

interface BaseSpec<V> {
  /** kebab-case flag without dashes, e.g. `max-tokens`. The answer key is its camelCase form. */
  readonly flag: string;
  readonly alias?: string;
  /** Help-text section; a team template's questions get a section named after the template. */
  readonly group: 'Project' | 'Sampling tool' | 'Token cost' | 'Publishing' | 'Setup' | 'Run' | `Template ${string}`;
  readonly describe: string;
  /** A valid value, quoted in error messages and the README. */
  readonly example: string;
  /**
   * The value used when neither a flag nor a prompt supplies one. Absent, or a function returning undefined:
   * the answer is required without a terminal.
   */
  readonly default?: V | ((answers: PartialAnswers) => V | undefined);
  /** The question asked in interactive mode; absent for run controls that are never asked. */
  readonly prompt?: {
    readonly message: string;
    /** Pre-filled answer when the option has no default. */
    readonly initial?: V;
    /** Advanced questions are asked only when the user opts into adjusting limits. */
    readonly advanced?: boolean;
    /** Not asked when earlier answers already decide it (the default applies, and is checked as usual). */
    readonly skipWhen?: (answers: PartialAnswers) => boolean;
  };
  /** Why the answer is missing, when it is required and no terminal can ask for it. */
  readonly whenMissing?: (answers: PartialAnswers) => string;
  /** Extra check after type parsing; returns the problem, phrased to follow "<flag> <value>: ". */
  readonly validate?: (value: V, answers: PartialAnswers) => string | undefined;
  /** Run controls change how the generator runs, not what it generates; they are not replayed as answers. */
  readonly control?: boolean;
  /** Positional argument rather than a flag (the target directory). */
  readonly positional?: boolean;
  /**
   * Read in a first pass, before the other flags, because it decides which options exist (--template) or
   * supplies answers (--preset, --from). Never asked; recorded apart from the answers.
   */
  readonly source?: boolean;
}

export interface StringSpec extends BaseSpec<string> {
  readonly type: 'string';
}
export interface NumberSpec extends BaseSpec<number> {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
}
export interface BooleanSpec extends BaseSpec<boolean> {
  readonly type: 'boolean';
}
export interface ListSpec extends BaseSpec<readonly string[]> {
  readonly type: 'list';
  readonly maxItems: number;
}
export interface ChoiceSpec<V extends string = string> extends BaseSpec<V> {
  readonly type: 'choice';
  readonly choices: readonly Choice<V>[];
}

export type OptionSpec = StringSpec | NumberSpec | BooleanSpec | ListSpec | ChoiceSpec;

/** The rows of one run: the built-in table, plus the questions of a team template when one is used. */
export type OptionEntries = readonly (readonly [string, OptionSpec])[];

/** Raw values given for options (flags, a preset), keyed by answer key. */
export type GivenValues = Record<string, unknown>;

/** The value type an option row produces. */
export type ValueOf<S> = S extends { type: 'integer' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'list' }
      ? string[]
      : S extends { type: 'choice'; choices: readonly Choice<infer V>[] }
        ? V
        : string;

/** `max-tokens` -> `maxTokens`. */
export function keyOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export function resolveDefault(spec: OptionSpec, answers: PartialAnswers): unknown {
  const value: unknown = spec.default;
  return typeof value === 'function' ? (value as (a: PartialAnswers) => unknown)(answers) : value;
}
