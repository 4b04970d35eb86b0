/**
 * The first pass of option reading: where the answers and the template come from. Runs before the flags
 * are parsed for real, because a team template adds options of its own.
 *
 *   --template (flag)  >  "template" in the --preset file  >  the template recorded in the --from file
 *   answers: flags  >  --preset  >  --from record  >  questions on a terminal  >  defaults
 */
import { UsageError } from '../errors.js';
import type { Sources } from '../options/flags.js';
import type { GivenValues, OptionEntries, OptionSpec } from '../options/spec.js';
import { OPTION_ENTRIES } from '../options/table.js';
import { GENERATOR_VERSION } from '../version.js';
import type { TeamTemplate } from './load.js';
import { givenFromFile, readPreset } from './preset.js';
import { readRecord } from './record.js';

export interface RunInputs {
  /** The option rows of this run: the built-in table plus the template's questions. */
  readonly entries: OptionEntries;
  /** Answers from the --from record and the --preset file, by answer key. */
  readonly given: GivenValues;
  readonly team: TeamTemplate | undefined;
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
  if (sources.preset && sources.from) {
    throw new UsageError('--preset and --from both supply the answers; give one of them (flags can still override either)');
  }
  const warnings: string[] = [];
  const record = sources.from ? readRecord(sources.from) : undefined;
  const preset = sources.preset ? readPreset(sources.preset) : undefined;
  const templateText = sources.template ?? preset?.template ?? record?.template?.source;
  // Loaded only with a template: most runs never pay for parsing the template code.
  const team = templateText ? await (await import('./load.js')).loadTeamTemplate(templateText, cwd) : undefined;
  const entries = entriesFor(team);

  let given: GivenValues = {};
  if (record) {
    if (record.generator.version !== GENERATOR_VERSION) {
      warnings.push(
        `${sources.from} was written by create-mcp-sampling-server ${record.generator.version}; this is ${GENERATOR_VERSION}, so files may differ. ` +
          `For the same files, run npm create mcp-sampling-server@${record.generator.version} -- --from ${sources.from}`,
      );
    }
    if (team && record.template && team.source === record.template.source && team.digest !== record.template.digest) {
      warnings.push(`the template at ${team.source} has changed since ${sources.from} was written, so files may differ`);
    }
    const fromRecord = givenFromFile(record.answers, entries, `--from ${sources.from}`, 'ignore');
    if (fromRecord.ignored.length > 0) {
      warnings.push(`${sources.from}: ignored answers that are not options here: ${fromRecord.ignored.join(', ')}`);
    }
    given = fromRecord.given;
  }
  if (preset) given = { ...given, ...givenFromFile(preset.answers, entries, `--preset ${sources.preset}`, 'error').given };
  return { entries, given, team, warnings };
}

/** Flags win over the files; the template is written down as the source that fetches the same one again. */
export function mergeGiven(inputs: RunInputs, flags: GivenValues): GivenValues {
  return { ...inputs.given, ...flags, ...(inputs.team ? { template: inputs.team.source } : {}) };
}
