/**
 * Connects real SDK clients to the server in memory. The scenarios in the other test files are the
 * same for every SDK; this file is the part that speaks @modelcontextprotocol/sdk (v1).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  CreateMessageRequestSchema,
  McpError,
  type CallToolResult,
  type CreateMessageRequest,
  type CreateMessageResult,
} from '@modelcontextprotocol/sdk/types.js';

import type { Config } from '../src/config.js';
import type { LogRecord } from '../src/log.js';
import type { Era } from '../src/sampling/sampler.js';
import { TokenBudget } from '../src/sampling/tokens.js';
import { createServer } from '../src/server.js';
import { answer, testConfig, TOOL_NAME, toolArguments } from './helpers.js';

export type { CallToolResult, CreateMessageRequest, CreateMessageResult };
export { StreamableHTTPClientTransport as HttpClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
export { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** The protocol eras a connection can speak, as the server sees them: v1 speaks the 2025 era only. */
export const ERAS: Era[] = ['legacy'];

/** The client side of the sampling exchange: a test plays the host's model and its approval dialog. */
export type SamplingHandler = (
  request: CreateMessageRequest,
  extra: { signal?: AbortSignal },
) => Promise<CreateMessageResult | Record<string, unknown>>;

/** The JSON-RPC error a host answers a sampling request with, e.g. -1 for "the user rejected it". */
export function hostError(code: number, message: string): Error {
  return new McpError(code, message);
}

/**
 * A real SDK client; it answers sampling requests with `sampling`, or declares no sampling
 * capability when that is null.
 */
export function createClient(_era: Era, sampling: SamplingHandler | null): Client {
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities: sampling ? { sampling: {} } : {} });
  if (sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => (await sampling(request, { signal: extra.signal })) as CreateMessageResult);
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
 * Connects a real SDK client to a server instance in memory, as the stdio entry would.
 * `sampling: null` makes a client that does not declare the sampling capability.
 */
export async function connect({
  era,
  sampling = async () => answer('A short answer.'),
  config = testConfig(),
}: { era: Era; sampling?: SamplingHandler | null; config?: Config }): Promise<Harness> {
  const logs: LogRecord[] = [];
  const budget = new TokenBudget(config.tokenBudget);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const server = createServer({ era, config, budget, log: (record) => logs.push(record) });
  await server.connect(serverTransport);

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

export function callTool(harness: Harness, args = toolArguments(), options: Parameters<Client['callTool']>[2] = {}) {
  return harness.client.callTool({ name: TOOL_NAME, arguments: args }, undefined, options) as Promise<CallToolResult>;
}
