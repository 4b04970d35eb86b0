#!/usr/bin/env node
/**
 * A terminal MCP host for trying this server without a sampling-capable application: it starts the
 * server (or connects to one over HTTP), calls a tool, and shows every sampling request for you to
 * approve, edit or reject before anything is sent. See the README, "Try it without a sampling host".
 */
{{#if (eq transport "http")}}
import { spawn, type ChildProcess } from 'node:child_process';
{{/if}}
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { EnvReader } from '../config.js';
import { PROVIDER_LABELS, type ProviderKind } from '../providers/provider.js';
import { providerSettings } from '../providers/settings.js';
import { createSamplingHandler, describeAnswerer, type Answerer } from './approval.js';
import {
  callTool,
  createHostClient,
  describeCallError,
  HOST_ERAS,
  negotiatedProtocol,
{{#if stdio}}
  StdioClientTransport,
{{/if}}
  StreamableHTTPClientTransport,
  type CallToolResult,
  type HostEra,
  type Tool,
  type Transport,
} from './client.js';
import { Interrupted, Terminal } from './terminal.js';

const USAGE = `Usage: npm run host -- [options] [tool] [arguments as JSON]

Starts this server, calls one of its tools and shows every sampling request the tool makes, for you
to approve, edit or reject. Without a tool or arguments it asks for them.

Options:
{{#if bothEras}}
  --era 2025|2026      protocol era the host speaks (default 2025: push requests; 2026: input_required rounds)
{{else}}
  --era 2025           protocol era the host speaks: 2025 (push requests), the only one this SDK (v1) speaks
{{/if}}
  --answer WHO         who answers approved requests: auto (default), openai, anthropic or type
                       auto uses OPENAI_BASE_URL/OPENAI_API_KEY + OPENAI_MODEL, else ANTHROPIC_API_KEY +
                       ANTHROPIC_MODEL, else asks you to type the answer
  --url URL            connect to a server already running over HTTP instead of starting one
  --help               show this text

Examples:
  npm run host                                   asks for everything, speaks the 2025 era
{{#if bothEras}}
  npm run host -- --era 2026 --answer type       2026-07-28 era; you type the model's answer`;
{{else}}
  npm run host -- --answer type                  you type the model's answer`;
{{/if}}

/** Server entry next to this file once built: dist/host/index.js -> dist/index.js. */
const SERVER_ENTRY = fileURLToPath(new URL('../index.js', import.meta.url));
/** Long enough for a person to read and decide; server heartbeats extend it on 2025 connections. */
const CALL_TIMEOUT_MS = 10 * 60_000;

class UsageError extends Error {}

interface Options {
  era: HostEra;
  answer: 'auto' | 'openai' | 'anthropic' | 'type';
  url: string | undefined;
  tool: string | undefined;
  arguments: Record<string, unknown> | undefined;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      era: { type: 'string', default: '2025' },
      answer: { type: 'string', default: 'auto' },
      url: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const era = HOST_ERAS.find((choice) => choice === values.era);
  if (!era) throw new UsageError(`--era must be ${HOST_ERAS.join(' or ')} (got ${JSON.stringify(values.era)})`);
  const answers = ['auto', 'openai', 'anthropic', 'type'] as const;
  const answer = answers.find((choice) => choice === values.answer);
  if (!answer) throw new UsageError(`--answer must be one of ${answers.join(', ')} (got ${JSON.stringify(values.answer)})`);
  if (values.url !== undefined && !URL.canParse(values.url)) throw new UsageError(`--url must be a URL (got ${JSON.stringify(values.url)})`);
  if (positionals.length > 2) throw new UsageError('Give at most a tool name and its arguments as one JSON object (quote it).');
  const [tool, json] = positionals;
  return { era, answer, url: values.url, tool, arguments: json === undefined ? undefined : parseArguments(json) };
}

function parseArguments(json: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new UsageError(`The tool arguments must be one JSON object, e.g. '{"prompt":"Say hello"}' (got ${json})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('The tool arguments must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** The provider settings come from the same variables, with the same checks, as the server's own. */
function chooseAnswerer(answer: Options['answer']): Answerer {
  if (answer === 'type') return { kind: 'typed' };
  const problems: string[] = [];
  const read = new EnvReader(process.env, problems);
  const kinds: ProviderKind[] = answer === 'openai' ? ['openai-compatible'] : answer === 'anthropic' ? ['anthropic'] : ['openai-compatible', 'anthropic'];
  for (const kind of kinds) {
    const settings = providerSettings(kind, read);
    if (problems.length > 0) throw new UsageError(`Invalid ${PROVIDER_LABELS[kind]} settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    if (settings) return { kind: 'provider', settings };
  }
  if (answer === 'auto') return { kind: 'typed' };
  throw new UsageError(
    answer === 'openai'
      ? '--answer openai needs OPENAI_MODEL and OPENAI_BASE_URL (a local model server) and/or OPENAI_API_KEY.'
      : '--answer anthropic needs ANTHROPIC_API_KEY and ANTHROPIC_MODEL.',
  );
}

interface Connection {
  transport: Transport;
  /** The server's stderr (its log), kept to explain a server that fails to start. */
  serverLog: () => string;
  stop: () => void;
}

{{#if stdio}}
function startServerOverStdio(): Connection {
  let log = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SERVER_ENTRY],
    // The server reads its settings from the environment, so pass this one on.
    env: { ...(process.env as Record<string, string>){{#if (eq transport "both")}}, MCP_TRANSPORT: 'stdio'{{/if}} },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return { transport, serverLog: () => log, stop: () => {} };
}
{{/if}}
{{#if (eq transport "http")}}
/** Starts the server on a free loopback port and waits for the URL it logs. */
async function startServerOverHttp(): Promise<Connection> {
  let log = '';
  const child: ChildProcess = spawn(process.execPath, [SERVER_ENTRY], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const listening = /"event":"listening","url":"([^"]+)"/.exec(log);
      if (listening?.[1]) resolve(listening[1]);
    });
    child.once('exit', (code) => reject(new Error(`The server exited (code ${code}) before listening.\n${log}`)));
  });
  return { transport: new StreamableHTTPClientTransport(new URL(url)), serverLog: () => log, stop: () => child.kill() };
}
{{/if}}

async function chooseTool(terminal: Terminal, tools: Tool[], wanted: string | undefined): Promise<Tool> {
  if (wanted !== undefined) {
    const tool = tools.find((candidate) => candidate.name === wanted);
    if (!tool) throw new UsageError(`The server has no tool ${JSON.stringify(wanted)}; it has ${tools.map((t) => t.name).join(', ')}.`);
    return tool;
  }
  if (tools.length === 1) return tools[0]!;
  for (;;) {
    const name = await terminal.ask('Tool to call: ');
    const tool = tools.find((candidate) => candidate.name === name);
    if (tool) return tool;
    terminal.print(`No tool named ${JSON.stringify(name)}.`);
  }
}

/** Asks for each argument the tool's input schema declares; strings as typed, anything else as JSON. */
async function askArguments(terminal: Terminal, tool: Tool): Promise<Record<string, unknown>> {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string; description?: string }>;
  const required = new Set(tool.inputSchema.required ?? []);
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const hint = [schema.description, required.has(name) ? undefined : 'optional, Enter skips'].filter(Boolean).join('; ');
    for (;;) {
      const reply = await terminal.ask(`${name}${hint ? ` (${hint})` : ''}: `);
      if (reply === '' && !required.has(name)) break;
      if (reply === '') continue;
      if (schema.type === 'string') {
        args[name] = reply;
        break;
      }
      try {
        args[name] = JSON.parse(reply);
        break;
      } catch {
        terminal.print(`${name} takes a ${schema.type ?? 'JSON'} value, written as JSON.`);
      }
    }
  }
  return args;
}

function printResult(terminal: Terminal, result: CallToolResult): void {
  terminal.print();
  terminal.print(result.isError ? '── The tool returned an error ──' : '── Tool result ──');
  for (const block of result.content) terminal.print(block.type === 'text' ? block.text : `[${block.type} content]`);
  const meta = result._meta?.sampling as Record<string, unknown> | undefined;
  if (meta) {
    const parts = Object.entries(meta)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => `${key}=${String(value)}`);
    terminal.print(`(${parts.join(' ')})`);
  }
}

async function main(): Promise<number> {
  let options: Options | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let answerer: Answerer;
  try {
    answerer = chooseAnswerer(options.answer);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }

  const terminal = new Terminal();
  let connection: Connection | undefined;
  const client = createHostClient(options.era, createSamplingHandler(terminal, answerer));

  try {
    if (options.url !== undefined) {
      connection = { transport: new StreamableHTTPClientTransport(new URL(options.url)), serverLog: () => '', stop: () => {} };
    } else {
{{#if stdio}}
      connection = startServerOverStdio();
{{else}}
      connection = await startServerOverHttp();
{{/if}}
    }
    try {
      await client.connect(connection.transport);
    } catch {
      terminal.print(
        options.url === undefined
          ? 'Could not connect to the server. Did you run `npm run build`?'
          : `Could not connect to the server at ${options.url}. Is it running, and is that its MCP endpoint?`,
      );
      const log = connection.serverLog().trim();
      if (log) terminal.print(`The server said:\n${log}`);
      return 1;
    }

    terminal.print(`Connected (protocol ${negotiatedProtocol(client) ?? `${options.era} era`}). Sampling requests are answered by ${describeAnswerer(answerer)}.`);
    const { tools } = await client.listTools();
    terminal.print(`Tools: ${tools.map((tool) => tool.name).join(', ')}`);
    const tool = await chooseTool(terminal, tools, options.tool);
    const args = options.arguments ?? (await askArguments(terminal, tool));

    terminal.print(`Calling ${tool.name} ${JSON.stringify(args)}`);
    const result = await callTool(client, tool.name, args, {
      signal: terminal.signal,
      timeout: CALL_TIMEOUT_MS,
      resetTimeoutOnProgress: true,
      onprogress: () => {},
    });
    printResult(terminal, result);
    return result.isError ? 1 : 0;
  } catch (error) {
    if (terminal.interrupted || error instanceof Interrupted) {
      terminal.print('\nCancelled: the tool call was cancelled and nothing more will be sent.');
      return 130;
    }
    if (error instanceof UsageError) {
      terminal.print(error.message);
      return 2;
    }
    terminal.print(describeCallError(error, options.era, CALL_TIMEOUT_MS));
    return 1;
  } finally {
    terminal.close();
    await client.close().catch(() => {});
    connection?.stop();
  }
}

process.exit(await main());
