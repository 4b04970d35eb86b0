/** The interactive questions, built from the option table. Loaded only when a terminal is there. */
import type { PromptObject } from 'prompts';
import { CancelledError } from '../errors.js';
import type { OptionSpec, PartialAnswers } from './spec.js';
import type { Asker } from './resolve.js';
import { checkValue } from './values.js';

async function askOne(question: PromptObject<'value'>): Promise<unknown> {
  const { default: prompts } = await import('prompts');
  let cancelled = false;
  const response = await prompts(question, {
    onCancel: () => {
      cancelled = true;
      return false;
    },
  });
  if (cancelled) throw new CancelledError();
  return response.value;
}

function questionFor(spec: OptionSpec, suggested: unknown, answers: PartialAnswers): PromptObject<'value'> {
  const message = spec.prompt!.message;
  const validate = (raw: unknown) => {
    const result = checkValue(spec, raw, answers);
    return result.ok || result.problem;
  };
  switch (spec.type) {
    case 'choice': {
      const initial = Math.max(0, spec.choices.findIndex((choice) => choice.value === suggested));
      return {
        type: 'select',
        name: 'value',
        message,
        initial,
        choices: spec.choices.map((choice) => ({ title: choice.title, description: choice.hint, value: choice.value })),
      };
    }
    case 'boolean':
      return { type: 'confirm', name: 'value', message, initial: suggested === true };
    case 'list':
      return { type: 'text', name: 'value', message, initial: (suggested as string[] | undefined)?.join(', ') ?? '', validate };
    default:
      return { type: 'text', name: 'value', message, initial: suggested === undefined ? '' : String(suggested), validate };
  }
}

export const terminalAsker: Asker = {
  async wantsAdvanced() {
    return (await askOne({
      type: 'confirm',
      name: 'value',
      message: 'Adjust the tool name, SDK, fallback provider, token limits and model preferences?',
      initial: false,
    })) as boolean;
  },
  ask: (spec, suggested, answers) => askOne(questionFor(spec, suggested, answers)),
};
