/** Renders a project: the built-in template for the chosen SDK, the team template over it, and the record. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { StepError, UsageError } from '../errors.js';
import type { OptionEntries } from '../options/spec.js';
import type { RunAnswers } from '../options/table.js';
import { templateContext } from '../render/context.js';
import { loadTemplateLayer, renderLayers, type RenderedFile } from '../render/render.js';
import type { TeamTemplate } from './load.js';
import { buildRecord, RECORD_FILE } from './record.js';

/** The answers of the team template's questions, as context fields named like their answer keys. */
export function teamContext(answers: RunAnswers, team: TeamTemplate | undefined): Record<string, unknown> {
  return Object.fromEntries((team?.manifest.questions ?? []).map(([key]) => [key, answers[key]]));
}

/** `builtinRoot` is the folder holding the built-in templates: templates/ beside the package.json. */
export async function renderProject(
  builtinRoot: string,
  answers: RunAnswers,
  entries: OptionEntries,
  team: TeamTemplate | undefined,
): Promise<RenderedFile[]> {
  const builtinDir = path.join(builtinRoot, answers.sdk);
  if (!existsSync(builtinDir)) {
    throw new UsageError(`--sdk ${answers.sdk}: this version of the generator has no ${answers.sdk} template yet. Use --sdk v2`);
  }
  const context = { ...templateContext(answers), ...teamContext(answers, team) };
  const files = renderLayers([await loadTemplateLayer(builtinDir), ...(team ? [team.layer] : [])], context);
  if (files.some((file) => file.path === RECORD_FILE)) {
    throw new StepError(`A template writes ${RECORD_FILE}, which the generator keeps for its record of how the project was made`);
  }
  return [...files, buildRecord(answers, entries, team)].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
