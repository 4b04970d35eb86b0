/**
 * Renders a project: the built-in template for the chosen SDK, the team template over it, and the record.
 * A built-in template is two layers: `common/` (docs, config, tools, test scenarios: everything that
 * does not touch the SDK) and the SDK's own folder (`v1/`, `v2/`) with the code that does.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { StepError, UsageError } from '../errors.js';
import type { OptionEntries } from '../options/spec.js';
import type { RunAnswers } from '../options/table.js';
import { templateContext, type TemplateContext } from './context.js';
import type { TeamTemplate } from '../template-source/load.js';
import { buildRecord, RECORD_FILE } from '../template-source/record.js';
import { checkLicense, licenseFile } from '../license/license.js';
import { releaseFilesOf, SHIP_TEMPLATE } from '../ship/feature.js';
import { byPath, loadTemplateLayer, renderLayers, type RenderedFile, type TemplateLayer } from './render.js';
import { addedToolEntry, addedToolsProblem, kindModule, type AddedTool } from './tools.js';

/** The answers of the team template's questions, as context fields named like their answer keys. */
export function teamContext(answers: RunAnswers, team: TeamTemplate | undefined): Record<string, unknown> {
  return Object.fromEntries((team?.manifest.questions ?? []).map(([key]) => [key, answers[key]]));
}

/** The folder every built-in template renders first; the SDK folder adds to it. */
export const COMMON_TEMPLATE = 'common';

interface Feature {
  /** Its template folder, rendered over the SDK's. */
  readonly layer: string;
  readonly enabled: (answers: RunAnswers) => boolean;
  /** Takes the rendered project's files and returns them as the feature leaves them. */
  readonly derive?: (files: RenderedFile[], context: TemplateContext) => RenderedFile[];
}

/** Optional features: each is a template layer, and maybe a step over the rendered files; answers turn it on. */
const FEATURES: readonly Feature[] = [
  // How HTTP callers authenticate: each way is a layer with its own src/transports/auth.ts.
  { layer: 'auth-none', enabled: (answers) => answers.transport !== 'stdio' && answers.auth === 'none' },
  { layer: 'auth-token', enabled: (answers) => answers.transport !== 'stdio' && answers.auth === 'token' },
  // OAuth shares its token checks; each SDK serves the metadata and challenges its own way.
  { layer: 'auth-oauth', enabled: (answers) => answers.transport !== 'stdio' && answers.auth === 'oauth' },
  { layer: 'auth-oauth-v1', enabled: (answers) => answers.transport !== 'stdio' && answers.auth === 'oauth' && answers.sdk === 'v1' },
  { layer: 'auth-oauth-v2', enabled: (answers) => answers.transport !== 'stdio' && answers.auth === 'oauth' && answers.sdk === 'v2' },
  // Where HTTP budgets live: each store is a layer with its own src/transports/budgets.ts.
  { layer: 'store-memory', enabled: (answers) => answers.transport !== 'stdio' && answers.store === 'memory' },
  { layer: 'store-redis', enabled: (answers) => answers.transport !== 'stdio' && answers.store === 'redis' },
  { layer: 'deploy-docker', enabled: (answers) => answers.transport !== 'stdio' && answers.deploy === 'docker' },
  { layer: SHIP_TEMPLATE, enabled: (answers) => answers.ship, derive: releaseFilesOf },
];

/** The template folders of the features `answers` turn on, in the order they render. */
export function featureLayers(answers: RunAnswers): string[] {
  return FEATURES.filter((feature) => feature.enabled(answers)).map((feature) => feature.layer);
}

/**
 * The layers of the built-in template for `sdk`, with the layers of the features named, read from
 * `builtinRoot` (templates/ beside the package.json).
 */
