/**
 * create-mcp-sampling-server: generates a tested TypeScript MCP server whose tool uses sampling.
 *
 *   1. Read the options: a team template and answer files first (it may add options), then flags,
 *      then questions on a terminal, then defaults; all checked.
 *   2. Render in memory: the built-in template, the team template over it, and the project's record.
 *   3. Plan the write: refuse a non-empty folder unless --force, find what would be overwritten.
 *   4. Write atomically (or print the plan on --dry-run).
 *   5. Install dependencies.
 *   6. With --verify: type-check, build, test, and drive the built server live.
 *   7. Create a git repository.
 *   8. Report: files, the command that generates the same project again, next steps (or --json).
 *
 * `create-mcp-sampling-server verify [directory]` runs step 6 alone on an existing project.
 * `update [directory]` and `add tool <name>` (src/update/) bring an existing project to this version, or add a tool.
 * `create-mcp-sampling-server host ...` is the terminal MCP host (src/host/), loaded only when asked for.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT, isUserFacing, StepError, UsageError } from './errors.js';
import { helpText, parseFlags, peekSources, type ParsedFlags } from './options/flags.js';
import { takeBackFromNpm } from './options/npm-swallowed.js';
import { terminalAsker } from './options/prompts.js';
import { checked, isInteractive, resolveAnswers } from './options/resolve.js';
import { templatesDir } from './paths.js';
import { buildSummary, printDone, printDryRun, printVerifyReport, printWritten, type RunSummary, type Timings } from './report/summary.js';
import { replayCommand } from './report/replay.js';
import { mergeGiven, readInputs, type RunInputs } from './render/inputs.js';
import { renderProject } from './render/project.js';
import { createUi, type Ui } from './report/ui.js';
import { initGit } from './setup/git.js';
import { installDependencies } from './setup/install.js';
import { commandsFor, packageManagerOfProject, type PackageManager } from './setup/package-manager.js';
import type { OptionEntries } from './options/spec.js';
import { OPTIONS } from './options/table.js';
import { verifyProject, type VerifyReport } from './verify/verify.js';
import { shellWord } from './render/literals.js';
import { GENERATOR_VERSION, RENDER_ONLY } from './version.js';
import { planWrite } from './write/plan.js';
import { withFolderHeld } from './write/hold.js';
import { writeProject } from './write/write.js';

async function generate(flags: ParsedFlags, inputs: RunInputs, ui: Ui, timings: Timings): Promise<RunSummary> {
  let last = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    timings[step] = Math.round(now - last);
    last = now;
  };

  // 1. Options (the team template and answer files were read in main, before the flags they add)
  const { entries, team } = inputs;
  const given = mergeGiven(inputs, flags.given);
  const interactive = isInteractive(given, {
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    ci: process.env.CI,
  });
  const answers = await resolveAnswers(given, interactive, terminalAsker, entries);
  lap('options');

  // 2. Render
  const { files, notes } = await renderProject(templatesDir, answers, entries, team, inputs.added);
  lap('render');

  // 3. Plan
  // A tool added with `add tool` has no flag: only the record makes such a project again.
  const command = inputs.added.length === 0 ? replayCommand(answers, entries) : null;
  if (answers.dryRun) {
    const plan = planWrite(answers.directory, files, answers.force);
    printDryRun(plan, ui);
    lap('plan');
    return buildSummary(answers, entries, plan, undefined, 'skipped', { status: 'skipped', reason: 'dry run' }, command, notes, timings);
  }

  // 4. Write, holding the folder so no other run writes into it meanwhile
  const { plan, written } = withFolderHeld(answers.directory, ui, () => {
    const plan = planWrite(answers.directory, files, answers.force);
    return { plan, written: writeProject(plan) };
  });
  lap('write');
  printWritten(plan, ui);

  // `update` and `add` render projects to compare (src/update/render.ts): the files only, recording the answers as given.
  if (process.env[RENDER_ONLY] === '1') {
    return buildSummary(answers, entries, plan, written, 'skipped', { status: 'skipped', reason: 'rendered only' }, command, notes, timings);
  }

  // 5. Install (--verify installs as its first step)
  const shownDir = path.relative(process.cwd(), plan.target) || '.';
  if (answers.install && !answers.verify) {
    // The project is already complete on disk; an interrupted install only needs saying so.
    const interrupted = () => {
      const finish = [`cd ${shellWord(shownDir)}`, commandsFor(answers.pm).installShown, ...(answers.git ? ['git init'] : [])].join(' && ');
      ui.error(
        `Install interrupted. The project's files are all in ${shownDir}, but its dependencies are not installed` +
          `${answers.git ? ' and no git repository was created' : ''}. Finish with:\n  ${finish}`,
      );
      process.exit(EXIT.cancelled);
    };
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
    try {
      await installDependencies(answers.pm, plan.target, shownDir, ui);
    } finally {
      process.removeListener('SIGINT', interrupted).removeListener('SIGTERM', interrupted);
    }
    lap('install');
  }

  // 6. Verify
  const verified = answers.verify ? await verifyProject(plan.target, answers.pm, ui) : undefined;
  if (verified) lap('verify');

  // 7. Git
  const git = answers.git
    ? await initGit(plan.target, plan.mode === 'new' ? 'all' : written.written, GENERATOR_VERSION)
    : ({ status: 'skipped', reason: '--no-git' } as const);
  lap('git');

  // 8. Report
  return {
    ...buildSummary(answers, entries, plan, written, answers.install ? 'done' : 'skipped', git, command, notes, timings),
    ...(verified ? { verify: verified } : {}),
  };
}

/** `verify [directory]`: only the package manager and --json apply. */
async function verifyExisting(flags: ParsedFlags, entries: OptionEntries, ui: Ui): Promise<VerifyReport> {
  const stray = Object.keys(flags.given).filter((key) => !['directory', 'pm', 'json'].includes(key));
  if (stray.length > 0) {
    const flagsGiven = stray.map((key) => `--${entries.find(([entry]) => entry === key)?.[1].flag ?? key}`).join(', ');
    throw new UsageError(`verify takes a folder, --pm and --json only; ${flagsGiven} ${stray.length === 1 ? 'does' : 'do'} not apply.`);
  }
  const directory = path.resolve(String(flags.given.directory ?? '.'));
  if (!existsSync(directory)) {
    throw new UsageError(`The folder ${directory} does not exist. Give verify the folder of a generated project, e.g. verify my-server.`);
  }
  if (!existsSync(path.join(directory, 'package.json'))) {
    throw new UsageError(`${directory} has no package.json: verify expects a project made by create-mcp-sampling-server.`);
  }
  // Checked by the option table's own row, so verify accepts and refuses exactly what generating does.
  const pm = flags.given.pm === undefined ? packageManagerOfProject(directory) : (checked(OPTIONS.pm, flags.given.pm, {}) as PackageManager);
  return verifyProject(directory, pm, ui);
}

