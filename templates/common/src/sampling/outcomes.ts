import type { CallToolResult } from '../sdk.js';

/** Spec 2025-11-25, client/sampling: a client SHOULD answer a user's rejection with code -1. */
const USER_REJECTED_CODE = -1;

/** JSON-RPC error codes hosts answer sampling requests with (JSON-RPC 2.0 and the MCP spec). */
export const PARSE_ERROR = -32700; // also what the transports make of an answer they cannot pass on: invalid_result
const METHOD_NOT_FOUND = -32601;
const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
const SERVER_ERROR = -32000;

/**
 * How real hosts say "the user declined" when they do not use the spec's -1: the README's table of hosts lists
 * who sends which. Only the start of the message is read: hosts put arbitrary text after their own words.
 */
const REJECTED_MESSAGES: Partial<Record<number, RegExp>> = {
  [INTERNAL_ERROR]: /^(sampling request rejected|user (rejected|denied) (the )?sampling request|response rejected by user)\b/i,
  [SERVER_ERROR]: /^the user has denied permission\b/i,
};

/** Whether a prompt reached the host's model before the failure: the user needs this to judge cost and privacy. */
export type ReachedModel = 'no' | 'unknown' | 'yes';

export type SamplingFailure =
  | { kind: 'unsupported' }
  | { kind: 'rejected' }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'cancelled' }
  | { kind: 'invalid_result'; reason: string }
  | { kind: 'empty_answer'; model: string }
  | { kind: 'connection_lost' }
  | { kind: 'input_too_large'; bytes: number; maxBytes: number }
  | { kind: 'budget_exhausted'; scope: string; neededTokens: number; remainingTokens: number; budgetTokens: number }
{{#if http}}
  | { kind: 'shutdown' }
{{/if}}
{{#if (eq store "redis")}}
  | { kind: 'budget_unavailable' }
{{/if}}
  | { kind: 'host_error'; code: number | string };

const REACHED_MODEL: { [K in SamplingFailure['kind']]: ReachedModel } = {
  unsupported: 'no', rejected: 'no', input_too_large: 'no', budget_exhausted: 'no',
  invalid_result: 'yes', empty_answer: 'yes',
  timeout: 'unknown', cancelled: 'unknown', connection_lost: 'unknown', host_error: 'unknown',
{{#if http}}
  shutdown: 'unknown',
{{/if}}
{{#if (eq store "redis")}}
  budget_unavailable: 'no',
{{/if}}
};

export function reachedModel(failure: SamplingFailure): ReachedModel {
  return REACHED_MODEL[failure.kind];
}

/**
 * What the host's JSON-RPC error answer to a sampling request means: by its code first, then, for the
 * codes real hosts overload, by the known start of their message.
 */
export function hostErrorOutcome(code: number, message: string): SamplingFailure {
  switch (code) {
    // The spec's suggested code for a user rejection.
    case USER_REJECTED_CODE:
      return { kind: 'rejected' };
    // Hosts without sampling answer "method not found" or "invalid request: sampling not supported".
    case METHOD_NOT_FOUND:
    case INVALID_REQUEST:
      return { kind: 'unsupported' };
    case PARSE_ERROR:
      return { kind: 'invalid_result', reason: message };
    // The client's SDK answers -32602 when the host's own result fails validation.
    case INVALID_PARAMS:
      return { kind: 'invalid_result', reason: 'the host reported an invalid sampling result' };
    default:
      return REJECTED_MESSAGES[code]?.test(message.trim()) ? { kind: 'rejected' } : { kind: 'host_error', code };
  }
}

/** An error answer the SDK would drop (a code that is not a number, say), leaving its request to time out, made readable. */
export function readableAnswer(message: unknown): unknown {
  if (typeof message !== 'object' || message === null || !('id' in message) || !('error' in message)) return message;
  const error = message.error as { code?: unknown; message?: unknown } | null;
  if (Number.isInteger(error?.code) && typeof error?.message === 'string') return message;
  const reason = `its error is not valid JSON-RPC: ${JSON.stringify(error).slice(0, 200)}`;
  return { jsonrpc: '2.0', id: message.id, error: { code: PARSE_ERROR, message: reason } };
}

/** What a caller can do about each budget (TokenBudget's scope). */
const BUDGET_ADVICE: Record<string, string> = {
  session: 'Start a new session, send less text, or raise SAMPLING_TOKEN_BUDGET.',
  daily: "The server's daily budget, shared by every session, starts over 24 hours after it began; or raise SAMPLING_DAILY_TOKEN_BUDGET.",
{{#if http}}
  caller: "This caller's daily share starts over 24 hours after it began; or raise SAMPLING_CALLER_DAILY_TOKEN_BUDGET.",
{{/if}}
};

/** What a user reads, per outcome: what happened, whether anything reached a model, and what to do about it. */
const MESSAGES: { [K in SamplingFailure['kind']]: (failure: Extract<SamplingFailure, { kind: K }>) => string } = {
  unsupported: () =>
    'This tool asks the host application to run its language model (MCP sampling), but this client does not ' +
    'support sampling. Nothing was sent to a model. Use a host that supports sampling (see the README), or ' +
    'change the server to call a model provider API directly.',
  rejected: () =>
    'The sampling request was declined in the host (the user rejected it). Nothing was sent to a model. ' +
    'Run the tool again and approve the request if you want the answer.',
  timeout: (failure) =>
    `The host did not answer the sampling request within ${formatSeconds(failure.timeoutMs)}. It may still be ` +
    'waiting for approval, or its model may have started; any late answer is discarded. Approve sooner, or ' +
    'raise SAMPLING_APPROVAL_TIMEOUT_SECONDS.',
  cancelled: () =>
    'The tool call was cancelled while waiting for the host. The model may or may not have started; any ' +
    'answer is discarded. Run the tool again if you still need the result.',
{{#if (eq store "redis")}}
  budget_unavailable: () =>
    'Budget store unavailable: this server keeps its token budgets in Redis (REDIS_URL) and cannot reach it, so it ' +
    'sent nothing to a model. Try again shortly; if it lasts, check that Redis is running and reachable.',
{{/if}}
{{#if http}}
  shutdown: () =>
    'The server is shutting down and stopped waiting for the host to answer. The model may or may not have ' +
    'started; any answer is discarded. Run the tool again in a moment, when the server (or another replica) takes calls.',
{{/if}}
  invalid_result: (failure) =>
    `The host answered the sampling request with something this server cannot use (${failure.reason}). A ` +
    'model may have run. Try again; if it keeps happening, this host does not implement sampling as expected.',
  empty_answer: (failure) =>
    `The host's model (${failure.model}) returned an empty answer. A model ran, so the input was charged. Try ` +
    'again, or rephrase the request.',
  connection_lost: () =>
    'The connection to the host closed before the answer arrived. The model may have run. Reconnect and run ' +
    'the tool again.',
  input_too_large: (failure) =>
    `The prompt would be ${failure.bytes} bytes, over this server's limit of ${failure.maxBytes} bytes ` +
    '(SAMPLING_MAX_INPUT_BYTES). Nothing was sent to a model. Send less text, or raise the limit.',
  budget_exhausted: (failure) =>
    `This call could use up to ${failure.neededTokens} tokens (estimated input plus the answer limit), but only ` +
    `${failure.remainingTokens} of the ${failure.scope} budget of ${failure.budgetTokens} tokens are left. Nothing ` +
    `was sent to a model. ${BUDGET_ADVICE[failure.scope]}`,
  host_error: (failure) =>
    `The host failed the sampling request (error code ${failure.code}). It is unknown whether a model ran. Try ` +
    "again; if it persists, check the host's logs.",
};

export function describeFailure(failure: SamplingFailure): string {
  return (MESSAGES[failure.kind] as (failure: SamplingFailure) => string)(failure);
}

/** The error result a tool returns for a failure found before sampling (a file too large, say). */
export function failureResult(failure: SamplingFailure): CallToolResult {
  return {
    content: [{ type: 'text', text: describeFailure(failure) }],
    isError: true,
    _meta: { sampling: { outcome: failure.kind, reachedModel: reachedModel(failure) } },
  };
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}
