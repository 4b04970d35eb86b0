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

/**
 * Values keep the type they arrive with: presets and records are JSON, so `null` or an object must be
 * refused naming the type, never turned into "null" or "[object Object]". Only numeric options take numbers.
 */
function parseType(spec: OptionSpec, raw: unknown): Checked<unknown> {
  switch (spec.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, problem: 'must be true or false' };
    case 'string':
      return typeof raw === 'string' ? { ok: true, value: raw } : { ok: false, problem: `must be text, not ${typeName(raw)}` };
    case 'integer': {
      const range = `a whole number from ${spec.min} to ${spec.max}${spec.unit ? ` (${spec.unit})` : ''}`;
      if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, problem: `must be ${range}, not ${typeName(raw)}` };
      const text = String(raw).trim();
      if (!/^\d+$/.test(text)) return { ok: false, problem: `must be ${range}` };
      const value = Number(text);
      return value >= spec.min && value <= spec.max ? { ok: true, value } : { ok: false, problem: `must be ${range}` };
    }
    case 'choice': {
      const allowed = spec.choices.map((choice) => choice.value);
      if (typeof raw !== 'string') return { ok: false, problem: `must be one of ${allowed.join(', ')}, not ${typeName(raw)}` };
      if (allowed.includes(raw)) return { ok: true, value: raw };
      const suggestion = closest(raw, allowed);
      return {
        ok: false,
        problem: `is not one of ${allowed.join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      };
    }
    case 'list': {
      // A typed answer lists its items with commas; flags and JSON give each item on its own, kept whole.
      const given = typeof raw === 'string' ? raw.split(',') : raw;
      if (!Array.isArray(given) || given.some((item) => typeof item !== 'string')) {
        return { ok: false, problem: `must be a list of text items, not ${typeName(raw)}` };
      }
      const items = (given as string[]).map((item) => item.trim()).filter((item) => item !== '');
      if (items.length > spec.maxItems) return { ok: false, problem: `has ${items.length} items; at most ${spec.maxItems} are allowed` };
      return { ok: true, value: items };
    }
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** How a value is written back on a command line: `--max-tokens 1024`, `--no-git`, `--model-hint a --model-hint b`. */
export function toFlagArgs(spec: OptionSpec, value: unknown): string[] {
  if (spec.positional) return [String(value)];
  if (spec.type === 'boolean') return [value ? `--${spec.flag}` : `--no-${spec.flag}`];
  // A value that starts with "-" would be read as a flag of its own: join it to its flag.
  const flag = (text: string) => (text.startsWith('-') ? [`--${spec.flag}=${text}`] : [`--${spec.flag}`, text]);
  if (spec.type === 'list') return (value as string[]).flatMap(flag);
  return flag(String(value));
}
