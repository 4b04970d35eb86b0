/**
 * `create-mcp-sampling-server add tool <name> [--tool ask|summarize|code-patterns]`: adds a sampling tool
 * to a generated project. The generator version that made it renders the project from its record twice,
 * without the tool and with it; the difference (the tool's module and test, its registration, its README line, and what a
 * file-reading tool needs) is merged into the project as `update` merges, and the record lists the tool
 * so that `update` and --from make it again.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { shellWord } from '../render/literals.js';
import type { Ui } from '../report/ui.js';
import { templatesDir } from '../paths.js';
import { loadTemplateLayer, outputPath } from '../render/render.js';
import { addedToolProblem, addedToolEntry, kindModule, mainTool, readAddedTools, TOOL_KINDS, type AddedTool, type ToolKind } from '../render/tools.js';
import { commandsFor, packageManagerOfProject } from '../setup/package-manager.js';
import { RECORD_FILE, type ProjectRecord } from '../template-source/record.js';
import { withFolderHeld } from '../write/hold.js';
import { parseCommandLine } from './args.js';
import { applyFates, checkWrites, openProject, projectReader, refuseNewerRecord, requireCommitted } from './command.js';
import { inStyleOf, updatePlanner, type FileFate, type UpdatePlanner } from './merge.js';
import { generatorOf, renderWith, type ProjectFiles } from './render.js';
import { describeFates, nextSteps, printDiffs, type ChangeReport } from './report.js';

const ADD_FLAGS = { tool: true, dir: true, 'dry-run': false, json: false, 'allow-dirty': false, help: false } as const;

export const ADD_HELP = `Usage: create-mcp-sampling-server add tool <name> [options]

Adds a sampling tool to a project made by create-mcp-sampling-server: its module (src/tools/), its
registration in src/server.ts, its test and its README line, from the generator's templates. The project's
record lists it, so update and --from make it again.

  --tool <kind>        ${TOOL_KINDS.join(', ')}: the tool it starts as (default: the project's own --tool)
  --dir <project>      The project's folder (default: the current folder)
  --dry-run            Print the changes as a unified diff; write nothing
  --json               Report every file's fate as JSON on stdout
  --allow-dirty        Add even with uncommitted changes (a backup of every replaced file is kept)
  -h, --help           Show this help`;

function kindOf(value: string | undefined, recorded: ToolKind): ToolKind {
  if (value === undefined) return recorded;
  if (!(TOOL_KINDS as string[]).includes(value)) throw new UsageError(`add tool --tool ${JSON.stringify(value)}: must be one of ${TOOL_KINDS.join(', ')}. Example: --tool summarize`);
  return value as ToolKind;
}

/**
 * A file of the generator's own, for some answers, where the tool's module or test would go (test/auth.test.ts
 * comes with --auth token): a later `update --auth token` would have two files at one path. The kinds' own
 * modules are left out: those clash only with the project's tool, which rendering checks.
 */
