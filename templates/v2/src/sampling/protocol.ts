/**
 * The sampling calls the SDK makes, for both protocol eras{{#if readsFiles}}, and the request for the client's roots{{/if}}. The
 * Sampler decides what to send and what the outcome means; this module only speaks @modelcontextprotocol/server.
 */
{{#if readsFiles}}
import { fileURLToPath } from 'node:url';

{{/if}}
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  ProtocolError,
  SdkError,
  SdkErrorCode,
} from '@modelcontextprotocol/server';

import type { ClientCapabilities, CreateMessageRequestParams, InputRequiredResult, McpServer, ToolContext } from '../sdk.js';
import { hostErrorOutcome, type SamplingFailure } from './outcomes.js';

/** The protocol era of the connection a server instance serves (see the README's "Protocol eras"). */
export type Era = 'legacy' | 'modern';

export function clientSupportsSampling(server: McpServer, ctx: ToolContext): boolean {
  // 2026-07-28 requests carry the client's capabilities in every request's envelope; 2025-era clients
  // declared them once, when they connected.
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const capabilities = (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ?? server.server.getClientCapabilities();
  return capabilities?.sampling !== undefined;
}

/** The tool call's abort signal: the host cancelled the call, or the connection closed. */
export function callSignal(ctx: ToolContext): AbortSignal {
  return ctx.mcpReq.signal;
}

/** The token the host asked progress to be reported with, if it asked for progress at all. */
export function progressTokenOf(ctx: ToolContext): string | number | undefined {
  return ctx.mcpReq._meta?.progressToken;
}

export function sendProgress(ctx: ToolContext, progressToken: string | number, progress: number, message: string): Promise<void> {
  return ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, message } });
}

/**
 * 2025 era: sends the request to the client while the tool call waits, with its own timeout, the
 * call's abort signal and `stop`, the server's own reason to stop waiting. requestSampling is deprecated with sampling itself (SEP-2577) but is the
 * 2025-era push path: unlike returning inputRequired() through the SDK's legacy shim, it lets the
 * Sampler keep the host's tool-call timeout alive with progress and map each failure itself.
 */
export function pushSamplingRequest(ctx: ToolContext, params: CreateMessageRequestParams, timeoutMs: number, stop?: AbortSignal): Promise<unknown> {
  const signal = stop ? AbortSignal.any([ctx.mcpReq.signal, stop]) : ctx.mcpReq.signal;
  // relatedRequestId sends the request on the tool call's own response stream over HTTP: without it, it
  // goes to the standalone GET stream and is lost when the client has none open.
  return ctx.mcpReq.requestSampling(params, { timeout: timeoutMs, signal, relatedRequestId: ctx.mcpReq.id });
}

/** Key of our embedded request in a 2026-07-28 `input_required` result and in the client's `inputResponses`. */
const INPUT_KEY = 'sampling';

/**
 * 2026-07-28: no server-to-client requests; the tool asks the client to sample and call it again.
 * `reservationId` rides along as the request state, so the retry settles the budget reservation.
 */
export function samplingInputRequest(params: CreateMessageRequestParams, reservationId: string): InputRequiredResult {
  return inputRequired({ inputRequests: { [INPUT_KEY]: inputRequired.createMessage(params) }, requestState: reservationId });
}

/**
 * What a 2026-07-28 retry brings: the client's answer (untrusted, validated by the caller) and the echoed
 * reservation id. A changed id is harmless: it finds no reservation, and random ids cannot be guessed.
 */
export interface ReturnedAnswer {
  result: unknown;
  reservationId: string | undefined;
}

/** On a 2026-07-28 call that returns with our request answered: what it brings. Undefined on a first call. */
export function returnedSamplingAnswer(ctx: ToolContext): ReturnedAnswer | undefined {
  const { inputResponses, droppedInputResponseKeys } = ctx.mcpReq;
  const answered = (inputResponses !== undefined && INPUT_KEY in inputResponses) || (droppedInputResponseKeys ?? []).includes(INPUT_KEY);
  if (!answered) return undefined;
  const response = inputResponse(inputResponses, INPUT_KEY);
  const state = ctx.mcpReq.requestState<unknown>();
  return { result: response.kind === 'sampling' ? response.result : undefined, reservationId: typeof state === 'string' ? state : undefined };
}

/** Maps a failed push request to an outcome by error code; the SDK's message texts are not an interface. */
export function classifyPushError(error: unknown, server: McpServer, ctx: ToolContext, timeoutMs: number): SamplingFailure {
  // A closing connection also aborts the tool call's signal, so look for it before cancellation.
  if ((error instanceof SdkError && CONNECTION_LOST_CODES.has(error.code)) || !server.isConnected()) return { kind: 'connection_lost' };
  // An aborted request fails with the same code as a timeout; our own signal tells them apart.
  if (callSignal(ctx).aborted) return { kind: 'cancelled' };
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return { kind: 'timeout', timeoutMs };
      case SdkErrorCode.CapabilityNotSupported:
      case SdkErrorCode.MethodNotSupportedByProtocolVersion:
        return { kind: 'unsupported' };
      case SdkErrorCode.InvalidResult:
        return { kind: 'invalid_result', reason: 'the result did not match the protocol' };
      default:
        return { kind: 'host_error', code: error.code };
    }
  }
  if (error instanceof ProtocolError) return hostErrorOutcome(error.code, error.message);
  return { kind: 'host_error', code: 'unknown' };
}

const CONNECTION_LOST_CODES = new Set<SdkErrorCode>([SdkErrorCode.ConnectionClosed, SdkErrorCode.NotConnected, SdkErrorCode.SendFailed]);

{{#if readsFiles}}
/** A client that declares roots but does not answer in this long is treated as declaring none. */
const LIST_ROOTS_TIMEOUT_MS = 10_000;

/**
 * The folders a 2025-era client declares, as paths; undefined when it declares none or fails to answer.
 * 2026-07-28 clients are not asked: that request is deprecated there (SEP-2577).
 */
export async function listClientRoots(server: McpServer, ctx: ToolContext): Promise<string[] | undefined> {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  if (envelope?.[CLIENT_CAPABILITIES_META_KEY] !== undefined) return undefined;
  if (server.server.getClientCapabilities()?.roots === undefined) return undefined;
  try {
    const { roots } = await server.server.listRoots(undefined, {
      timeout: LIST_ROOTS_TIMEOUT_MS,
      signal: ctx.mcpReq.signal,
      relatedRequestId: ctx.mcpReq.id,
    });
    return roots.flatMap((root) => (root.uri.startsWith('file://') ? [fileURLToPath(root.uri)] : []));
  } catch {
    return undefined;
  }
}
{{/if}}