async function main(): Promise<void> {
  // A reader that stops early (`update --dry-run | head`) closes stdout: the run still finishes, unprinted.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const argv = process.argv.slice(2);
  if (argv[0] === 'host') {
    // Its own file in dist/ (scripts/build.mjs), so generating never loads it; it has its own flags and help.
    const { runHost } = await import('./host/index.js');
    process.exit(await runHost(argv.slice(1)));
  }
  if (argv[0] === 'config') {
    const { runConfig } = await import('./config/command.js');
    try {
      process.exitCode = runConfig(argv.slice(1), process.cwd(), (text) => process.stdout.write(`${text}\n`), (text) => createUi(false).warn(text));
    } catch (error) {
      if (!isUserFacing(error)) throw error;
      createUi(false).error(error.message);
      process.exitCode = error.exitCode;
    }
    return;
  }
  const json = argv.includes('--json');
  const ui = createUi(json);
  if (argv[0] === 'update' || argv[0] === 'add') {
    try {
      const command = argv[0] === 'update' ? (await import('./update/command.js')).runUpdate : (await import('./update/add.js')).runAdd;
      process.exitCode = await command(argv.slice(1), ui, json);
    } catch (error) {
      const known = isUserFacing(error);
      ui.error(known ? error.message : `Unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
      if (error instanceof StepError && error.detail) process.stderr.write(`${error.detail}\n`);
      if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: known ? error.name : 'InternalError', message: (error as Error).message } }, null, 2)}\n`);
      process.exitCode = known ? error.exitCode : EXIT.failed;
    }
    return;
  }
  const timings: Timings = {};
  try {
    // --version answers at once; a team template (--template, or named in --preset/--from) adds options, so it
    // is read before the command line is parsed for real.
    const sources = peekSources(argv);
    if (sources.version) {
      process.stdout.write(`${GENERATOR_VERSION}\n`);
      return;
    }
    const inputs = await readInputs(sources, process.cwd());
    for (const warning of inputs.warnings) ui.warn(warning);
    const flags = await parseFlags(takeBackFromNpm(argv, inputs.entries, process.env), inputs.entries);
    if (flags.help) {
      process.stdout.write(`${helpText(inputs.entries)}\n`);
      return;
    }
    if (flags.command === 'verify') {
      const report = await verifyExisting(flags, inputs.entries, ui);
      if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printVerifyReport(report, ui);
      if (!report.ok) process.exitCode = EXIT.failed;
      return;
    }
    const summary = await generate(flags, inputs, ui, timings);
    if (json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else if (!summary.dryRun) printDone(summary, ui);
    if (summary.verify && !summary.verify.ok) {
      if (!json) printVerifyReport(summary.verify, ui);
      process.exitCode = EXIT.failed;
    }
  } catch (error) {
    const known = isUserFacing(error);
    const message = known ? error.message : `Unexpected failure: ${(error as Error)?.message ?? String(error)}`;
    ui.error(message);
    if (error instanceof StepError && error.detail) process.stderr.write(`${error.detail}\n`);
    if (!known && process.env.DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    if (!known) process.stderr.write('This is a bug in create-mcp-sampling-server; please report it with the command you ran.\n');
    if (json) {
      const code = known ? error.name : 'InternalError';
      process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message }, timingsMs: timings }, null, 2)}\n`);
    }
    process.exitCode = known ? error.exitCode : EXIT.failed;
  }
}

void main();
