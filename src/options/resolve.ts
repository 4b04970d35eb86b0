/**
 * Decides every answer, option by option in table order: the flag if given, else the question if a
 * terminal is there to ask it, else the default. Every value, defaults included, is checked.
 */
import { UsageError } from '../errors.js';
import type { GivenValues, OptionEntries, OptionSpec, PartialAnswers } from './spec.js';
import { resolveDefault } from './spec.js';
import { OPTION_ENTRIES, type RunAnswers } from './table.js';
import { checkValue } from './values.js';

/** Asks questions on a terminal; the real one is ./prompts.ts (the prompt library loads on the first question). */
export interface Asker {
  /** Whether to ask the advanced questions (tool name, SDK, token limits, model preferences). */
  wantsAdvanced(): Promise<boolean>;
  /** Returns the raw answer; the resolver checks it like a flag's value. */
  ask(spec: OptionSpec, suggested: unknown, answers: PartialAnswers): Promise<unknown>;
}

export interface Environment {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  ci: string | undefined;
}

/** Questions are asked only on a real terminal, outside CI, and when neither --yes nor --json is given. */
export function isInteractive(given: GivenValues, env: Environment): boolean {
  const inCi = env.ci !== undefined && env.ci !== '' && env.ci !== '0' && env.ci.toLowerCase() !== 'false';
  return env.stdinIsTTY && env.stdoutIsTTY && !inCi && given.yes !== true && given.json !== true;
}

export function describeOption(spec: OptionSpec): string {
  return spec.positional ? 'Project folder' : `--${spec.flag}`;
}

export function usageProblem(spec: OptionSpec, raw: unknown, problem: string): UsageError {
  // A switch is named as it was given (--no-install), and its problem says what to do instead.
  if (spec.type === 'boolean' && typeof raw === 'boolean') return new UsageError(`--${raw ? '' : 'no-'}${spec.flag}: ${problem}.`);
  const shown = Array.isArray(raw) ? raw.join(',') : String(raw);
  // A folder problem says what to do itself; an example folder name would not help.
  const example = spec.positional ? '' : ` Example: --${spec.flag} ${spec.example}`;
  return new UsageError(`${describeOption(spec)} ${JSON.stringify(shown)}: ${problem}.${example}`);
}

/** The checked value, or the usage error a flag with that value gets. */
export function checked(spec: OptionSpec, raw: unknown, answers: PartialAnswers): unknown {
  const result = checkValue(spec, raw, answers);
  if (!result.ok) throw usageProblem(spec, raw, result.problem);
  return result.value;
}

export async function resolveAnswers(
  given: GivenValues,
  interactive: boolean,
  asker: Asker,
  entries: OptionEntries = OPTION_ENTRIES,
): Promise<RunAnswers> {
  const answers: Record<string, unknown> = {};
  let advanced: boolean | undefined;

  for (const [key, spec] of entries) {
    if (Object.hasOwn(given, key)) {
      answers[key] = checked(spec, given[key], answers);
      continue;
    }
    const fallback = resolveDefault(spec, answers);
    if (interactive && spec.prompt && !spec.prompt.skipWhen?.(answers)) {
      if (spec.prompt.advanced) advanced ??= await asker.wantsAdvanced();
      if (!spec.prompt.advanced || advanced) {
        answers[key] = checked(spec, await asker.ask(spec, fallback ?? spec.prompt.initial, answers), answers);
        continue;
      }
    }
    if (fallback === undefined) {
      throw new UsageError(spec.whenMissing?.(answers) ?? `Missing ${describeOption(spec)}. Example: --${spec.flag} ${spec.example}`);
    }
    answers[key] = checked(spec, fallback, answers);
  }
  return answers as RunAnswers;
}
