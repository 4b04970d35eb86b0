/**
 * The terminal host's side of the MCP SDK: @modelcontextprotocol/client, which speaks both protocol
 * eras. index.ts and approval.ts use the SDK only through this file.
 */
import {
  Client,
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  type CallToolResult,
  type CreateMessageRequest,
  type CreateMessageResult,
} from '@modelcontextprotocol/client';

import { USER_REJECTED_CODE } from '../sampling/outcomes.js';

export { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
export type { CallToolResult, CreateMessageRequest, CreateMessageResult, Tool, Transport } from '@modelcontextprotocol/client';
export { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
export type { Client };

/** The protocol eras the host can speak: 2025 (push requests) and 2026 (2026-07-28, input_required rounds). */
export const HOST_ERAS = ['2025', '2026'] as const;
export type HostEra = (typeof HOST_ERAS)[number];

export type SamplingHandler = (request: CreateMessageRequest, serverSignal: AbortSignal) => Promise<CreateMessageResult>;

/** A client that declares sampling and answers every sampling request with `handle`, push request or round alike. */
export function createHostClient(era: HostEra, handle: SamplingHandler): Client {
  const client = new Client(
    { name: 'terminal-host', version: '1.0.0' },
    { capabilities: { sampling: {} }, ...(era === '2026' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) },
  );
  client.setRequestHandler('sampling/createMessage', (request, extra) => handle(request, extra.mcpReq.signal));
  return client;
}

/** Calls a tool with options such as a timeout that progress resets. */
export function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options: Parameters<Client['callTool']>[1],
): Promise<CallToolResult> {
  return client.callTool({ name, arguments: args }, options) as Promise<CallToolResult>;
}

export function negotiatedProtocol(client: Client): string | undefined {
  return client.getNegotiatedProtocolVersion();
}

/** The error a sampling handler throws to answer the server with a JSON-RPC error. */
export function samplingError(reason: 'rejected' | 'invalid_request' | 'model_failed', message: string): Error {
  const code = { rejected: USER_REJECTED_CODE, invalid_request: ProtocolErrorCode.InvalidParams, model_failed: ProtocolErrorCode.InternalError }[reason];
  return new ProtocolError(code, message);
}

/** Turns a failed call into one sentence; SDK messages are not written for users. */
export function describeCallError(error: unknown, era: HostEra, timeoutMs: number): string {
  if (error instanceof ProtocolError && error.code === USER_REJECTED_CODE && era === '2026') {
    return 'You rejected the request. A 2026-07-28 host simply does not call the tool again, so the server is never told.';
  }
  if (error instanceof ProtocolError && error.code !== USER_REJECTED_CODE) return `The call failed: ${error.message}`;
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.ConnectionClosed:
      case SdkErrorCode.NotConnected:
        return 'The connection to the server closed during the call.';
      case SdkErrorCode.RequestTimeout:
        return `No result within ${timeoutMs / 60_000} minutes; the call was abandoned.`;
      default:
        return `The call failed (${error.code}).`;
    }
  }
  return `The call failed: ${error instanceof Error ? error.message : String(error)}`;
}
