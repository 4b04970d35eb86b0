/** The command line that generates the same project again without questions (for CI and for the record). */
import { OPTION_ENTRIES, type Answers } from '../options/table.js';
import { toFlagArgs } from '../options/values.js';
import { shellWord } from '../render/literals.js';
import type { OptionSpec } from '../options/spec.js';
import { commandsFor } from '../setup/package-manager.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';


/** Every project answer as flags, so the command means the same even if a later version changes a default. */
export function answerArgs(answers: Answers): string[] {
  const args: string[] = [];
  for (const [key, spec] of OPTION_ENTRIES) {
    if (spec.control) continue;
    args.push(...toFlagArgs(spec, answers[key]));
  }
  return [...args, '--yes'];
}

export function replayCommand(answers: Answers): string {
  const pm = commandsFor(answers.pm);
  // Pinning the version reproduces these templates; `@latest` would pick up newer ones.
  const [directory, ...flags] = answerArgs(answers);
  const words = [directory!, ...(pm.createNeedsSeparator ? ['--'] : []), ...flags];
  return `${pm.create(`${GENERATOR_NAME.replace(/^create-/, '')}@${GENERATOR_VERSION}`)} ${words.map(shellWord).join(' ')}`;
}
