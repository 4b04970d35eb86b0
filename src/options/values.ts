/**
 * Turns raw input (a flag's text or a typed answer) into a checked value. Flags and prompts both go
 * through here, so a value is accepted or refused the same way whichever way it arrives.
 */
import type { OptionSpec, PartialAnswers } from './spec.js';
import { closest } from './validate.js';

export type Checked<V> = { ok: true; value: V } | { ok: false; problem: string };

export function checkValue(spec: OptionSpec, raw: unknown, answers: PartialAnswers): Checked<unknown> {
  const typed = parseType(spec, raw);
  if (!typed.ok) return typed;
  const problem = (spec.validate as ((value: unknown, answers: PartialAnswers) => string | undefined) | undefined)?.(
    typed.value,
    answers,
  );
  return problem ? { ok: false, problem } : typed;
}

function parseType(spec: OptionSpec, raw: unknown): Checked<unknown> {
  switch (spec.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, problem: 'must be true or false' };
    case 'string':
      return { ok: true, value: String(raw) };
    case 'integer': {
      const text = String(raw).trim();
      const range = `a whole number from ${spec.min} to ${spec.max}${spec.unit ? ` (${spec.unit})` : ''}`;
      if (!/^\d+$/.test(text)) return { ok: false, problem: `must be ${range}` };
      const value = Number(text);
      return value >= spec.min && value <= spec.max ? { ok: true, value } : { ok: false, problem: `must be ${range}` };
    }
    case 'choice': {
      const allowed = spec.choices.map((choice) => choice.value);
      const text = String(raw);
      if (allowed.includes(text)) return { ok: true, value: text };
      const suggestion = closest(text, allowed);
      return {
        ok: false,
        problem: `is not one of ${allowed.join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      };
    }
    case 'list': {
      const items = (Array.isArray(raw) ? raw : [raw])
        .flatMap((item) => String(item).split(','))
        .map((item) => item.trim())
        .filter((item) => item !== '');
      if (items.length > spec.maxItems) return { ok: false, problem: `has ${items.length} items; at most ${spec.maxItems} are allowed` };
      return { ok: true, value: items };
    }
  }
}

/** How a value is written back on a command line: `--max-tokens 1024`, `--no-git`, `--model-hint a --model-hint b`. */
export function toFlagArgs(spec: OptionSpec, value: unknown): string[] {
  if (spec.positional) return [String(value)];
  if (spec.type === 'boolean') return [value ? `--${spec.flag}` : `--no-${spec.flag}`];
  if (spec.type === 'list') return (value as string[]).flatMap((item) => [`--${spec.flag}`, item]);
  return [`--${spec.flag}`, String(value)];
}
