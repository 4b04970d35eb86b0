/** The command line that generates the same project again without questions (for CI and for the record). */
import { OPTION_ENTRIES, type RunAnswers } from '../options/table.js';
import { toFlagArgs } from '../options/values.js';
import type { OptionEntries } from '../options/spec.js';
import { shellWord } from '../render/literals.js';
import { commandsFor } from '../setup/package-manager.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';

/** The folder, then every project answer as flags, so the command means the same even if a later version changes a default. */
export function answerArgs(answers: RunAnswers, entries: OptionEntries = OPTION_ENTRIES): string[] {
  const positional: string[] = [];
  const args: string[] = [];
  for (const [key, spec] of entries) {
    if (spec.control) continue;
    // No --template means the built-in template; an empty one would only add noise.
    if (spec.source && answers[key] === '') continue;
    (spec.positional ? positional : args).push(...toFlagArgs(spec, answers[key]));
  }
  return [...positional, ...args, '--yes'];
}

export function replayCommand(answers: RunAnswers, entries: OptionEntries = OPTION_ENTRIES): string {
  const pm = commandsFor(answers.pm);
  // Pinning the version reproduces these templates; `@latest` would pick up newer ones.
  const [directory, ...flags] = answerArgs(answers, entries);
  const words = [directory!, ...(pm.createNeedsSeparator ? ['--'] : []), ...flags];
  return `${pm.create(`${GENERATOR_NAME.replace(/^create-/, '')}@${GENERATOR_VERSION}`)} ${words.map(shellWord).join(' ')}`;
}
