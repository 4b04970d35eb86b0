/** Connecting to the server: starting it over stdio, or reaching it over HTTP, with a client of the chosen era. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CallToolResult, Client, CreateMessageRequest, CreateMessageResult, Tool } from '@modelcontextprotocol/client';
import { HostUsageError, type HostOptions } from './options.js';
import type { LoadedSdk } from './sdk.js';
import { visible } from './visible.js';

export type { CallToolResult, CreateMessageRequest, CreateMessageResult, Tool };

/** Answers one sampling request, push request (2025) or input_required round (2026) alike. */
export type SamplingHandler = (request: CreateMessageRequest, serverSignal: AbortSignal) => Promise<CreateMessageResult>;

export interface Session {
  client: Client;
  /** What the server wrote to stderr, kept to explain a server that fails to start. */
  serverLog(): string;
  close(): Promise<void>;
}

export const HOST_NAME = 'create-mcp-sampling-server-host';

/** Connects, or throws a HostUsageError / an Error whose message says what to check. */
export async function openSession(sdk: LoadedSdk, options: HostOptions, projectDir: string, handler: SamplingHandler | undefined): Promise<Session> {
  const client = new sdk.client.Client(
    { name: HOST_NAME, version: '1.0.0' },
    {
      capabilities: { ...(handler ? { sampling: {} } : {}), ...(options.roots.length > 0 ? { roots: {} } : {}) },
      versionNegotiation:
        options.era === '2026' ? { mode: options.negotiation === 'auto' ? 'auto' : { pin: '2026-07-28' } } : { mode: 'legacy' },
    },
  );
  if (handler) client.setRequestHandler('sampling/createMessage', (request, extra) => handler(request, extra.mcpReq.signal));
  if (options.roots.length > 0) {
    const roots = options.roots.map((root) => ({ uri: pathToFileURL(root).href, name: path.basename(root) }));
    client.setRequestHandler('roots/list', async () => ({ roots }));
  }

  let log = '';
  let transport;
  if ('url' in options.server) {
    transport = new sdk.client.StreamableHTTPClientTransport(new URL(options.server.url), { requestInit: { headers: options.server.headers } });
  } else {
    const { command, args } = 'command' in options.server ? options.server : projectServer(projectDir);
    const stdio = new sdk.stdio.StdioClientTransport({ command, args, cwd: projectDir, env: process.env as Record<string, string>, stderr: 'pipe' });
    stdio.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    transport = stdio;
  }

  try {
    await client.connect(transport);
  } catch (error) {
    await client.close().catch(() => {});
    // The client's HTTP errors carry the status; older clients only say it in the message.
    const refused = 'url' in options.server && ((error as { status?: unknown }).status === 401 || /\b401\b|Unauthorized/.test(errorText(error)));
    const where =
      'url' in options.server
        ? refused
          ? `at ${options.server.url}: it wants credentials. Give them with --header "Authorization: Bearer <token>".`
          : `at ${options.server.url}. Is it running, and is that its MCP endpoint?`
        : 'it started.';
    const said = log.trim() ? `\nThe server said:\n${visible(log.trim())}` : '';
    throw new Error(`Could not connect to the server ${where} (${visible(errorText(error))})${said}`);
  }
  return { client, serverLog: () => log, close: () => client.close().catch(() => {}) };
}

/** With no command: the project in the current folder, built. */
function projectServer(projectDir: string): { command: string; args: string[] } {
  const entry = path.join(projectDir, 'dist/index.js');
  if (!existsSync(entry)) {
    throw new HostUsageError(
      `No server command was given, and ${entry} does not exist. Build the project first (npm run build), ` +
        'give the command that starts the server after --, or connect to a running one with --url.',
    );
  }
  return { command: process.execPath, args: [entry] };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error a sampling handler throws to answer the server with a JSON-RPC error. */
export function samplingError(sdk: LoadedSdk, reason: 'rejected' | 'invalid_request' | 'model_failed', message: string): Error {
  const { ProtocolError, ProtocolErrorCode } = sdk.client;
  // -1 is the spec's example code for a user's rejection (2025-11-25, client/sampling).
  const code = { rejected: -1, invalid_request: ProtocolErrorCode.InvalidParams, model_failed: ProtocolErrorCode.InternalError }[reason];
  return new ProtocolError(code, message);
}

export const USER_REJECTED_CODE = -1;

/** Whether a failed call is the host's own rejection, which a 2026-07-28 host reports by not retrying. */
export function isOwnRejection(sdk: LoadedSdk, error: unknown): boolean {
  return error instanceof sdk.client.ProtocolError && error.code === USER_REJECTED_CODE;
}

/** One sentence for a failed call; SDK messages are not written for people. */
export function describeCallError(sdk: LoadedSdk, error: unknown, timeoutMs: number): string {
  const { ProtocolError, SdkError, SdkErrorCode } = sdk.client;
  if (isOwnRejection(sdk, error)) {
    return 'You rejected the request. A 2026-07-28 host simply does not call the tool again, so the server is never told.';
  }
  if (error instanceof ProtocolError) return `The call failed: ${visible(error.message)}`;
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.ConnectionClosed:
      case SdkErrorCode.NotConnected:
        return 'The connection to the server closed during the call.';
      case SdkErrorCode.RequestTimeout:
        return `No result within ${timeoutMs / 1000} seconds; the call was abandoned (--timeout sets the limit).`;
      default:
        return `The call failed (${visible(String(error.code))}).`;
    }
  }
  return `The call failed: ${visible(errorText(error))}`;
}