async function reservedFile(toolModule: string): Promise<string | undefined> {
  const kindFiles = new Set(TOOL_KINDS.flatMap((kind) => [`src/tools/${kindModule(kind)}.ts`, `test/${kindModule(kind)}.test.ts`]));
  const folders = readdirSync(templatesDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const layers = await Promise.all(folders.map((folder) => loadTemplateLayer(path.join(templatesDir, folder.name))));
  const generatorFiles = new Set(layers.flatMap((layer) => layer.files.map((file) => outputPath(file.path).toLowerCase())));
  return [`src/tools/${toolModule}.ts`, `test/${toolModule}.test.ts`].find((file) => !kindFiles.has(file) && generatorFiles.has(file.toLowerCase()));
}

/**
 * The project as its recorded generator version renders it without the tool and with it, so only the tool's
 * lines differ; the record is written as the project's own plus the tool. Refuses a tool whose module or test
 * would land on a file the project has (its config tests for a tool named config, a module of the user's).
 */
async function planAddition(target: string, record: ProjectRecord, shownAs: string, tool: AddedTool): Promise<UpdatePlanner> {
  // No flag makes an added tool, so the flags-only `command` no longer makes this project: it goes.
  const { command: _flagsOnly, ...kept } = record;
  const nextRecord: ProjectRecord = { ...kept, tools: [...readAddedTools(record.tools, RECORD_FILE), tool] };
  const bin = await generatorOf(record.generator.version);
  const temp = mkdtempSync(path.join(os.tmpdir(), 'cmss-add-'));
  try {
    const withFile = path.join(temp, 'with.json');
    const withoutFile = path.join(temp, 'without.json');
    writeFileSync(withFile, JSON.stringify(nextRecord));
    writeFileSync(withoutFile, JSON.stringify(record));
    const [withoutTool, withTool] = await Promise.allSettled([
      renderWith(bin, { file: withoutFile, shownAs }, [], 'the project without the tool'),
      renderWith(bin, { file: withFile, shownAs }, [], `the project with the tool ${tool.name}`),
    ]);
    if (withoutTool.status === 'rejected') throw withoutTool.reason;
    const base = withoutTool.value;
    // Said before the render's own refusal of the same clash, which speaks of records, not of this command.
    const { toolModule } = addedToolEntry(tool);
    const taken = [`src/tools/${toolModule}.ts`, `test/${toolModule}.test.ts`].find((file) => base.has(file) || existsSync(path.join(target, file)));
    if (taken) throw new UsageError(`add tool ${JSON.stringify(tool.name)}: the project already has ${taken}, where the tool would go; choose another name.`);
    if (withTool.status === 'rejected') throw withTool.reason;
    const theirs = withTool.value;
    const withoutRecord = (files: ProjectFiles) => new Map([...files].filter(([file]) => file !== RECORD_FILE));
    const plan = await updatePlanner(withoutRecord(base), withoutRecord(theirs), { labels: { ours: 'yours', theirs: `add tool ${tool.name}` }, restoreDeleted: false });
    const recordText = `${JSON.stringify(nextRecord, null, 2)}\n`;
    return (read) => {
      const fates = plan(read);
      // Deleted docs stay deleted; code the tool is registered, configured or tested with cannot be skipped.
      const missing = fates.filter((fate) => fate.fate === 'deleted-kept' && /^(src|test)\//.test(fate.path)).map((fate) => fate.path);
      if (missing.length > 0) {
        throw new UsageError(
          `add tool ${JSON.stringify(tool.name)}: the tool goes into ${missing.join(', ')}, which the project no longer has (moved or renamed?). ` +
            `Put ${missing.length === 1 ? 'it' : 'them'} back, or add the tool by hand as the README's "Add a tool" says.`,
        );
      }
      return [...fates, { path: RECORD_FILE, fate: 'updated', content: inStyleOf(read(RECORD_FILE), recordText) }];
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

export async function runAdd(argv: readonly string[], ui: Ui, json: boolean): Promise<number> {
  const line = parseCommandLine(argv, ADD_FLAGS, 'add');
  if (line.own.has('help')) {
    process.stdout.write(`${ADD_HELP}\n`);
    return EXIT.ok;
  }
  const [what, name, ...rest] = line.positionals;
  if (what !== 'tool' || name === undefined || rest.length > 0) {
    const more = rest.length > 0 ? ` (got ${rest.join(', ')} after the name; name the project folder with --dir <folder>)` : '';
    throw new UsageError(`add takes a tool and its name: add tool <name>, e.g. add tool translate --tool summarize${what && what !== 'tool' ? ` (there is nothing else to add than a tool; got "${what}")` : more}`);
  }
  if (line.answers.length > 0) throw new UsageError(`add tool takes --tool, --dir, --dry-run, --json and --allow-dirty; ${line.answers[0]} does not apply. To change an answer, run update with it.`);
  const directory = line.values.get('dir') ?? '.';
  const { target, record, recordFile } = openProject(directory, 'add tool', (folder) => `add tool ${shellWord(name)} --dir ${folder}`, ui);

  const answers = record.answers as { tool: ToolKind; 'tool-name': string };
  if (!(TOOL_KINDS as string[]).includes(answers.tool) || typeof answers['tool-name'] !== 'string') {
    throw new UsageError(`${recordFile.shownAs}: "answers" must hold "tool" (one of ${TOOL_KINDS.join(', ')}) and "tool-name". Restore the file from git.`);
  }
  const added = readAddedTools(record.tools, RECORD_FILE);
  const existing = [mainTool({ tool: answers.tool, toolName: answers['tool-name'] }), ...added.map(addedToolEntry)];
  const problem = addedToolProblem(name, existing);
  if (problem) throw new UsageError(`add tool ${JSON.stringify(name)}: the name ${problem}.`);
  const tool: AddedTool = { name, tool: kindOf(line.values.get('tool'), answers.tool) };
  const reserved = await reservedFile(addedToolEntry(tool).toolModule);
  // One the project has already is said as such when the tool is planned.
  if (reserved && !existsSync(path.join(target, reserved))) throw new UsageError(`add tool ${JSON.stringify(name)}: the generator writes ${reserved} itself for some answers, where the tool would go; choose another name.`);
  await refuseNewerRecord(record, directory, ['add', ...argv].map(shellWord).join(' '));
  const dryRun = line.own.has('dry-run');
  const gitHoldsIt = dryRun ? false : await requireCommitted(target, line.own.has('allow-dirty'), 'add tool');
  const plan = await planAddition(target, record, recordFile.shownAs, tool);
  const read = projectReader(target);
  const version = record.generator.version;
  const reportOf = (fates: readonly FileFate[], backup: string | undefined): ChangeReport => ({
    ok: !fates.some((fate) => fate.fate === 'conflict'),
    dryRun,
    from: { generator: version, template: record.template?.source ?? null },
    to: { generator: version, template: record.template?.source ?? null },
    files: fates.map(({ path: file, fate, note }) => ({ path: file, fate, ...(note ? { note } : {}) })),
    conflicts: fates.filter((fate) => fate.fate === 'conflict').map((fate) => fate.path),
    ...(backup ? { backup: path.relative(target, backup) } : {}),
  });
  if (dryRun) {
    const fates = plan(read);
    checkWrites(target, fates);
    if (json) process.stdout.write(`${JSON.stringify(reportOf(fates, undefined), null, 2)}\n`);
    else {
      await printDiffs(fates, read);
      describeFates(reportOf(fates, undefined), ui, directory);
    }
    return EXIT.ok;
  }
  const { fates, backup } = withFolderHeld(target, ui, () => {
    const fates = plan(read);
    return { fates, backup: applyFates(target, fates, !gitHoldsIt) };
  });
  const report = reportOf(fates, backup);
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    describeFates(report, ui, directory);
    const commands = commandsFor(packageManagerOfProject(target));
    const entry = addedToolEntry(tool);
    ui.line(`\nThe tool ${name} is src/tools/${entry.toolModule}.ts, tested by test/${entry.toolModule}.test.ts: change its prompt and`);
    ui.line(`schema to what it should do. Then: ${nextSteps(directory, commands.test)}`);
  }
  return report.ok ? EXIT.ok : EXIT.failed;
}
