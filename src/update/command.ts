/**
 * `create-mcp-sampling-server update [dir]`: brings a generated project to this generator version.
 *
 *   1. Read the project's record (.create-mcp-sampling-server.json).
 *   2. Render the base (the recorded version, from the recorded answers) and the new side (this version,
 *      with any answers changed on the command line), each by that version's own generator.
 *   3. Holding the folder: decide each file's fate against the project (./merge.ts).
 *   4. Write the changes as generation does, all or nothing (src/write/), or print them on --dry-run.
 */
import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { generatorBin } from '../paths.js';
import type { Ui } from '../report/ui.js';
import { uncommittedChanges } from '../setup/git.js';
import { shellWord } from '../render/literals.js';
import { readRecord } from '../template-source/preset.js';
import { RECORD_FILE, type ProjectRecord } from '../template-source/record.js';
import { latestSource, parseSource } from '../template-source/spec.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';
import { withFolderHeld } from '../write/hold.js';
import { BACKUP_PREFIX, backupFolderName, existingFile, type WritePlan } from '../write/plan.js';
import { writeProject } from '../write/write.js';
import { parseCommandLine } from './args.js';
import { checkForUpdates } from './check.js';
import { inStyleOf, updatePlanner, type FileFate } from './merge.js';
import { generatorOf, renderWith, type ProjectFiles } from './render.js';
import { describeFates, nextSteps, printDiffs, type ChangeReport } from './report.js';
import { commandsFor, packageManagerOfProject } from '../setup/package-manager.js';

const UPDATE_FLAGS = { dir: true, 'allow-dirty': false, 'dry-run': false, check: false, json: false, 'restore-deleted': false, help: false } as const;

export const UPDATE_HELP = `Usage: create-mcp-sampling-server update [project folder] [options]

Brings a project made by create-mcp-sampling-server to this version of the generator, keeping your changes:
what the recorded version made from the recorded answers (the base), what this version makes (with any
answers you change below), and your project are merged three ways, file by file.

  --dir <project>    The project's folder, as add tool takes it (default: the current folder)
  --dry-run          Print the changes as a unified diff; write nothing
  --check            Exit 0 when up to date; 1 when a newer generator or team template exists, or
                     when it cannot look (offline): for CI
  --json             Report every file's fate as JSON on stdout
  --allow-dirty      Update even with uncommitted changes (a backup of every replaced file is kept)
  --restore-deleted  Bring back files you deleted that the new version still has
  --<option> <value> Change an answer as you update, e.g. --sdk v2 (moves a v1 project to SDK v2),
                     --transport both; any project option of the generator (see --help of the generator)
  -h, --help         Show this help

Fates: updated (you never changed it: it takes the new version), merged (both changed it), conflict
(both changed the same lines: resolve the <<<<<<< markers; in package.json your value is kept and
named), added, removed (the new version dropped it and you never changed it), kept (dropped, but you
changed it), deleted-kept (you deleted it), restored (deleted, brought back by --restore-deleted).
Exit codes: 0 done, 1 conflicts to resolve or a step failed, such as fetching the recorded version (--check:
an update exists, or it could not look), 2 usage error.`;

/**
 * The project folder and its record, or a usage error saying what is missing. What an interrupted run left
 * (a half-done write, its lock) is undone first, so nothing reads a half-written project or mistakes its
 * leftovers for the user's changes. `naming` gives the command line that names a project folder.
 */
