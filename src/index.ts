/**
 * create-mcp-sampling-server: generates a tested TypeScript MCP server whose tool uses sampling.
 *
 *   1. Read the options: a team template and answer files first (it may add options), then flags,
 *      then questions on a terminal, then defaults; all checked.
 *   2. Render in memory: the built-in template, the team template over it, and the project's record.
 *   3. Plan the write: refuse a non-empty folder unless --force, find what would be overwritten.
 *   4. Write atomically (or print the plan on --dry-run).
 *   5. Install dependencies.
 *   6. Create a git repository.
 *   7. Report: files, the command that generates the same project again, next steps (or --json).
 */
import path from 'node:path';
import { EXIT, isUserFacing, StepError } from './errors.js';
import { helpText, parseFlags, peekSources } from './options/flags.js';
import { terminalAsker } from './options/prompts.js';
import { isInteractive, resolveAnswers } from './options/resolve.js';
import { templatesDir } from './paths.js';
import { renderProject } from './template-source/compose.js';
import { mergeGiven, readInputs } from './template-source/inputs.js';
import { buildSummary, printDone, printDryRun, type RunSummary, type Timings } from './report/summary.js';
import { replayCommand } from './report/replay.js';
import { createUi, type Ui } from './report/ui.js';
import { initGit } from './setup/git.js';
import { installDependencies } from './setup/install.js';
import { GENERATOR_VERSION } from './version.js';
import { planWrite } from './write/plan.js';
import { writeProject } from './write/write.js';

async function run(argv: readonly string[], ui: Ui, timings: Timings): Promise<RunSummary | undefined> {
  let last = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    timings[step] = Math.round(now - last);
    last = now;
  };

  // 1. Options
  const sources = peekSources(argv);
  if (sources.version) {
    process.stdout.write(`${GENERATOR_VERSION}\n`);
    return undefined;
  }
  const inputs = await readInputs(sources, process.cwd());
  for (const warning of inputs.warnings) ui.warn(warning);
  const { entries, team } = inputs;
  const flags = await parseFlags(argv, entries);
  if (flags.help) {
    process.stdout.write(`${await helpText(entries)}\n`);
    return undefined;
  }
  const given = mergeGiven(inputs, flags.given);
  const interactive = isInteractive(given, {
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    ci: process.env.CI,
  });
  const answers = await resolveAnswers(given, interactive, terminalAsker, entries);
  lap('options');

  // 2. Render
  const files = await renderProject(templatesDir, answers, entries, team);
  lap('render');

  // 3. Plan
  const plan = planWrite(answers.directory, files, answers.force);
  const command = replayCommand(answers, entries);
  if (answers.dryRun) {
    printDryRun(plan, ui);
    lap('plan');
    return buildSummary(answers, entries, plan, undefined, 'skipped', { status: 'skipped', reason: 'dry run' }, command, timings);
  }

  // 4. Write
  const written = writeProject(plan);
  lap('write');

  // 5. Install
  const shownDir = path.relative(process.cwd(), plan.target) || '.';
  if (answers.install) {
    // The project is already complete on disk; an interrupted install only needs saying so.
    const interrupted = () => {
      ui.error(`Install interrupted. The project is complete in ${shownDir}; install its dependencies when you are ready.`);
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

  // 6. Git
  const git = answers.git
    ? await initGit(plan.target, plan.mode === 'new' ? 'all' : written.written, GENERATOR_VERSION)
    : ({ status: 'skipped', reason: '--no-git' } as const);
  lap('git');

  // 7. Report
  return buildSummary(answers, entries, plan, written, answers.install ? 'done' : 'skipped', git, command, timings);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const ui = createUi(json);
  const timings: Timings = {};
  try {
    const summary = await run(argv, ui, timings);
    if (!summary) return;
    if (json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else if (!summary.dryRun) printDone(summary, ui);
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

await main();
