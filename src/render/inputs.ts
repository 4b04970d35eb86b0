/**
 * The first pass of option reading: where the answers and the template come from. Runs before the flags
 * are parsed for real, because a team template adds options of its own.
 *
 *   --template (flag)  >  "template" in the --preset file  >  the template recorded in the --from file
 *   answers: flags  >  --preset  >  --from record  >  questions on a terminal  >  defaults
 */
import type { Sources } from '../options/flags.js';
import type { GivenValues, OptionEntries, OptionSpec } from '../options/spec.js';
import { OPTION_ENTRIES } from '../options/table.js';
import type { TeamTemplate } from '../template-source/load.js';
import type { AddedTool } from './tools.js';

export interface RunInputs {
  /** The option rows of this run: the built-in table plus the template's questions. */
  readonly entries: OptionEntries;
  /** Answers from the --from record and the --preset file, by answer key. */
  readonly given: GivenValues;
  readonly team: TeamTemplate | undefined;
  /** Tools `add tool` added, from the --from record. */
  readonly added: readonly AddedTool[];
  /** Things the user should know but that do not stop the run (a record from another version). */
  readonly warnings: readonly string[];
}

/**
 * The table for a run with a team template: its questions go after the built-in project questions (before
 * the setup ones: package manager, install, git), and --sdk is held to the built-in template it extends.
 */
export function entriesFor(team: TeamTemplate | undefined): OptionEntries {
  if (!team) return OPTION_ENTRIES;
  const base = team.manifest.extends;
  const rows = OPTION_ENTRIES.map(([key, spec]): readonly [string, OptionSpec] =>
    key === 'sdk'
      ? [key, { ...spec, default: base, validate: (value: string) => (value === base ? undefined : `cannot be used: the template ${team.manifest.name} builds on the ${base} template`) } as OptionSpec]
      : [key, spec],
  );
  const at = rows.findIndex(([key]) => key === 'pm');
  return [...rows.slice(0, at), ...team.manifest.questions, ...rows.slice(at)];
}

export async function readInputs(sources: Omit<Sources, 'version'>, cwd: string): Promise<RunInputs> {
  if (!sources.template && !sources.preset && !sources.from) return { entries: OPTION_ENTRIES, given: {}, team: undefined, added: [], warnings: [] };
  // Loaded only when a source is named: most runs never pay for reading answer files or templates.
  return (await import('../template-source/sources.js')).readSources(sources, cwd);
}

/** Flags win over the files; the template is written down as the source that fetches the same one again. */
export function mergeGiven(inputs: RunInputs, flags: GivenValues): GivenValues {
  return { ...inputs.given, ...flags, ...(inputs.team ? { template: inputs.team.source } : {}) };
}