export function openProject(
  directory: string,
  command: string,
  naming: (folder: string) => string,
  ui: Ui,
): { target: string; recordFile: { file: string; shownAs: string }; record: ProjectRecord } {
  const target = path.resolve(directory);
  const recordFile = path.join(target, RECORD_FILE);
  const stats = statSync(target, { throwIfNoEntry: false });
  if (!stats) throw new UsageError(`The folder ${directory} does not exist. Name a generated project's folder: ${naming('my-server')}`);
  if (!stats.isDirectory()) throw new UsageError(`${directory} is a file, not a project folder. Name a generated project's folder: ${naming('my-server')}`);
  withFolderHeld(target, ui, () => undefined);
  if (!existsSync(recordFile)) {
    // Run from inside a project (its src/, say): name the project, as git names its top folder.
    const project = enclosingProject(path.dirname(target));
    throw new UsageError(
      project
        ? `${directory} is inside the project ${path.relative(process.cwd(), project)}: run ${command} there, or name it: ${naming(shellWord(path.relative(process.cwd(), project)))}`
        : `${directory} has no ${RECORD_FILE}, so it was not made by ${GENERATOR_NAME} (or the record was deleted: restore it from git). ` +
            `Run ${command} in a generated project's folder, or name it: ${naming('my-server')}`,
    );
  }
  const shownAs = path.relative(process.cwd(), recordFile);
  return { target, recordFile: { file: recordFile, shownAs }, record: readRecord(recordFile, shownAs) };
}

/** The nearest folder at or above `dir` that holds a project record, if any. */
function enclosingProject(dir: string): string | undefined {
  for (let folder = dir; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, RECORD_FILE))) return folder;
    if (path.dirname(folder) === folder) return undefined;
  }
}

/** Whether a recorded template source is a local folder (or .tgz), which has no versions to fetch. */
function isFolder(source: string, cwd: string): boolean {
  const parsed = parseSource(source, cwd);
  return parsed.ok && parsed.source.kind === 'local';
}

/** An older generator would undo what a newer one made: it is refused, naming the one to run. */
export async function refuseNewerRecord(record: ProjectRecord, directory: string, command: string): Promise<void> {
  const { gt, valid } = await import('semver');
  const made = record.generator.version;
  if (valid(made) && gt(made, GENERATOR_VERSION)) {
    throw new UsageError(`${directory} was made by ${GENERATOR_NAME} ${made}, newer than this one (${GENERATOR_VERSION}). Run: npx ${GENERATOR_NAME}@latest ${command}`);
  }
}

