/** Reads what --template, --preset and --from name: the team template, and answers from the files. */
import { UsageError } from '../errors.js';
import type { Sources } from '../options/flags.js';
import type { GivenValues } from '../options/spec.js';
import { GENERATOR_VERSION } from '../version.js';
import { entriesFor, type RunInputs } from '../render/inputs.js';
import { loadTeamTemplate } from './load.js';
import { givenFromFile, readPreset, readRecord } from './preset.js';
import { readAddedTools } from '../render/tools.js';

export async function readSources(sources: Omit<Sources, 'version'>, cwd: string): Promise<RunInputs> {
  if (sources.preset && sources.from) {
    throw new UsageError('--preset and --from both supply the answers; give one of them (flags can still override either)');
  }
  const warnings: string[] = [];
  const record = sources.from ? readRecord(sources.from) : undefined;
  const preset = sources.preset ? readPreset(sources.preset) : undefined;
  const templateText = sources.template ?? preset?.template ?? record?.template?.source;
  // A template named by a file is reported as that file's, not as a --template the user never typed.
  const origin = sources.template !== undefined ? undefined : preset?.template !== undefined ? `--preset ${sources.preset}` : `--from ${sources.from}`;
  const team = templateText ? await loadTeamTemplate(templateText, cwd).catch((error: unknown) => {
    if (origin === undefined || !(error instanceof UsageError) || !error.message.startsWith('--template ')) throw error;
    throw new UsageError(`${origin}: its "template" ${error.message.slice('--template '.length)}`);
  }) : undefined;
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
  const added = record ? readAddedTools(record.tools, `--from ${sources.from}`) : [];
  return { entries, given, team, added, warnings };
}
