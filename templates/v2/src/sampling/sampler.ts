import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  type CallToolResult,
  type ClientCapabilities,
  type CreateMessageRequestParams,
  type InputRequiredResult,
  type McpServer,
  type ModelPreferences,
  type ServerContext,
} from '@modelcontextprotocol/server';
import * as z from 'zod';

import type { Config } from '../config.js';
import type { LogRecord, Logger } from '../log.js';
{{#if hasFallback}}
import type { ProviderSettings } from '../providers/provider.js';
import { sampleFromProvider } from './fallback.js';
{{/if}}
import { failureResult, reachedModel, type FailureKind, type SamplingFailure } from './outcomes.js';
import { estimateRequestTokens, estimateTokens, type {{#if hasFallback}}Reservation, type {{/if}}TokenBudget } from './tokens.js';

/** The protocol era of the connection a server instance serves (see the README's "Protocol eras"). */
export type Era = 'legacy' | 'modern';

export interface SamplingPrompt {
  /** Instructions for the model. Never put untrusted data here: fence it in the user message instead. */
  systemPrompt?: string;
  userMessage: string;
}

export interface SamplingAnswer {
  text: string;
  model: string;
  stopReason: string | undefined;
  /** The model stopped at the maxTokens limit: the answer is cut off. */
  truncated: boolean;
}

export interface SamplerOptions {
  server: McpServer;
  era: Era;
  config: Config;
  budget: TokenBudget;
  log: Logger;
  toolName: string;
}

/** Which models the host should prefer; hosts treat these as hints and may pick any model. */
export const MODEL_PREFERENCES: ModelPreferences = {
  hints: [{{#each modelHints}}{ name: {{ts this}} }{{#unless @last}}, {{/unless}}{{/each}}],
  costPriority: {{modelPriorities.cost}},
  speedPriority: {{modelPriorities.speed}},
  intelligencePriority: {{modelPriorities.intelligence}},
};

/** Key of our embedded request in a 2026-07-28 `input_required` result and in the client's `inputResponses`. */
const INPUT_KEY = 'sampling';

/**
 * Without sampling tools the answer must be exactly one text block (the spec forbids an array there).
 * Validated here because on 2026-07-28 connections the answer arrives as untrusted tool-call input.
 */
const AnswerSchema = z.object({
  model: z.string(),
  stopReason: z.string().optional(),
  content: z.object({ type: z.literal('text'), text: z.string() }, {
    error: (issue) => (Array.isArray(issue.input) ? 'several content blocks instead of one' : 'no text content'),
  }),
});

type Answer = z.infer<typeof AnswerSchema>;

/**
 * Validates a host's answer with the same outcome as `AnswerSchema.safeParse`, which it runs only when the
 * quick check of the one well-formed shape fails, so that every reason still comes from the schema.
 */
function readAnswer(result: unknown): { answer: Answer } | { reason: string } {
  if (typeof result === 'object' && result !== null && !Array.isArray(result)) {
    const { model, stopReason, content } = result as Record<string, unknown>;
    if (
      typeof model === 'string' &&
      (stopReason === undefined || typeof stopReason === 'string') &&
      typeof content === 'object' &&
      content !== null &&
      !Array.isArray(content)
    ) {
      const { type, text } = content as Record<string, unknown>;
      if (type === 'text' && typeof text === 'string') return { answer: { model, stopReason, content: { type, text } } };
    }
  }
  const parsed = AnswerSchema.safeParse(result);
  return parsed.success ? { answer: parsed.data } : { reason: invalidReason(parsed.error) };
}

type Usage = { estimatedInputTokens: number; estimatedOutputTokens?: number };

/** Who answered: the host's model through sampling{{#if hasFallback}}, or the fallback provider with real token counts{{/if}}. */
type Source = { source: 'host' }{{#if hasFallback}} | { source: 'fallback'; provider: string; inputTokens?: number; outputTokens?: number }{{/if}};
const HOST: Source = { source: 'host' };

/**
 * Asks the host's model for a completion on behalf of a tool, in either protocol era, and turns
 * every way that can fail into a tool result the user can act on.
 */
export class Sampler {
  constructor(private readonly options: SamplerOptions) {}

  /**
   * Runs one sampling exchange and returns what the tool handler should return: the presented
   * answer, an error result, or (first round on 2026-07-28 connections) an `input_required` result.
   */
  async run(
    ctx: ServerContext,
    prompt: SamplingPrompt,
    present: (answer: SamplingAnswer) => CallToolResult,
  ): Promise<CallToolResult | InputRequiredResult> {
    const { config, budget, era } = this.options;
    const usage: Usage = { estimatedInputTokens: estimateRequestTokens(prompt.systemPrompt, [prompt.userMessage]) };

    // Never send a request the client did not declare it can handle.
    const supportsSampling = this.clientSupportsSampling(ctx);
{{#if hasFallback}}
    // The spec's migration path: where the client cannot sample, call the configured provider directly.
    const fallback = supportsSampling ? undefined : config.fallback;
    if (!supportsSampling && !fallback) return this.fail({ kind: 'unsupported' }, usage, prompt);
{{else}}
    if (!supportsSampling) return this.fail({ kind: 'unsupported' }, usage, prompt);
{{/if}}

    if (era === 'modern' && supportsSampling && this.isRetryWithAnswer(ctx)) {
      return this.completeModernRound(ctx, prompt, usage, present);
    }

    const bytes = Buffer.byteLength(prompt.systemPrompt ?? '') + Buffer.byteLength(prompt.userMessage);
    if (bytes > config.maxInputBytes) {
      return this.fail({ kind: 'input_too_large', bytes, maxBytes: config.maxInputBytes }, usage, prompt);
    }

    // Admit the call only if its worst case (input estimate + the full answer limit) fits what is left.
    const worstCase = usage.estimatedInputTokens + config.maxTokens;
    const budgetExhausted: SamplingFailure = {
      kind: 'budget_exhausted',
      neededTokens: worstCase,
      remainingTokens: budget.remaining,
      budgetTokens: budget.limit,
    };
{{#if hasFallback}}

    if (fallback) {
      const reservation = budget.reserve(worstCase);
      if (!reservation) return this.fail(budgetExhausted, usage, prompt);
      return this.runFallback(ctx, fallback, reservation, worstCase, prompt, usage, present);
    }
{{/if}}

    if (era === 'modern') {
      // 2026-07-28: no server-to-client requests. The client runs the sampling and calls the tool
      // again with the answer; the budget is charged then. If the user declines, we are never told.
      if (worstCase > budget.remaining) return this.fail(budgetExhausted, usage, prompt);
      this.logLine('requested', usage, prompt);
      return inputRequired({ inputRequests: { [INPUT_KEY]: inputRequired.createMessage(this.requestParams(prompt)) } });
    }

    const reservation = budget.reserve(worstCase);
    if (!reservation) return this.fail(budgetExhausted, usage, prompt);

    const startedAt = performance.now();
    const stopHeartbeats = this.startHeartbeats(ctx);
    try {
      // requestSampling is deprecated with sampling itself (SEP-2577) but is the 2025-era push path:
      // unlike returning inputRequired() through the SDK's legacy shim, it lets us keep the host's
      // tool-call timeout alive with progress and map each failure ourselves.
      const result = await ctx.mcpReq.requestSampling(this.requestParams(prompt), {
        timeout: config.approvalTimeoutMs,
        signal: ctx.mcpReq.signal,
      });
      const durationMs = performance.now() - startedAt;
      const checked = readAnswer(result);
      if ('reason' in checked) {
        reservation.settle(worstCase);
        return this.fail({ kind: 'invalid_result', reason: checked.reason }, usage, prompt, durationMs);
      }
      const answer = toAnswer(checked.answer);
      usage.estimatedOutputTokens = estimateTokens(answer.text);
      reservation.settle(usage.estimatedInputTokens + usage.estimatedOutputTokens);
      return this.succeed(answer, usage, prompt, present, durationMs);
    } catch (error) {
      const failure = classifyPushError(error, ctx.mcpReq.signal, config.approvalTimeoutMs);
{{#if hasFallback}}
      // A host that declared sampling but answers "method not found" cannot sample either.
      if (failure.kind === 'unsupported' && config.fallback) {
        stopHeartbeats();
        return this.runFallback(ctx, config.fallback, reservation, worstCase, prompt, usage, present);
      }
{{/if}}
      // When a model may have run, count the worst case: the server cannot know what it used.
      if (reachedModel(failure) === 'no') reservation.release();
      else reservation.settle(worstCase);
      return this.fail(failure, usage, prompt, performance.now() - startedAt);
    } finally {
      stopHeartbeats();
    }
  }

{{#if hasFallback}}
  /** Answers from the configured provider, billed to this server's key; the reservation is held already. */
  private async runFallback(
    ctx: ServerContext,
    settings: ProviderSettings,
    reservation: Reservation,
    worstCase: number,
    prompt: SamplingPrompt,
    usage: Usage,
    present: (answer: SamplingAnswer) => CallToolResult,
  ): Promise<CallToolResult> {
    const startedAt = performance.now();
    // Retries with backoff can outlast a host's 60-second tool-call timeout; 2025-era hosts take progress for it.
    const stopHeartbeats = this.options.era === 'legacy' ? this.startHeartbeats(ctx, 'Waiting for the fallback model provider') : () => {};
    try {
      const outcome = await sampleFromProvider(settings, prompt, this.options.config.maxTokens, ctx.mcpReq.signal);
      const durationMs = performance.now() - startedAt;
      if ('failure' in outcome) {
        if (reachedModel(outcome.failure) === 'no') reservation.release();
        else reservation.settle(worstCase);
        return this.fail(outcome.failure, usage, prompt, durationMs, { source: 'fallback', provider: settings.kind });
      }
      const { answer, usage: reported } = outcome;
      usage.estimatedOutputTokens = estimateTokens(answer.text);
      // The provider reports what the call really used: charge that rather than the estimate.
      reservation.settle(reported ? reported.inputTokens + reported.outputTokens : usage.estimatedInputTokens + usage.estimatedOutputTokens);
      return this.succeed(answer, usage, prompt, present, durationMs, { source: 'fallback', provider: settings.kind, ...reported });
    } finally {
      stopHeartbeats();
    }
  }

{{/if}}
  private clientSupportsSampling(ctx: ServerContext): boolean {
    if (this.options.era === 'modern') {
      // 2026-07-28 requests carry the client's capabilities in every request's envelope.
      const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
      const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
      return capabilities?.sampling !== undefined;
    }
    return this.options.server.server.getClientCapabilities()?.sampling !== undefined;
  }

  private isRetryWithAnswer(ctx: ServerContext): boolean {
    const { inputResponses, droppedInputResponseKeys } = ctx.mcpReq;
    return (inputResponses !== undefined && INPUT_KEY in inputResponses) || (droppedInputResponseKeys ?? []).includes(INPUT_KEY);
  }

  /** Second round on 2026-07-28: the client returns with the answer. Anything it sends is untrusted input. */
  private completeModernRound(
    ctx: ServerContext,
    prompt: SamplingPrompt,
    usage: Usage,
    present: (answer: SamplingAnswer) => CallToolResult,
  ): CallToolResult {
    const response = inputResponse(ctx.mcpReq.inputResponses, INPUT_KEY);
    const checked = response.kind === 'sampling' ? readAnswer(response.result) : { reason: 'not a sampling result' };
    if ('reason' in checked) {
      // A model probably ran to produce whatever came back: charge the worst case.
      this.options.budget.charge(usage.estimatedInputTokens + this.options.config.maxTokens);
      return this.fail({ kind: 'invalid_result', reason: checked.reason }, usage, prompt);
    }
    const answer = toAnswer(checked.answer);
    usage.estimatedOutputTokens = estimateTokens(answer.text);
    this.options.budget.charge(usage.estimatedInputTokens + usage.estimatedOutputTokens);
    return this.succeed(answer, usage, prompt, present);
  }

  private requestParams(prompt: SamplingPrompt): CreateMessageRequestParams {
    return {
      messages: [{ role: 'user', content: { type: 'text', text: prompt.userMessage } }],
      ...(prompt.systemPrompt === undefined ? {} : { systemPrompt: prompt.systemPrompt }),
      maxTokens: this.options.config.maxTokens,
      modelPreferences: MODEL_PREFERENCES,
      // Other values are soft-deprecated and would send the host's conversation along: more tokens, less privacy.
      includeContext: 'none',
    };
  }

  /**
   * A person may take minutes to approve the request, and hosts abort a tool call after their own
   * timeout (60 s by default in the SDKs) unless progress arrives. One progress message is not
   * enough for every host, so send one per interval while we wait.
   */
  private startHeartbeats(ctx: ServerContext, waitingFor = 'Waiting for the host to approve and answer'): () => void {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    if (progressToken === undefined) return () => {};
    const startedAt = Date.now();
    let beats = 0;
    const timer = setInterval(() => {
      beats += 1;
      const waited = Math.round((Date.now() - startedAt) / 1000);
      ctx.mcpReq
        .notify({
          method: 'notifications/progress',
          params: { progressToken, progress: beats, message: `${waitingFor} (${waited} s)` },
        })
        .catch(() => {
          // The connection is gone; the pending request fails with connection_lost on its own.
        });
    }, this.options.config.heartbeatIntervalMs);
    return () => clearInterval(timer);
  }

  private succeed(
    answer: SamplingAnswer,
    usage: Usage,
    prompt: SamplingPrompt,
    present: (answer: SamplingAnswer) => CallToolResult,
    durationMs?: number,
    source: Source = HOST,
  ): CallToolResult {
    const outcome = answer.truncated ? 'truncated' : 'ok';
    const { maxTokens } = this.options.config;
    this.logLine(outcome, usage, prompt, source, durationMs, answer);
    const result = present(answer);
    // A new array only when the note is added, so the presenter's own array is never changed.
    const content = answer.truncated
      ? [
          ...result.content,
          {
            type: 'text' as const,
            text:
              `Note: the answer is cut off: the model reached this server's limit of ${maxTokens} ` +
              'tokens (stopReason "maxTokens"). Raise SAMPLING_MAX_TOKENS for longer answers.',
          },
        ]
      : result.content;
    const sampling = {
      outcome,
      reachedModel: 'yes',
      ...source,
      model: answer.model,
      stopReason: answer.stopReason ?? null,
      ...usage,
      maxTokens,
      budgetRemainingTokens: this.options.budget.remaining,
    };
    return { ...result, content, _meta: result._meta === undefined ? { sampling } : { ...result._meta, sampling } };
  }

  private fail(failure: SamplingFailure, usage: Usage, prompt: SamplingPrompt, durationMs?: number, source?: Source): CallToolResult {
    this.logLine(failure.kind, usage, prompt, source, durationMs);
    const result = failureResult(failure);
    return {
      ...result,
      _meta: {
        sampling: {
          ...(result._meta?.sampling as object),
          ...source,
          ...usage,
          maxTokens: this.options.config.maxTokens,
          budgetRemainingTokens: this.options.budget.remaining,
        },
      },
    };
  }

  /** One structured line per sampling call; prompts and answers only with LOG_SAMPLED_CONTENT=true. */
  private logLine(
    outcome: FailureKind | 'ok' | 'truncated' | 'requested',
    usage: Usage,
    prompt: SamplingPrompt,
    source?: Source,
    durationMs?: number,
    answer?: SamplingAnswer,
  ): void {
    const { config } = this.options;
    // Fields are added in this order, which is the order they appear in on the line.
    const record: LogRecord = {
      event: 'sampling',
      tool: this.options.toolName,
      era: this.options.era,
      outcome,
      ...source,
      ...usage,
      maxTokens: config.maxTokens,
    };
    if (answer) {
      record.model = answer.model;
      record.stopReason = answer.stopReason;
    }
    if (durationMs !== undefined) record.durationMs = Math.round(durationMs);
    record.budgetRemainingTokens = this.options.budget.remaining;
    if (config.logSampledContent) {
      record.prompt = prompt;
      record.answer = answer?.text;
    }
    this.options.log(record);
  }
}

function toAnswer(result: Answer): SamplingAnswer {
  return {
    text: result.content.text,
    model: result.model,
    stopReason: result.stopReason,
    truncated: result.stopReason === 'maxTokens',
  };
}

function invalidReason(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'result'}: ${issue.message}` : 'malformed result';
}

/** Maps a failed push request to an outcome by error code; the SDK's message texts are not an interface. */
export function classifyPushError(error: unknown, signal: AbortSignal, timeoutMs: number): SamplingFailure {
  // A closing connection also aborts the tool call's signal, so look for it before cancellation.
  if (error instanceof SdkError && CONNECTION_LOST_CODES.has(error.code)) return { kind: 'connection_lost' };
  // An aborted request fails with the same code as a timeout; our own signal tells them apart.
  if (signal.aborted) return { kind: 'cancelled' };
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

/** Spec 2025-11-25, client/sampling: clients SHOULD answer a rejection with code -1. */
export const USER_REJECTED_CODE = -1;
