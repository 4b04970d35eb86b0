/**
 * `verify`: proves a generated project works. Install, type-check, build and its own tests, then the
 * built server is started and driven by the scripted `host` command over every transport it has, in every protocol
 * era its SDK speaks (v2: 2025 and 2026-07-28; v1: 2025), approving, rejecting and lacking sampling.
 * Steps run in order; the first failure stops the run.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScriptedReport } from '../host/scripted.js';
import { generatorBin } from '../paths.js';
import type { Ui } from '../report/ui.js';
import { tail } from '../setup/install.js';
import { commandsFor, howToInstall, PACKAGE_MANAGERS, type PackageManager } from '../setup/package-manager.js';
import { RECORD_FILE } from '../template-source/record.js';
import { scenarioProblem, type ScenarioReport } from './expectations.js';
import { startLocalIssuer } from './issuer.js';
import { startLocalRedis } from './redis.js';

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
  if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    const pm = PACKAGE_MANAGERS.find((name) => name === file);
    return { ok: false, problem: `${file} is not installed (not found on PATH).${pm ? ` To get it, ${howToInstall(pm)}, or verify with another --pm.` : ''}` };
  }
  const why = result.timedOut ? `timed out after ${timeout / MINUTE} min` : `exited with code ${result.exitCode ?? result.signal}`;
  return { ok: false, problem: `${argv.join(' ')} ${why}`, output: tail(result.all ?? '') };
}

type Sdk = 'v1' | 'v2';

/** The SDK line a project is built on, from its dependencies: v1 is `@modelcontextprotocol/sdk`. */
function projectSdk(projectDir: string): Sdk {
  const pkg = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return pkg.dependencies?.['@modelcontextprotocol/sdk'] !== undefined && pkg.dependencies['@modelcontextprotocol/server'] === undefined ? 'v1' : 'v2';
}

/** The protocol eras a project's SDK serves: v1 implements the spec up to 2025-11-25. */
const ERAS: Record<Sdk, readonly ('2025' | '2026')[]> = { v2: ['2025', '2026'], v1: ['2025'] };
const BEHAVIOURS = {
  approve: ['--approve-with', 'ready'],
  reject: ['--reject'],
  'no-sampling': ['--no-sampling'],
} as const satisfies Record<ScenarioReport['behaviour'], readonly string[]>;

/** Arguments for the built-in tools, recognised by their input schema. */
function argumentsFor(tool: { name: string; inputSchema?: { properties?: Record<string, unknown> } }): Record<string, unknown> | undefined {
  const properties = Object.keys(tool.inputSchema?.properties ?? {});
  if (properties.includes('prompt')) return { prompt: 'Reply with the single word: ready.' };
  if (properties.includes('text')) return { text: 'Sampling lets an MCP server use the host model. The host pays.' };
  if (properties.includes('path')) return { path: 'src' };
  return undefined;
}

/**
 * Runs `create-mcp-sampling-server host` in its scripted mode, from the project folder, so that it speaks
 * the project's own installed MCP client and starts the project's server (`node dist/index.js`) by default.
 */
function host(projectDir: string, args: readonly string[]) {
  // 2025-era servers read inside the roots the host declares (the project); 2026-07-28 ones need ALLOWED_ROOTS.
  return run(process.execPath, [generatorBin, 'host', ...args], projectDir, MINUTE, { ALLOWED_ROOTS: projectDir });
}

/** Drives one server with the scripted host: approve, reject and no sampling, in every era its SDK speaks. */
async function driveServer(projectDir: string, server: readonly string[]): Promise<StepResult> {
  const sdk = projectSdk(projectDir);
  const listed = await host(projectDir, ['--list-tools', ...server]);
  if (listed.exitCode !== 0) return { ok: false, problem: 'the host could not list the server\'s tools', output: tail(listed.all ?? '') };
  const [tool] = JSON.parse(listed.stdout) as { name: string; inputSchema?: { properties?: Record<string, unknown> } }[];
  const args = tool && argumentsFor(tool);
  if (!tool || !args) return { ok: false, problem: `verify knows the generated tools only; the server lists ${listed.stdout}` };

  const problems: string[] = [];
  for (const era of ERAS[sdk]) {
    for (const [behaviour, decision] of Object.entries(BEHAVIOURS) as [ScenarioReport['behaviour'], readonly string[]][]) {
      const result = await host(projectDir, ['--era', era, ...decision, tool.name, JSON.stringify(args), ...server]);
      // 0: the tool succeeded; 1: it answered with an error or the call failed, which the report describes.
      const line = result.exitCode === 0 || result.exitCode === 1 ? result.stdout.trim().split('\n').at(-1) : undefined;
      if (!line) {
        problems.push(`${era} host, ${behaviour}: the host exited with ${result.exitCode ?? result.signal}\n${tail(result.all ?? '')}`);
        continue;
      }
      const hosted = JSON.parse(line) as ScriptedReport;
      const report: ScenarioReport = {
        era: era === '2026' ? '2026-07-28' : '2025-11-25',
        behaviour,
        tool: hosted.tool,
        sampled: hosted.sampled,
        ...(hosted.result
          ? {
              isError: hosted.result.isError === true,
              outcome: (hosted.result._meta?.sampling as { outcome?: string } | undefined)?.outcome,
              text: hosted.result.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
            }
          : {}),
        ...(hosted.clientError === undefined ? {} : { clientError: hosted.clientError }),
      };
      const problem = scenarioProblem(report);
      if (problem) problems.push(`${report.era} host, ${behaviour}: ${problem}`);
    }
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problem: problems.join('\n') };
}

