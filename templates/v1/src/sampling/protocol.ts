/**
 * The sampling calls the SDK makes{{#if readsFiles}}, and the request for the client's roots{{/if}}. The Sampler decides what to send and what the outcome means;
 * this module only speaks @modelcontextprotocol/sdk (v1), which sends sampling requests to the
 * client while the tool call waits: the 2025-era protocol, spec revisions up to 2025-11-25.
 */
{{#if readsFiles}}
import { fileURLToPath } from 'node:url';

{{/if}}
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';

import type { CreateMessageRequestParams, McpServer, ToolContext } from '../sdk.js';
import { hostErrorOutcome, type SamplingFailure } from './outcomes.js';

export function clientSupportsSampling(server: McpServer): boolean {
  return server.server.getClientCapabilities()?.sampling !== undefined;
}

/** The tool call's abort signal: the host cancelled the call, or the connection closed. */
export function callSignal(ctx: ToolContext): AbortSignal {
  return ctx.signal;
}

/** The token the host asked progress to be reported with, if it asked for progress at all. */
export function progressTokenOf(ctx: ToolContext): string | number | undefined {
  return ctx._meta?.progressToken;
}

export function sendProgress(ctx: ToolContext, progressToken: string | number, progress: number, message: string): Promise<void> {
  return ctx.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message } });
}

/** The Sampler validates the answer itself, so that it can say what was wrong with it. */
const UNCHECKED_RESULT = z.unknown();

/**
 * Sends the request to the client while the tool call waits, with its own timeout and the call's
 * abort signal (a cancelled call cancels its sampling request), and `stop`, the server's own reason to stop
 * waiting. `relatedRequestId` ties the request to the tool call, so over Streamable HTTP it travels on that
 * call's response stream.
 */
export function pushSamplingRequest(ctx: ToolContext, params: CreateMessageRequestParams, timeoutMs: number, stop?: AbortSignal): Promise<unknown> {
  return ctx.sendRequest({ method: 'sampling/createMessage', params }, UNCHECKED_RESULT, {
    timeout: timeoutMs,
    signal: stop ? AbortSignal.any([ctx.signal, stop]) : ctx.signal,
    relatedRequestId: ctx.requestId,
  });
}

/**
 * Maps a failed push request to an outcome by `McpError` code; the SDK's message texts ("MCP error
 * -32001: Request timed out") are not an interface.
 */
export function classifyPushError(error: unknown, server: McpServer, ctx: ToolContext, timeoutMs: number): SamplingFailure {
  // A closing connection aborts the tool call's signal before it fails the pending request, so the
  // request may fail as aborted: look at the connection itself before taking it for a cancellation. The
  // connection, not the code: hosts answer with v1's "connection closed" code too (VS Code's -32000).
  if (!server.isConnected()) return { kind: 'connection_lost' };
  if (!(error instanceof McpError)) return { kind: 'host_error', code: 'unknown' };
  // An aborted request fails with the same code as a timeout; our own signal tells them apart.
  if (ctx.signal.aborted) return { kind: 'cancelled' };
  if (error.code === ErrorCode.RequestTimeout) return { kind: 'timeout', timeoutMs };
  // v1 prefixes the host's message with "MCP error <code>: ", sometimes twice.
  return hostErrorOutcome(error.code, error.message.replace(/^(MCP error -?\d+: )+/, ''));
}

{{#if readsFiles}}
/** A client that declares roots but does not answer in this long is treated as declaring none. */
const LIST_ROOTS_TIMEOUT_MS = 10_000;

/**
 * The folders the client declares (`roots/list`), as local paths; undefined when it declares no roots
 * capability or fails to answer.
 */
export async function listClientRoots(server: McpServer, ctx: ToolContext): Promise<string[] | undefined> {
  if (server.server.getClientCapabilities()?.roots === undefined) return undefined;
  try {
    const { roots } = await server.server.listRoots(undefined, {
      timeout: LIST_ROOTS_TIMEOUT_MS,
      signal: ctx.signal,
      relatedRequestId: ctx.requestId,
    });
    return roots.flatMap((root) => (root.uri.startsWith('file://') ? [fileURLToPath(root.uri)] : []));
  } catch {
    return undefined;
  }
}
{{/if}}
