/**
 * The terminal host's side of the MCP SDK: @modelcontextprotocol/sdk (v1), which speaks the 2025
 * protocol era. index.ts and approval.ts use the SDK only through this file.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
  type CreateMessageRequest,
  type CreateMessageResult,
} from '@modelcontextprotocol/sdk/types.js';

import { USER_REJECTED_CODE } from '../sampling/outcomes.js';

export { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
export { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
export type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
export type { CallToolResult, CreateMessageRequest, CreateMessageResult, Tool } from '@modelcontextprotocol/sdk/types.js';
export type { Client };

/** The protocol eras the host can speak: v1 speaks the 2025 era (push requests) only. */
export const HOST_ERAS = ['2025'] as const;
export type HostEra = (typeof HOST_ERAS)[number];

export type SamplingHandler = (request: CreateMessageRequest, serverSignal: AbortSignal) => Promise<CreateMessageResult>;

/** A client that declares sampling and answers every sampling request with `handle`. */
export function createHostClient(_era: HostEra, handle: SamplingHandler): Client {
  const client = new Client({ name: 'terminal-host', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => handle(request, extra.signal));
  return client;
}

/** Calls a tool with options such as a timeout that progress resets. */
export function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options: Parameters<Client['callTool']>[2],
): Promise<CallToolResult> {
  return client.callTool({ name, arguments: args }, undefined, options) as Promise<CallToolResult>;
}

/** v1 does not expose the negotiated protocol version; it is a 2025-era revision. */
export function negotiatedProtocol(_client: Client): string | undefined {
  return undefined;
}

/** The error a sampling handler throws to answer the server with a JSON-RPC error. */
export function samplingError(reason: 'rejected' | 'invalid_request' | 'model_failed', message: string): Error {
  const code = { rejected: USER_REJECTED_CODE, invalid_request: ErrorCode.InvalidParams, model_failed: ErrorCode.InternalError }[reason];
  return new McpError(code, message);
}

/** Turns a failed call into one sentence; SDK messages ("MCP error -32001: ...") are not written for users. */
export function describeCallError(error: unknown, _era: HostEra, timeoutMs: number): string {
  if (error instanceof McpError) {
    switch (error.code) {
      case ErrorCode.ConnectionClosed:
        return 'The connection to the server closed during the call.';
      case ErrorCode.RequestTimeout:
        return `No result within ${timeoutMs / 60_000} minutes; the call was abandoned.`;
      default:
        return `The call failed (error code ${error.code}).`;
    }
  }
  return `The call failed: ${error instanceof Error ? error.message : String(error)}`;
}