export async function builtinLayers(builtinRoot: string, sdk: string, features: readonly string[] = []): Promise<TemplateLayer[]> {
  const sdkDir = path.join(builtinRoot, sdk);
  if (!existsSync(sdkDir)) {
    throw new UsageError(`--sdk ${sdk}: this version of the generator has no ${sdk} template. Use --sdk v2`);
  }
  const folders = [COMMON_TEMPLATE, sdk, ...features].map((folder) => path.join(builtinRoot, folder));
  return Promise.all(folders.map((folder) => loadTemplateLayer(folder)));
}

/**
 * An added tool's module and test: its kind's two template files (as the layers leave them), rendered
 * with the tool's name and written under its own module name.
 */
function renderAddedTool(layers: readonly TemplateLayer[], context: Record<string, unknown>, added: AddedTool): RenderedFile[] {
  const entry = addedToolEntry(added);
  const kind = kindModule(added.tool);
  const renames = new Map([
    [`src/tools/${kind}.ts`, `src/tools/${entry.toolModule}.ts`],
    [`test/${kind}.test.ts`, `test/${entry.toolModule}.test.ts`],
  ]);
  const kindLayers = layers.map((layer) => ({ ...layer, files: layer.files.filter((file) => renames.has(file.path)) }));
  return renderLayers(kindLayers, { ...context, ...entry }).map((file) => ({ path: renames.get(file.path)!, content: file.content }));
}

const LICENSE_FILE = 'LICENSE';

export interface RenderedProject {
  readonly files: RenderedFile[];
  /** What the user should know about the files (a LICENSE that could not be written), for the summary. */
  readonly notes: string[];
}

export async function renderProject(
  builtinRoot: string,
  answers: RunAnswers,
  entries: OptionEntries,
  team: TeamTemplate | undefined,
  added: readonly AddedTool[] = [],
): Promise<RenderedProject> {
  const toolsProblem = addedToolsProblem(answers, added);
  if (toolsProblem) throw new UsageError(toolsProblem);
  const baseContext = templateContext(answers, added);
  const context = { ...baseContext, ...teamContext(answers, team) };
  const features = FEATURES.filter((feature) => feature.enabled(answers));
  const layers = await builtinLayers(builtinRoot, answers.sdk, features.map((feature) => feature.layer));
  // A feature may then derive files from the project as rendered, the team template's changes included.
  const allLayers = [...layers, ...(team ? [team.layer] : [])];
  const ownFiles = renderLayers(allLayers, context);
  const addedFiles = added.flatMap((tool) => renderAddedTool(allLayers, context, tool));
  // An added tool's file where these answers put one of the generator's (its test/auth.test.ts and --auth token's).
  const own = new Set(ownFiles.map((file) => file.path.toLowerCase()));
  const taken = addedFiles.find((file) => own.has(file.path.toLowerCase()));
  if (taken) {
    throw new UsageError(
      `${taken.path}, of a tool add tool added, is where these answers put a file of the generator's own. Rename that tool ` +
        `(its files, its registration and its entry in "tools" of the record), or keep the answers that made it fit.`,
    );
  }
  let files = [...ownFiles, ...addedFiles];
  for (const feature of features) files = feature.derive?.(files, baseContext) ?? files;
  if (files.some((file) => file.path === RECORD_FILE)) {
    throw new StepError(`A template writes ${RECORD_FILE}, which the generator keeps for its record of how the project was made`);
  }
  const licenseProblem = await checkLicense(answers.license);
  if (licenseProblem) throw new UsageError(`--license ${JSON.stringify(answers.license)}: ${licenseProblem}. Example: --license Apache-2.0`);
  const notes: string[] = [];
  // A team template's own LICENSE wins over the one --license would write.
  if (!files.some((file) => file.path === LICENSE_FILE)) {
    const license = await licenseFile(answers);
    if (license.content !== undefined) files.push({ path: LICENSE_FILE, content: license.content });
    if (license.reason !== undefined) notes.push(license.reason);
  }
  return { files: [...files, buildRecord(answers, entries, team, added)].sort(byPath), notes };
}
