/**
 * What the tests share: a real MCP client (the SDK's own, as hosts use it) connected to the server in
 * memory, settings for tests, the generated tool's arguments, and helpers to read results.
 */
{{#if readsFiles}}
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
{{/if}}
import { pathToFileURL } from 'node:url';

import { Client, InMemoryTransport, ProtocolError } from '@modelcontextprotocol/client';
import type { CallToolResult, CreateMessageRequest, CreateMessageResult } from '@modelcontextprotocol/client';
{{#if bothEras}}
import { serveStdio } from '@modelcontextprotocol/server/stdio';
{{/if}}

import { ConfigError, loadConfig, type Config, type Env } from '../src/config.js';
import type { LogRecord } from '../src/log.js';
import { sessionBudgets, type TokenBudget } from '../src/sampling/tokens.js';
import { createServer } from '../src/server.js';
import { TOOL_NAME } from '../src/tools/{{toolModule}}.js';

export type { CallToolResult, CreateMessageRequest, CreateMessageResult };
export { StreamableHTTPClientTransport as HttpClientTransport } from '@modelcontextprotocol/client';
export { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
export { TOOL_NAME };

/** The protocol era a test client speaks: 2025-era (`legacy`) or 2026-07-28 (`modern`). */
export type Era = 'legacy' | 'modern';
{{#if http}}
{{> test-auth}}
{{> test-store}}
{{/if}}
{{#if bothEras}}
export const ERAS: Era[] = ['legacy', 'modern'];
{{else}}
/** This server's SDK (v1) speaks the 2025 era only. */
export const ERAS: Era[] = ['legacy'];
{{/if}}

/** The client side of the sampling exchange: a test plays the host's model and its approval dialog. */
export type SamplingHandler = (
  request: CreateMessageRequest,
  extra: { signal?: AbortSignal },
) => Promise<CreateMessageResult | Record<string, unknown>>;

/** The JSON-RPC error a host answers a sampling request with, e.g. -1 for "the user rejected it". */
export function hostError(code: number, message: string): Error {
  return new ProtocolError(code, message);
}

/**
 * A real SDK client speaking `era`; it answers sampling requests with `sampling`, or declares no
 * sampling capability when that is null. With `roots` it declares those folders as its roots.
 */
export function createClient(era: Era, sampling: SamplingHandler | null, roots?: string[]): Client {
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    {
      capabilities: { ...(sampling ? { sampling: {} } : {}), ...(roots ? { roots: {} } : {}) },
      ...(era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  if (sampling) {
    client.setRequestHandler('sampling/createMessage', async (request, extra) => (await sampling(request, { signal: extra.mcpReq.signal })) as CreateMessageResult);
  }
  if (roots) {
    client.setRequestHandler('roots/list', async () => ({ roots: roots.map((root) => ({ uri: pathToFileURL(root).href })) }));
  }
  return client;
}

export interface Harness {
  client: Client;
  /** Every structured log line the server wrote. */
  logs: LogRecord[];
  samplingLogs: () => LogRecord[];
  budget: TokenBudget;
  /** How many sampling requests reached the client. */
  samplingRequests: () => number;
  close: () => Promise<void>;
}

/**
{{#if bothEras}}
 * Connects a real SDK client to the server in memory, through the same `serveStdio` entry the binary
 * uses, so both eras are negotiated exactly as over a pipe. `sampling: null` makes a client that does
 * not declare the sampling capability.
{{else}}
 * Connects a real SDK client to a server instance in memory, as the stdio entry would. `sampling: null`
 * makes a client that does not declare the sampling capability.
{{/if}}
 */
export async function connect({
  era,
  sampling = async () => answer('A short answer.'),
  config = testConfig(),
  roots,
}: { era: Era; sampling?: SamplingHandler | null; config?: Config; roots?: string[] }): Promise<Harness> {
  const logs: LogRecord[] = [];
  const log = (record: LogRecord) => logs.push(record);
  const budget = sessionBudgets(config)();
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
{{#if bothEras}}
  const server = serveStdio((ctx) => createServer({ era: ctx.era, config, budget, log }), { transport: serverTransport });
{{else}}
  const server = createServer({ config, budget, log });
  await server.connect(serverTransport);
{{/if}}

  let requests = 0;
  const client = createClient(
    era,
    sampling &&
      ((request, extra) => {
        requests += 1;
        return sampling(request, extra);
      }),
    roots,
  );
  await client.connect(clientTransport);

  return {
    client,
    logs,
    samplingLogs: () => logs.filter((record) => record.event === 'sampling'),
    budget,
    samplingRequests: () => requests,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export function callTool(harness: Harness, name: string, args: Record<string, unknown>, options: Parameters<Client['callTool']>[1] = {}) {
  return harness.client.callTool({ name, arguments: args }, options) as Promise<CallToolResult>;
}

export const answer = (text: string, overrides: Partial<CreateMessageResult> = {}): CreateMessageResult => ({
  model: 'test-model',
  role: 'assistant',
  content: { type: 'text', text },
  stopReason: 'endTurn',
  ...overrides,
});

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Generated defaults, with timings shortened so the suite runs in seconds. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    approvalTimeoutMs: 1_000,
    heartbeatIntervalMs: 20,
{{#if readsFiles}}
    allowedRoots: [fixtureRoot()],
{{/if}}
    ...overrides,
  };
}

/** Every problem loadConfig finds in `env`, one per line; empty when it finds none. */
export function configProblems(env: Env): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
}

/** Valid arguments for the generated tool. */
export function toolArguments(): Record<string, unknown> {
{{#if (eq tool "ask")}}
  return { prompt: 'Say hello.' };
{{/if}}
{{#if (eq tool "summarize")}}
  return { text: 'The quarterly report shows revenue up 4% and costs flat.' };
{{/if}}
{{#if (eq tool "code-patterns")}}
  return { path: fixtureRoot() };
{{/if}}
}

/** Arguments whose prompt is larger than `maxInputBytes`. */
export function oversizedArguments(maxInputBytes: number): Record<string, unknown> {
{{#if (eq tool "ask")}}
  return { prompt: 'x'.repeat(maxInputBytes + 1) };
{{/if}}
{{#if (eq tool "summarize")}}
  return { text: 'x'.repeat(maxInputBytes + 1) };
{{/if}}
{{#if (eq tool "code-patterns")}}
  void maxInputBytes; // every fixture file is larger than the tiny caps the tests use
  return { path: fixtureRoot() };
{{/if}}
}

export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

export function samplingMeta(result: CallToolResult): Record<string, unknown> {
  return (result._meta?.sampling ?? {}) as Record<string, unknown>;
}
{{#if readsFiles}}

let root: string | undefined;

/** A directory inside the allowed roots, holding a few small source files. */
export function fixtureRoot(): string {
  if (root) return root;
  root = mkdtempSync(path.join(tmpdir(), 'sampling-fixture-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'notes.txt'), 'Meeting notes: ship the beta on Friday; Alex owns the release checklist.\n');
  writeFileSync(
    path.join(root, 'src', 'store.ts'),
    'export class Store<T> {\n  private items = new Map<string, T>();\n  get(id: string) {\n    return this.items.get(id);\n  }\n}\n',
  );
  writeFileSync(
    path.join(root, 'src', 'retry.ts'),
    'export async function retry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {\n  try {\n    return await fn();\n  } catch (error) {\n    if (attempts <= 1) throw error;\n    return retry(fn, attempts - 1);\n  }\n}\n',
  );
  return root;
}
{{/if}}
