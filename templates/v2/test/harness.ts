/**
 * Connects real SDK clients to the server in memory. The scenarios in the other test files are the
 * same for every SDK; this file is the part that speaks @modelcontextprotocol/server and /client.
 */
import { Client, ProtocolError } from '@modelcontextprotocol/client';
import type { CallToolResult, CreateMessageRequest, CreateMessageResult } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

import type { Config } from '../src/config.js';
import type { LogRecord } from '../src/log.js';
import type { Era } from '../src/sampling/sampler.js';
import { TokenBudget } from '../src/sampling/tokens.js';
import { createServer } from '../src/server.js';
import { answer, testConfig, TOOL_NAME, toolArguments } from './helpers.js';

export type { CallToolResult, CreateMessageRequest, CreateMessageResult };
export { StreamableHTTPClientTransport as HttpClientTransport } from '@modelcontextprotocol/client';
export { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** The protocol eras a connection can speak, as the server sees them. */
export const ERAS: Era[] = ['legacy', 'modern'];

/** The client side of the sampling exchange: a test plays the host's model and its approval dialog. */
export type SamplingHandler = (
  request: CreateMessageRequest,
  extra: { signal?: AbortSignal },
) => Promise<CreateMessageResult | Record<string, unknown>>;

/** The JSON-RPC error a host answers a sampling request with, e.g. -1 for "the user rejected it". */
export function hostError(code: number, message: string): Error {
  return new ProtocolError(code, message);
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
 * A real SDK client speaking `era`; it answers sampling requests with `sampling`, or declares no
 * sampling capability when that is null.
 */
export function createClient(era: Era, sampling: SamplingHandler | null): Client {
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    {
      capabilities: sampling ? { sampling: {} } : {},
      ...(era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  if (sampling) {
    client.setRequestHandler('sampling/createMessage', async (request, extra) => (await sampling(request, { signal: extra.mcpReq.signal })) as CreateMessageResult);
  }
  return client;
}

/**
 * Connects a real SDK client to the server in memory, through the same `serveStdio` entry the
 * binary uses, so both eras are negotiated exactly as over a pipe. `sampling: null` makes a client
 * that does not declare the sampling capability.
 */
export async function connect({
  era,
  sampling = async () => answer('A short answer.'),
  config = testConfig(),
}: { era: Era; sampling?: SamplingHandler | null; config?: Config }): Promise<Harness> {
  const logs: LogRecord[] = [];
  const budget = new TokenBudget(config.tokenBudget);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const server = serveStdio((ctx) => createServer({ era: ctx.era, config, budget, log: (record) => logs.push(record) }), {
    transport: serverTransport,
  });

  let requests = 0;
  const client = createClient(
    era,
    sampling &&
      ((request, extra) => {
        requests += 1;
        return sampling(request, extra);
      }),
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

export function callTool(harness: Harness, args = toolArguments(), options: Parameters<Client['callTool']>[1] = {}) {
  return harness.client.callTool({ name: TOOL_NAME, arguments: args }, options) as Promise<CallToolResult>;
}
