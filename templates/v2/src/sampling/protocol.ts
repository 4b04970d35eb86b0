/**
 * The sampling calls the SDK makes, for both protocol eras. The Sampler decides what to send and
 * what the outcome means; this module only speaks @modelcontextprotocol/server.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
} from '@modelcontextprotocol/server';

import type { ClientCapabilities, CreateMessageRequestParams, InputRequiredResult, McpServer, ToolContext } from '../sdk.js';
import { USER_REJECTED_CODE, type SamplingFailure } from './outcomes.js';

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

/**
 * A person may take minutes to approve a request, and hosts abort a tool call after their own timeout
 * (60 s by default in the SDKs) unless progress arrives. One progress message is not enough for every
 * host, so this sends one per interval until the returned function is called.
 */
export function startHeartbeats(ctx: ToolContext, intervalMs: number, waitingFor: string): () => void {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  if (progressToken === undefined) return () => {};
  const startedAt = Date.now();
  let progress = 0;
  const timer = setInterval(() => {
    progress += 1;
    const message = `${waitingFor} (${Math.round((Date.now() - startedAt) / 1000)} s)`;
    ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, message } }).catch(() => {
      // The connection is gone; the pending request fails with connection_lost on its own.
    });
  }, intervalMs);
  return () => clearInterval(timer);
}

/**
 * 2025 era: sends the request to the client while the tool call waits, with its own timeout and the
 * call's abort signal. requestSampling is deprecated with sampling itself (SEP-2577) but is the
 * 2025-era push path: unlike returning inputRequired() through the SDK's legacy shim, it lets the
 * Sampler keep the host's tool-call timeout alive with progress and map each failure itself.
 */
export function pushSamplingRequest(ctx: ToolContext, params: CreateMessageRequestParams, timeoutMs: number): Promise<unknown> {
  // relatedRequestId sends the request on the tool call's own response stream over HTTP: without it, it
  // goes to the standalone GET stream and is lost when the client has none open.
  return ctx.mcpReq.requestSampling(params, { timeout: timeoutMs, signal: ctx.mcpReq.signal, relatedRequestId: ctx.mcpReq.id });
}

/** Key of our embedded request in a 2026-07-28 `input_required` result and in the client's `inputResponses`. */
const INPUT_KEY = 'sampling';

/** 2026-07-28: no server-to-client requests; the tool asks the client to sample and call it again. */
export function samplingInputRequest(params: CreateMessageRequestParams): InputRequiredResult {
  return inputRequired({ inputRequests: { [INPUT_KEY]: inputRequired.createMessage(params) } });
}

/**
 * On a 2026-07-28 call that returns with our request answered: what the client sent (untrusted
 * input, validated by the caller). Undefined on a first call.
 */
export function returnedSamplingAnswer(ctx: ToolContext): { result: unknown } | undefined {
  const { inputResponses, droppedInputResponseKeys } = ctx.mcpReq;
  const answered = (inputResponses !== undefined && INPUT_KEY in inputResponses) || (droppedInputResponseKeys ?? []).includes(INPUT_KEY);
  if (!answered) return undefined;
  const response = inputResponse(inputResponses, INPUT_KEY);
  return { result: response.kind === 'sampling' ? response.result : undefined };
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
  if (error instanceof ProtocolError) {
    switch (error.code) {
      // The spec's suggested code for a user rejection; hosts may use others, which stay host_error.
      case USER_REJECTED_CODE:
        return { kind: 'rejected' };
      // Hosts without sampling answer "method not found" or "invalid request: sampling not supported".
      case ProtocolErrorCode.MethodNotFound:
      case ProtocolErrorCode.InvalidRequest:
        return { kind: 'unsupported' };
      // The client's SDK answers -32602 when the host's own result fails validation.
      case ProtocolErrorCode.InvalidParams:
        return { kind: 'invalid_result', reason: 'the host reported an invalid sampling result' };
      default:
        return { kind: 'host_error', code: error.code };
    }
  }
  return { kind: 'host_error', code: 'unknown' };
}

const CONNECTION_LOST_CODES = new Set<SdkErrorCode>([SdkErrorCode.ConnectionClosed, SdkErrorCode.NotConnected, SdkErrorCode.SendFailed]);
