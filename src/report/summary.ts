/** What the user reads at the end: files written, the replay command, next steps; or the --json summary. */
import path from 'node:path';
import type { OptionEntries } from '../options/spec.js';
import type { RunAnswers } from '../options/table.js';
import { OPTION_ENTRIES } from '../options/table.js';
import { commandsFor, type PackageManager } from '../setup/package-manager.js';
import type { GitOutcome } from '../setup/git.js';
import type { WritePlan } from '../write/plan.js';
import type { WriteResult } from '../write/write.js';
import { GENERATOR_DEPENDENCY, GENERATOR_FROM_CHECKOUT, GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';
import { binNameOf } from '../render/context.js';
import { shellWord } from '../render/literals.js';
import { RECORD_FILE } from '../template-source/record.js';
import { replayFromRecord } from './replay.js';
import { allHostConfigs, HOST_CONFIGS, HOST_NAMES, hostConfigText, authNote, type HostName, type ServedProject } from '../config/hosts.js';
import type { Ui } from './ui.js';

export type Timings = Record<string, number>;

import type { VerifyReport } from '../verify/verify.js';

export interface RunSummary {
  ok: true;
  generator: { name: string; version: string };
  dryRun: boolean;
  directory: string;
  options: Record<string, unknown>;
  files: { path: string; bytes: number; overwritten: boolean }[];
  backupDir: string | null;
  install: 'done' | 'skipped';
  git: GitOutcome | { status: 'skipped'; reason: string };
  /** Every answer as flags: the same project without a record file (null once `add tool` added a tool: no flag makes it). */
  command: string | null;
  /** The short form printed at the end: a new project from this one's record. */
  fromRecord: string;
  nextSteps: string[];
  /** Each host's configuration with the project's absolute path: a command, or the JSON for its config file. */
  hostConfigs: Record<HostName, string | object>;
  /** Things about the project the user should know, one line each. */
  notes: string[];
  timingsMs: Timings;
  /** With --verify: every step, its duration and, on failure, why. */
  verify?: VerifyReport;
}

/** The project's own answers, without the run controls, for the JSON summary. */
export function projectOptions(answers: RunAnswers, entries: OptionEntries = OPTION_ENTRIES): Record<string, unknown> {
  return Object.fromEntries(entries.filter(([, spec]) => !spec.control).map(([key]) => [key, answers[key]]));
}

/** How hosts see the project: the bin name package.json gets from --name, and where it was written. */
function servedProject(answers: RunAnswers, directory: string): ServedProject {
  return { serverName: binNameOf(answers.name), directory, transport: answers.transport, auth: answers.auth };
}

export function nextSteps(answers: RunAnswers, installed: boolean): string[] {
  const pm = commandsFor(answers.pm);
  const steps: string[] = [];
  if (path.resolve(answers.directory) !== process.cwd()) steps.push(`cd ${shellWord(answers.directory)}`);
  if (!installed) steps.push(pm.installShown);
  // The first thing worth doing is seeing the tool sample: the terminal host, before the tests.
  steps.push(`${pm.run} build`, `${pm.run} host`, pm.test);
  return steps;
}

/** Why a next step is worth running, shown beside it on the terminal. */
function stepComment(step: string, pm: ReturnType<typeof commandsFor>): string | undefined {
  if (step === `${pm.run} host`) return 'call the tool; approve, edit or reject its sampling request here';
  if (step === pm.test) return 'the unit and end-to-end tests';
  return undefined;
}

/**
 * Run from a checkout, the project's devDependency points at it: that version may be on no registry, and
 * the project installs only on machines where the checkout sits at that path.
 */
function generatorSourceNote(): string | undefined {
  if (!GENERATOR_FROM_CHECKOUT) return undefined;
  return `The project installs ${GENERATOR_NAME} from this checkout (${GENERATOR_DEPENDENCY}), since a checkout's version (${GENERATOR_VERSION}) may not be on a registry.`;
}

export function buildSummary(
  answers: RunAnswers,
  entries: OptionEntries,
  plan: WritePlan,
  written: WriteResult | undefined,
  install: RunSummary['install'],
  git: RunSummary['git'],
  command: string | null,
  renderNotes: readonly string[],
  timingsMs: Timings,
): RunSummary {
  return {
    ok: true,
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    dryRun: written === undefined,
    directory: plan.target,
    options: projectOptions(answers, entries),
    files: plan.files.map((file) => ({ path: file.path, bytes: file.bytes, overwritten: file.overwrites })),
    backupDir: plan.backupDir ?? null,
    install,
    git,
    command,
    fromRecord: replayFromRecord(answers),
    nextSteps: nextSteps(answers, install === 'done'),
    hostConfigs: allHostConfigs(servedProject(answers, plan.target)),
    notes: [...renderNotes, generatorSourceNote()].filter((note) => note !== undefined),
    timingsMs,
  };
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

export function printDryRun(plan: WritePlan, ui: Ui): void {
  ui.line(`Dry run: nothing is written. ${plan.files.length} files would go to ${plan.target}:`);
  const width = Math.max(...plan.files.map((file) => file.path.length));
  for (const file of plan.files) {
    const note = file.overwrites ? ui.style('yellow', '  overwrite (backed up first)') : '';
    ui.line(`  ${file.path.padEnd(width)}  ${formatBytes(file.bytes).padStart(8)}${note}`);
  }
  if (plan.backupDir) ui.line(`Replaced files would be backed up to ${plan.backupDir}`);
}

/** Said as soon as the files are on disk, before the slower install and git steps. */
export function printWritten(plan: WritePlan, ui: Ui): void {
  const overwritten = plan.files.filter((file) => file.overwrites);
  ui.line(`${ui.style('green', '✔')} Wrote ${plan.files.length} files to ${plan.target}`);
  if (overwritten.length > 0) {
    ui.line(`  Replaced ${overwritten.length} existing files; the originals are in ${plan.backupDir}:`);
    for (const file of overwritten) ui.line(`    ${file.path}`);
  }
}

export function printDone(summary: RunSummary, ui: Ui): void {
  if (summary.git.status === 'committed') ui.line(`${ui.style('green', '✔')} Created a git repository with a first commit`);
  else if (summary.git.status === 'failed') ui.warn(`git: ${summary.git.reason}`);
  ui.line();
  if (summary.notes.length > 0) {
    for (const note of summary.notes) ui.line(note);
    ui.line();
  }
  ui.line('Next steps:');
  const pm = commandsFor(summary.options.pm as PackageManager);
  const width = Math.max(...summary.nextSteps.map((step) => step.length));
  for (const step of summary.nextSteps) {
    const comment = stepComment(step, pm);
    ui.line(`  ${ui.style('cyan', step)}${comment ? `${' '.repeat(width - step.length)}   # ${comment}` : ''}`);
  }
  ui.line();
  const project = servedProject(summary.options as RunAnswers, summary.directory);
  ui.line(`Connect it to a host${project.transport === 'http' ? ' (with the server running)' : ' (once built)'}; \`${pm.run} host-config\` prints these again:`);
  for (const host of HOST_NAMES) {
    const { title, where, kind } = HOST_CONFIGS[host];
    ui.line(`  ${title}${kind === 'json' ? `, in ${where}` : ''}:`);
    ui.line(`    ${hostConfigText(host, project, true)}`);
  }
  const note = authNote(project);
  if (note !== undefined) ui.line(`  ${note}`);
  ui.line();
  ui.line('Make the same project again (e.g. in CI) from its record:');
  ui.line(`  ${summary.fromRecord}`);
  if (summary.command !== null) ui.line(`  (or with every answer as a flag: the "command" in ${RECORD_FILE}, and in --json)`);
}

export function printVerifyReport(report: VerifyReport, ui: Ui): void {
  const failed = report.steps.find((step) => !step.ok);
  if (!failed) {
    const seconds = report.steps.reduce((sum, step) => sum + step.ms, 0) / 1000;
    ui.line(`${ui.style('green', '✔')} Verified ${report.directory} in ${seconds.toFixed(1)} s`);
    return;
  }
  ui.error(`verify: ${failed.name} failed in ${report.directory}`);
  if (failed.problem) process.stderr.write(`${failed.problem}\n`);
  if (failed.output) process.stderr.write(`${failed.output}\n`);
}
