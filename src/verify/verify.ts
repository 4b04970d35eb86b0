/**
 * `verify`: proves a generated project works. Install, type-check, build and its own tests, then the
 * built server is started and driven by a scripted host over every transport it has, in every protocol
 * era its SDK speaks (v2: 2025 and 2026-07-28; v1: 2025), approving, rejecting and lacking sampling.
 * Steps run in order; the first failure stops the run.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyHostScript } from '../paths.js';
import type { Ui } from '../report/ui.js';
import { tail } from '../setup/install.js';
import { commandsFor, type PackageManager } from '../setup/package-manager.js';
import { scenarioProblem, type ScenarioReport } from './expectations.js';

export interface StepReport {
  name: string;
  ok: boolean;
  ms: number;
  /** Why the step failed, and the end of its output. */
  problem?: string;
  output?: string;
}

export interface VerifyReport {
  ok: boolean;
  directory: string;
  steps: StepReport[];
}

const MINUTE = 60_000;

type StepResult = { ok: true } | { ok: false; problem: string; output?: string };

async function run(command: string, args: readonly string[], cwd: string, timeout: number, env: NodeJS.ProcessEnv = {}) {
  const { execa } = await import('execa');
  return execa(command, args, { cwd, all: true, reject: false, stdin: 'ignore', timeout, env: { NO_COLOR: '1', ...env } });
}

async function command(argv: readonly string[], cwd: string, timeout: number): Promise<StepResult> {
  const [file, ...args] = argv as [string, ...string[]];
  const result = await run(file, args, cwd, timeout);
  if (result.exitCode === 0) return { ok: true };
  const why = result.timedOut ? `timed out after ${timeout / MINUTE} min` : `exited with code ${result.exitCode ?? result.signal}`;
  return { ok: false, problem: `${argv.join(' ')} ${why}`, output: tail(result.all ?? '') };
}

type Sdk = 'v1' | 'v2';

/** The SDK line a project is built on, from its dependencies: v1 is `@modelcontextprotocol/sdk`. */
function projectSdk(projectDir: string): Sdk {
  const pkg = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return pkg.dependencies?.['@modelcontextprotocol/sdk'] !== undefined && pkg.dependencies['@modelcontextprotocol/server'] === undefined ? 'v1' : 'v2';
}

/** Approve, reject and no sampling, for each era the project's SDK speaks. */
const SCENARIOS: Record<Sdk, number> = { v2: 6, v1: 3 };

/** Runs the scripted host against one server and checks every scenario. */
async function driveServer(projectDir: string, server: object): Promise<StepResult> {
  const sdk = projectSdk(projectDir);
  // The host runs inside the project so that it uses the project's own installed MCP client.
  const hostDir = path.join(projectDir, 'node_modules/.cache/create-mcp-sampling-server');
  mkdirSync(hostDir, { recursive: true });
  const host = path.join(hostDir, 'verify-host.mjs');
  copyFileSync(verifyHostScript, host);
  const result = await run(process.execPath, [host, JSON.stringify({ sdk, server })], projectDir, MINUTE);
  if (result.exitCode !== 0) return { ok: false, problem: 'the scripted host failed', output: tail(result.all ?? '') };
  const reports = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as ScenarioReport);
  const problems = reports.flatMap((report) => {
    const problem = scenarioProblem(report);
    return problem ? [`${report.era} host, ${report.behaviour}: ${problem}`] : [];
  });
  if (reports.length !== SCENARIOS[sdk]) problems.push(`expected ${SCENARIOS[sdk]} scenarios, the host reported ${reports.length}`);
  return problems.length === 0 ? { ok: true } : { ok: false, problem: problems.join('\n') };
}

async function liveStdio(projectDir: string): Promise<StepResult> {
  return driveServer(projectDir, { command: process.execPath, args: ['dist/index.js'] });
}

/** Starts the built server on a free 127.0.0.1 port, drives it, then checks it shuts down cleanly. */
async function liveHttp(projectDir: string, needsSwitch: boolean): Promise<StepResult> {
  const { execa } = await import('execa');
  const server = execa(process.execPath, ['dist/index.js'], {
    cwd: projectDir,
    env: { PORT: '0', HOST: '127.0.0.1', ...(needsSwitch ? { MCP_TRANSPORT: 'http' } : {}) },
    stdin: 'ignore',
    stdout: 'ignore',
    reject: false,
  });
  let log = '';
  const url = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 15_000);
    server.stderr.on('data', (chunk: Buffer) => {
      log += chunk;
      const line = log.split('\n').find((candidate) => candidate.includes('"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    void server.then(() => resolve(undefined));
  });
  if (!url) {
    server.kill('SIGKILL');
    return { ok: false, problem: 'the server did not start listening within 15 s', output: tail(log) };
  }
  const driven = await driveServer(projectDir, { url });
  server.kill('SIGTERM');
  const exit = await server;
  if (!driven.ok) return driven;
  return exit.exitCode === 0 ? { ok: true } : { ok: false, problem: `the server exited with ${exit.exitCode ?? exit.signal} on SIGTERM`, output: tail(log) };
}

export async function verifyProject(projectDir: string, pm: PackageManager, ui: Ui): Promise<VerifyReport> {
  const commands = commandsFor(pm);
  const hasStdio = existsSync(path.join(projectDir, 'src/transports/stdio.ts'));
  const hasHttp = existsSync(path.join(projectDir, 'src/transports/http.ts'));
  const steps: [string, () => Promise<StepResult>][] = [
    ['install', () => command(commands.install, projectDir, 5 * MINUTE)],
    ['typecheck', () => command([...commands.run.split(' '), 'typecheck'], projectDir, 5 * MINUTE)],
    ['build', () => command([...commands.run.split(' '), 'build'], projectDir, 5 * MINUTE)],
    ['test', () => command(commands.test.split(' '), projectDir, 10 * MINUTE)],
    ...(hasStdio ? [['live sampling over stdio', () => liveStdio(projectDir)] as [string, () => Promise<StepResult>]] : []),
    ...(hasHttp ? [['live sampling over HTTP', () => liveHttp(projectDir, hasStdio)] as [string, () => Promise<StepResult>]] : []),
  ];

  const report: VerifyReport = { ok: true, directory: projectDir, steps: [] };
  for (const [name, step] of steps) {
    const progress = ui.progress(`verify: ${name}`);
    const started = performance.now();
    const result = await step();
    const ms = Math.round(performance.now() - started);
    if (result.ok) {
      progress.succeed(`verify: ${name} (${(ms / 1000).toFixed(1)} s)`);
      report.steps.push({ name, ok: true, ms });
      continue;
    }
    progress.fail(`verify: ${name} failed (${(ms / 1000).toFixed(1)} s)`);
    report.steps.push({ name, ok: false, ms, problem: result.problem, ...(result.output ? { output: result.output } : {}) });
    report.ok = false;
    break;
  }
  return report;
}
