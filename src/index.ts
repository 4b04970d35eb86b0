/**
 * create-mcp-sampling-server: generates a tested TypeScript MCP server whose tool uses sampling.
 *
 *   1. Read the options: flags, then questions on a terminal, then defaults; all checked.
 *   2. Render the template in memory.
 *   3. Plan the write: refuse a non-empty folder unless --force, find what would be overwritten.
 *   4. Write atomically (or print the plan on --dry-run).
 *   5. Install dependencies.
 *   6. Create a git repository.
 *   7. Report: files, the command that generates the same project again, next steps (or --json).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT, isUserFacing, StepError, UsageError } from './errors.js';
import { helpText, parseFlags } from './options/flags.js';
import { terminalAsker } from './options/prompts.js';
import { isInteractive, resolveAnswers } from './options/resolve.js';
import { templateContext } from './render/context.js';
import { renderTemplate } from './render/render.js';
import { templatesDir } from './paths.js';
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
  const flags = await parseFlags(argv);
  if (flags.help) {
    process.stdout.write(`${await helpText()}\n`);
    return undefined;
  }
  if (flags.version) {
    process.stdout.write(`${GENERATOR_VERSION}\n`);
    return undefined;
  }
  const interactive = isInteractive(flags.given, {
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    ci: process.env.CI,
  });
  const answers = await resolveAnswers(flags.given, interactive, terminalAsker);
  const templateDir = path.join(templatesDir, answers.sdk);
  if (!existsSync(templateDir)) {
    throw new UsageError(`--sdk ${answers.sdk}: this version of the generator has no ${answers.sdk} template yet. Use --sdk v2`);
  }
  lap('options');

  // 2. Render
  const files = await renderTemplate(templateDir, templateContext(answers));
  lap('render');

  // 3. Plan
  const plan = planWrite(answers.directory, files, answers.force);
  const command = replayCommand(answers);
  if (answers.dryRun) {
    printDryRun(plan, ui);
    lap('plan');
    return buildSummary(answers, plan, undefined, 'skipped', { status: 'skipped', reason: 'dry run' }, command, timings);
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
  return buildSummary(answers, plan, written, answers.install ? 'done' : 'skipped', git, command, timings);
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
