/** The command line that generates the same project again without questions (for CI and for the record). */
import path from 'node:path';
import { OPTION_ENTRIES, type RunAnswers } from '../options/table.js';
import { RECORD_FILE } from '../template-source/record.js';
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

/** Every answer as flags. `folder` is written as given (a placeholder such as `<folder>`), else the project's folder. */
export function replayCommand(answers: RunAnswers, entries: OptionEntries = OPTION_ENTRIES, folder?: string): string {
  const [directory, ...flags] = answerArgs(answers, entries);
  return createCommand(answers, folder ?? shellWord(directory!), flags.map(shellWord));
}

/** The short form printed at the end: a new project from this one's record. */
export function replayFromRecord(answers: RunAnswers): string {
  return createCommand(answers, '<new-folder>', ['--from', shellWord(path.join(answers.directory, RECORD_FILE))]);
}

function createCommand(answers: RunAnswers, folder: string, flagWords: string[]): string {
  const pm = commandsFor(answers.pm);
  // Pinning the version reproduces these templates; `@latest` would pick up newer ones.
  const words = [folder, ...(pm.createNeedsSeparator ? ['--'] : []), ...flagWords];
  return `${pm.create(`${GENERATOR_NAME.replace(/^create-/, '')}@${GENERATOR_VERSION}`)} ${words.join(' ')}`;
}