async function liveStdio(projectDir: string): Promise<StepResult> {
  return driveServer(projectDir, []);
}

/** How the project's HTTP callers authenticate (--auth) and where its budgets live (--store), as its record says. */
function answersOf(projectDir: string): { auth: unknown; store: unknown } {
  try {
    const record = JSON.parse(readFileSync(path.join(projectDir, RECORD_FILE), 'utf8')) as { answers?: { auth?: unknown; store?: unknown } };
    return { auth: record.answers?.auth, store: record.answers?.store };
  } catch {
    return { auth: undefined, store: undefined };
  }
}

/** Whether a request without credentials is turned away with 401, as it must be where callers authenticate. */
async function refusesAnonymous(url: string): Promise<boolean> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  await response.body?.cancel();
  return response.status === 401;
}

/** The URL an OAuth project is told it serves at (MCP_PUBLIC_URL), and its tokens name, wherever it listens. */
const OAUTH_RESOURCE = 'http://verify.invalid/mcp';

/** The server's settings and the token the host presents, with what was started for them. */
export interface ServerSettings {
  env: Record<string, string>;
  token?: string;
  close(): void;
}

/**
 * What the server needs for this run, from the project's record: a throwaway caller (a token in AUTH_TOKENS, or
 * an access token from a local authorization server it is told to trust), and a local Redis for its budgets.
 */
export async function serverSettingsFor(projectDir: string): Promise<ServerSettings> {
  const { auth, store } = answersOf(projectDir);
  const started: { close(): void }[] = [];
  const settings: ServerSettings = { env: {}, close: () => started.forEach((service) => service.close()) };
  try {
    if (auth === 'token') {
      settings.token = randomBytes(32).toString('hex');
      settings.env.AUTH_TOKENS = `verify:${settings.token}`;
    }
    if (auth === 'oauth') {
      const issuer = await startLocalIssuer(projectDir, OAUTH_RESOURCE);
      started.push(issuer);
      Object.assign(settings.env, { OAUTH_ISSUER: issuer.issuer, MCP_PUBLIC_URL: OAUTH_RESOURCE });
      settings.token = issuer.token;
    }
    if (store === 'redis') {
      const redis = await startLocalRedis();
      started.push(redis);
      Object.assign(settings.env, { REDIS_URL: redis.url, REQUEST_STATE_SECRET: randomBytes(32).toString('hex') });
    }
  } catch (error) {
    settings.close();
    throw error;
  }
  return settings;
}

/**
 * Starts the built server on a free 127.0.0.1 port, drives it, then checks it shuts down cleanly. A server
 * that authenticates its callers gets a throwaway one for this run, and must refuse a request without one.
 */
async function liveHttp(projectDir: string, needsSwitch: boolean): Promise<StepResult> {
  let settings: ServerSettings;
  try {
    settings = await serverSettingsFor(projectDir);
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  try {
    return await serveAndDrive(projectDir, needsSwitch, settings);
  } finally {
    settings.close();
  }
}

async function serveAndDrive(projectDir: string, needsSwitch: boolean, { env, token }: ServerSettings): Promise<StepResult> {
  const { execa } = await import('execa');
  const server = execa(process.execPath, ['dist/index.js'], {
    cwd: projectDir,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      ALLOWED_ROOTS: projectDir,
      // A declined 2026-07-28 call is never retried, and draining waits for it: the clean exit is what is checked here.
      SHUTDOWN_GRACE_SECONDS: '1',
      ...(needsSwitch ? { MCP_TRANSPORT: 'http' } : {}),
      ...env,
    },
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
  if (token !== undefined && !(await refusesAnonymous(url))) {
    server.kill('SIGKILL');
    return { ok: false, problem: 'the server answered a request without credentials: it must refuse it with 401', output: tail(log) };
  }
  const driven = await driveServer(projectDir, ['--url', url, ...(token === undefined ? [] : ['--header', `Authorization: Bearer ${token}`])]);
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
