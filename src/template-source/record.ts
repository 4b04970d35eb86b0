/**
 * The record every generated project carries: which generator and template made it, and with which
 * answers. `--from <record>` reads it back (./preset.ts), so the same project can be made again, byte for byte.
 * It holds no time stamp and no folder, so two runs with the same inputs write the same record.
 */
import type { OptionEntries } from '../options/spec.js';
import type { RunAnswers } from '../options/table.js';
import type { RenderedFile } from '../render/render.js';
import { replayCommand } from '../report/replay.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';
import type { TeamTemplate } from './load.js';
import type { AddedTool } from '../render/tools.js';

export const RECORD_FILE = '.create-mcp-sampling-server.json';

export interface ProjectRecord {
  readonly $comment: string;
  /**
   * The same project as one command line, every answer a flag (for CI scripts that want no file). Absent once
   * `add tool` added a tool: no flag makes one, so only --from this record makes the project again.
   */
  readonly command?: string;
  readonly generator: { readonly name: string; readonly version: string };
  readonly template: { readonly source: string; readonly name: string; readonly version: string | null; readonly digest: string } | null;
  /** Every project answer by flag name (the same keys a --preset file uses). */
  readonly answers: Record<string, unknown>;
  /** Tools added with `add tool`, rendered again by --from and `update`. */
  readonly tools?: readonly AddedTool[];
}

/** The answers a record keeps: not the folder (it may be made elsewhere), not run controls or sources. */
export function recordedAnswers(answers: RunAnswers, entries: OptionEntries): Record<string, unknown> {
  return Object.fromEntries(entries.filter(([, spec]) => !spec.control && !spec.positional && !spec.source).map(([key, spec]) => [spec.flag, answers[key]]));
}

export function buildRecord(answers: RunAnswers, entries: OptionEntries, team: TeamTemplate | undefined, added: readonly AddedTool[] = []): RenderedFile {
  const record: ProjectRecord = {
    $comment:
      `How this project was made. Make it again with: npm create mcp-sampling-server@${GENERATOR_VERSION} <folder> -- --from ${RECORD_FILE}`,
    ...(added.length === 0 ? { command: replayCommand(answers, entries, '<folder>') } : {}),
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    template: team
      ? { source: team.source, name: team.manifest.name, version: team.manifest.version ?? null, digest: team.digest }
      : null,
    answers: recordedAnswers(answers, entries),
    ...(added.length > 0 ? { tools: added } : {}),
  };
  return { path: RECORD_FILE, content: `${JSON.stringify(record, null, 2)}\n` };
}
