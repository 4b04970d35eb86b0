import * as z from 'zod';

import type { Config } from '../config.js';
import type { LogRecord, Logger } from '../log.js';
{{#if hasFallback}}
import type { ProviderSettings } from '../providers/provider.js';
{{/if}}
import type { CallToolResult, CreateMessageRequestParams, McpServer, ModelPreferences, ToolContext, ToolResult } from '../sdk.js';
{{#if hasFallback}}
import { sampleFromProvider } from './fallback.js';
{{/if}}
import { failureResult, reachedModel, type FailureKind, type SamplingFailure } from './outcomes.js';
import {
  callSignal,
  classifyPushError,
  clientSupportsSampling,
  progressTokenOf,
  pushSamplingRequest,
{{#if bothEras}}
  returnedSamplingAnswer,
  samplingInputRequest,
{{/if}}
  sendProgress,
  type Era,
} from './protocol.js';
import { estimateRequestTokens, estimateTokens, type {{#if hasFallback}}Reservation, type {{/if}}TokenBudget } from './tokens.js';

export type { Era };

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

/** What a tool shows for an answer; the Sampler adds the rest (the truncation note and `_meta.sampling`). */
export type Presentation = Pick<CallToolResult, 'content' | 'structuredContent'>;

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

/**
 * Without sampling tools the answer must be exactly one text block (the spec forbids an array there).
{{#if bothEras}}
 * Validated here because on 2026-07-28 connections the answer arrives as untrusted tool-call input.
{{else}}
 * Validated here rather than trusted: a host's answer is outside input like any other.
{{/if}}
 */
const AnswerSchema = z.object({
  model: z.string(),
  stopReason: z.string().optional(),
  content: z.object({ type: z.literal('text'), text: z.string() }, {
    error: (issue) => (Array.isArray(issue.input) ? 'several content blocks instead of one' : 'no text content'),
  }),
});

type Answer = z.infer<typeof AnswerSchema>;

/** The answer, or what is wrong with it in words the tool result can show. */
function readAnswer(result: unknown): { answer: Answer } | { reason: string } {
  const parsed = AnswerSchema.safeParse(result);
  return parsed.success ? { answer: parsed.data } : { reason: invalidReason(parsed.error) };
}

type Usage = { estimatedInputTokens: number; estimatedOutputTokens?: number };

/** Who answered: the host's model through sampling{{#if hasFallback}}, or the fallback provider with real token counts{{/if}}. */
type Source = { source: 'host' }{{#if hasFallback}} | { source: 'fallback'; provider: string; inputTokens?: number; outputTokens?: number }{{/if}};
const HOST: Source = { source: 'host' };

/**
 * Asks the host's model for a completion on behalf of a tool{{#if bothEras}}, in either protocol era,{{/if}} and turns
 * every way that can fail into a tool result the user can act on.
 */
export class Sampler {
  constructor(private readonly options: SamplerOptions) {}

  /**
   * Runs one sampling exchange and returns what the tool handler should return: the presented
{{#if bothEras}}
   * answer, an error result, or (first round on 2026-07-28 connections) an `input_required` result.
{{else}}
   * answer or an error result.
{{/if}}
   */
  async run(ctx: ToolContext, prompt: SamplingPrompt, present: (answer: SamplingAnswer) => Presentation): Promise<ToolResult> {
    const { server, config, budget, era } = this.options;
    const usage: Usage = { estimatedInputTokens: estimateRequestTokens(prompt.systemPrompt, [prompt.userMessage]) };

    // Never send a request the client did not declare it can handle.
    const supportsSampling = clientSupportsSampling(server, era, ctx);
{{#if hasFallback}}
    // The spec's migration path: where the client cannot sample, call the configured provider directly.
    const fallback = supportsSampling ? undefined : config.fallback;
    if (!supportsSampling && !fallback) return this.fail({ kind: 'unsupported' }, usage, prompt);
{{else}}
    if (!supportsSampling) return this.fail({ kind: 'unsupported' }, usage, prompt);
{{/if}}
{{#if bothEras}}

    const returned = era === 'modern' && supportsSampling ? returnedSamplingAnswer(ctx) : undefined;
    if (returned) return this.completeModernRound(returned.result, prompt, usage, present);
{{/if}}

    const bytes = Buffer.byteLength(prompt.systemPrompt ?? '') + Buffer.byteLength(prompt.userMessage);
    if (bytes > config.maxInputBytes) {
      return this.fail({ kind: 'input_too_large', bytes, maxBytes: config.maxInputBytes }, usage, prompt);
    }

    // Admit the call only if its worst case (input estimate + the full answer limit) fits what is left.
    const worstCase = usage.estimatedInputTokens + config.maxTokens;
    const budgetExhausted = (): SamplingFailure => ({
      kind: 'budget_exhausted',
      neededTokens: worstCase,
      remainingTokens: budget.remaining,
      budgetTokens: budget.limit,
    });
{{#if hasFallback}}

    if (fallback) {
      const reservation = budget.reserve(worstCase);
      if (!reservation) return this.fail(budgetExhausted(), usage, prompt);
      return this.runFallback(ctx, fallback, reservation, worstCase, prompt, usage, present);
    }
{{/if}}
{{#if bothEras}}

    if (era === 'modern') {
      // 2026-07-28: no server-to-client requests. The client runs the sampling and calls the tool
      // again with the answer; the budget is charged then. If the user declines, we are never told.
      if (worstCase > budget.remaining) return this.fail(budgetExhausted(), usage, prompt);
      this.logLine('requested', usage, prompt);
      return samplingInputRequest(this.requestParams(prompt));
    }
{{/if}}

    const reservation = budget.reserve(worstCase);
    if (!reservation) return this.fail(budgetExhausted(), usage, prompt);

    const startedAt = performance.now();
    const stopHeartbeats = this.startHeartbeats(ctx);
    try {
      const result = await pushSamplingRequest(ctx, this.requestParams(prompt), config.approvalTimeoutMs);
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
      const failure = classifyPushError(error, server, callSignal(ctx), config.approvalTimeoutMs);
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
    ctx: ToolContext,
    settings: ProviderSettings,
    reservation: Reservation,
    worstCase: number,
    prompt: SamplingPrompt,
    usage: Usage,
    present: (answer: SamplingAnswer) => Presentation,
  ): Promise<CallToolResult> {
    const startedAt = performance.now();
    // Retries with backoff can outlast a host's 60-second tool-call timeout: keep the call alive with progress.
    const stopHeartbeats = this.startHeartbeats(ctx, 'Waiting for the fallback model provider');
    try {
      const outcome = await sampleFromProvider(settings, prompt, this.options.config.maxTokens, callSignal(ctx));
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
{{#if bothEras}}
  /** Second round on 2026-07-28: the client returns with the answer. Anything it sends is untrusted input. */
  private completeModernRound(
    returned: unknown,
    prompt: SamplingPrompt,
    usage: Usage,
    present: (answer: SamplingAnswer) => Presentation,
  ): CallToolResult {
    const checked = returned === undefined ? { reason: 'not a sampling result' } : readAnswer(returned);
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

{{/if}}
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
  private startHeartbeats(ctx: ToolContext, waitingFor = 'Waiting for the host to approve and answer'): () => void {
    const progressToken = progressTokenOf(ctx);
    if (progressToken === undefined) return () => {};
    const startedAt = Date.now();
    let beats = 0;
    const timer = setInterval(() => {
      beats += 1;
      const waited = Math.round((Date.now() - startedAt) / 1000);
      sendProgress(ctx, progressToken, beats, `${waitingFor} (${waited} s)`).catch(() => {
        // The connection is gone; the pending request fails with connection_lost on its own.
      });
    }, this.options.config.heartbeatIntervalMs);
    return () => clearInterval(timer);
  }

  private succeed(
    answer: SamplingAnswer,
    usage: Usage,
    prompt: SamplingPrompt,
    present: (answer: SamplingAnswer) => Presentation,
    durationMs?: number,
    source: Source = HOST,
  ): CallToolResult {
    const outcome = answer.truncated ? 'truncated' : 'ok';
    const { maxTokens } = this.options.config;
    this.logLine(outcome, usage, prompt, source, durationMs, answer);
    const { content: shown, structuredContent } = present(answer);
    // A new array only when the note is added, so the presenter's own array is never changed.
    const content = answer.truncated
      ? [
          ...shown,
          {
            type: 'text' as const,
            text:
              `Note: the answer is cut off: the model reached this server's limit of ${maxTokens} ` +
              'tokens (stopReason "maxTokens"). Raise SAMPLING_MAX_TOKENS for longer answers.',
          },
        ]
      : shown;
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
    // Built field by field rather than spread from the presentation: this is every call's path.
    return structuredContent === undefined ? { content, _meta: { sampling } } : { content, structuredContent, _meta: { sampling } };
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