/** Reads a project file for the merge: undefined when absent or not a file. */
export function projectReader(target: string): (file: string) => string | undefined {
  return (file) => {
    try {
      return readFileSync(path.join(target, file), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/**
 * Refuses uncommitted changes unless allowed: git is how the user reviews and undoes an update. Returns
 * whether git holds the project as it was (then no backup needs keeping).
 */
export async function requireCommitted(target: string, allowDirty: boolean, command: string): Promise<boolean> {
  // A backup folder an earlier run left is ours, not a change of the user's.
  const changes = (await uncommittedChanges(target))?.filter((file) => !file.split('/').some((segment) => segment.startsWith(BACKUP_PREFIX)));
  if (changes === undefined || changes.length === 0) return changes !== undefined;
  if (allowDirty) return false;
  const shown = changes.slice(0, 10).join(', ') + (changes.length > 10 ? ` and ${changes.length - 10} more` : '');
  throw new UsageError(
    `${path.basename(target)} has uncommitted changes (${shown}). Commit or stash them first, so that git shows what ` +
      `${command} changed and can undo it; or pass --allow-dirty (replaced files are then backed up).`,
  );
}

/**
 * Refuses what cannot be written safely, before anything is (and on --dry-run, which then says so): only
 * plain UTF-8 files are replaced or removed, and never through a link, which could lead outside the project.
 * Returns whether each file to write replaces one.
 */
export function checkWrites(target: string, fates: readonly FileFate[]): Map<string, boolean> {
  const fix = 'Make it a real folder (or move it away), then run the command again.';
  const replaces = new Map<string, boolean>();
  for (const fate of fates.filter((fate) => fate.content !== undefined || fate.fate === 'removed')) {
    const existing = existingFile(target, fate.path, path.basename(target), fix);
    if (existing?.isSymbolicLink()) throw new UsageError(`${fate.path} is a link, and this would replace it with a file. Make it a file, or move it away, then run the command again.`);
    if (existing && !isUtf8(readFileSync(path.join(target, fate.path)))) {
      throw new UsageError(`${fate.path} is not UTF-8 text, so its changes cannot be merged without garbling it. Save it as UTF-8 and commit it, then run the command again.`);
    }
    replaces.set(fate.path, existing !== undefined);
  }
  return replaces;
}

/**
 * Writes the changed files and removals in one journaled step (a kill leaves the project as it was). The
 * replaced files are backed up in the project unless git already holds them. Returns the backup folder.
 */
export function applyFates(target: string, fates: readonly FileFate[], keepBackup: boolean): string | undefined {
  const replaces = checkWrites(target, fates);
  const files = fates
    .filter((fate) => fate.content !== undefined)
    .map((fate) => ({ path: fate.path, content: fate.content!, bytes: Buffer.byteLength(fate.content!), overwrites: replaces.get(fate.path)! }));
  const removals = fates.filter((fate) => fate.fate === 'removed').map((fate) => fate.path);
  if (files.length === 0 && removals.length === 0) return undefined;
  const backupDir = files.some((file) => file.overwrites) || removals.length > 0 ? path.join(target, backupFolderName(new Date())) : undefined;
  const plan: WritePlan = { target, mode: 'merge', files, backupDir, removals, keepBackup };
  return writeProject(plan).backupDir;
}

export async function runUpdate(argv: readonly string[], ui: Ui, json: boolean): Promise<number> {
  const line = parseCommandLine(argv, UPDATE_FLAGS, 'update');
  if (line.own.has('help')) {
    process.stdout.write(`${UPDATE_HELP}\n`);
    return EXIT.ok;
  }
  const folders = [...line.positionals, ...(line.values.has('dir') ? [line.values.get('dir')!] : [])];
  if (folders.length > 1) {
    throw new UsageError(`update takes one project folder, as its argument or with --dir; got ${folders.join(', ')}. Give it once, and quote a name with spaces.`);
  }
  const directory = folders[0] ?? '.';
  const { target, recordFile, record } = openProject(directory, 'update', (folder) => `update ${folder}`, ui);
  await refuseNewerRecord(record, directory, ['update', ...argv].map(shellWord).join(' '));

  if (line.own.has('check')) {
    const result = await checkForUpdates(record);
    for (const what of result.unknown) ui.warn(`Could not look up ${what}.`);
    const newer = result.generator.newer || Boolean(result.template?.newer);
    // A check that could not look is no green light: CI should hear about it.
    const unsure = result.unknown.length > 0;
    if (json) process.stdout.write(`${JSON.stringify({ ok: !unsure, updateAvailable: newer, ...result }, null, 2)}\n`);
    else {
      ui.line(
        result.generator.newer
          ? `${GENERATOR_NAME} ${result.generator.latest} is out; this project was made with ${result.generator.recorded}.`
          : `${GENERATOR_NAME}: up to date (${result.generator.recorded}).`,
      );
      if (result.template) {
        const { latest, recorded, newer: changed } = result.template;
        ui.line(
          !changed
            ? `Team template: up to date (${recorded}).`
            : latest === recorded
              ? `Team template: ${recorded} has changed since the project was made.`
              : `Team template: ${latest} is newer than ${recorded}.`,
        );
      }
      if (newer) ui.line(`Update with: npx ${GENERATOR_NAME}@latest update ${shellWord(path.relative(process.cwd(), target) || '.')}`);
      else if (unsure) ui.line('Could not check everything (see the warnings above), so this cannot say the project is up to date.');
    }
    return newer || unsure ? EXIT.failed : EXIT.ok;
  }

  const dryRun = line.own.has('dry-run');
  const gitHoldsIt = dryRun ? false : await requireCommitted(target, line.own.has('allow-dirty'), 'update');

  // 2. Both sides, each by its own generator version; the team template at its recorded pin and at its newest.
  const fromVersion = record.generator.version;
  const templateArgs = record.template && !line.answers.some((word) => word === '--template' || word.startsWith('--template=')) ? ['--template', latestSource(record.template.source)] : [];
  if (!json) ui.line(`Rendering what ${GENERATOR_NAME} ${fromVersion} made and what ${GENERATOR_VERSION} makes...`);
  if (record.template && isFolder(record.template.source, target)) {
    ui.warn(
      `The team template is the folder ${record.template.source}, and a folder keeps no earlier versions: both sides are rendered ` +
        'from it as it is now, so its changes since the project was made are not applied. Publish it to npm or git to update from it.',
    );
  }
  const warn = (text: string) => ui.warn(text);
  const [base, theirs] = await Promise.all([
    generatorOf(fromVersion).then((bin) => renderWith(bin, recordFile, [], `the project as ${fromVersion} made it`, warn)),
    renderWith(generatorBin, recordFile, [...line.answers, ...templateArgs], `the project as ${GENERATOR_VERSION} makes it`, warn),
  ]);

  const merge = await updatePlanner(base, theirs, {
    labels: { ours: 'yours', theirs: `${GENERATOR_NAME} ${GENERATOR_VERSION}` },
    restoreDeleted: line.own.has('restore-deleted'),
  });
  // The record is the generator's: it always ends up saying what made the project now.
  const newRecord = theirs.get(RECORD_FILE)!;
  const plan = (read: (file: string) => string | undefined): FileFate[] =>
    merge(read).map((fate) => {
      if (fate.path !== RECORD_FILE) return fate;
      const ours = read(RECORD_FILE);
      const content = inStyleOf(ours, newRecord);
      return ours === content ? { path: RECORD_FILE, fate: 'unchanged' } : { path: RECORD_FILE, fate: 'updated', content };
    });

  if (dryRun) {
    const read = projectReader(target);
    const fates = plan(read);
    checkWrites(target, fates);
    const report = reportOf(record, theirs, fates, true, undefined);
    if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      await printDiffs(fates, read);
      describeFates(report, ui, directory);
    }
    return EXIT.ok;
  }

  // 3-4. Merged and written holding the folder, so nothing else writes into it meanwhile.
  const read = projectReader(target);
  const { fates, backup } = withFolderHeld(target, ui, () => {
    const fates = plan(read);
    return { fates, backup: applyFates(target, fates, !gitHoldsIt) };
  });
  const report = reportOf(record, theirs, fates, false, backup && path.relative(target, backup));
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    describeFates(report, ui, directory);
    if (report.files.some((file) => file.fate !== 'unchanged')) {
      const commands = commandsFor(packageManagerOfProject(target));
      ui.line(`\nNext${report.conflicts.length > 0 ? ', once they are resolved' : ''}: ${nextSteps(directory, commands.installShown, commands.test)}`);
    }
  }
  return report.conflicts.length > 0 ? EXIT.failed : EXIT.ok;
}

function reportOf(record: ProjectRecord, theirs: ProjectFiles, fates: readonly FileFate[], dryRun: boolean, backup: string | undefined): ChangeReport {
  const next = JSON.parse(theirs.get(RECORD_FILE)!) as ProjectRecord;
  return {
    ok: !fates.some((fate) => fate.fate === 'conflict'),
    dryRun,
    from: { generator: record.generator.version, template: record.template?.source ?? null },
    to: { generator: next.generator.version, template: next.template?.source ?? null },
    files: fates.map(({ path: file, fate, note }) => ({ path: file, fate, ...(note ? { note } : {}) })),
    conflicts: fates.filter((fate) => fate.fate === 'conflict').map((fate) => fate.path),
    ...(backup ? { backup } : {}),
  };
}
