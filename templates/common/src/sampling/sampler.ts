import * as z from 'zod';

import type { Config } from '../config.js';
import type { LogRecord, Logger } from '../log.js';
import type { CallToolResult, CreateMessageRequestParams, McpServer, ModelPreferences, ToolContext, ToolResult } from '../sdk.js';
import { describeFailure, reachedModel, type ReachedModel, type SamplingFailure } from './outcomes.js';
import {
  classifyPushError,
  clientSupportsSampling,
  pushSamplingRequest,
{{#if bothEras}}
  returnedSamplingAnswer,
  samplingInputRequest,
  type ReturnedAnswer,
{{/if}}
  progressTokenOf,
  sendProgress,
{{#if bothEras}}
  type Era,
{{/if}}
} from './protocol.js';
import { estimateRequestTokens, estimateTokens, type Budget, type Reservation } from './tokens.js';

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

/** What a tool shows for an answer; the Sampler adds the truncation note and `_meta.sampling`. */
export type Presentation = Pick<CallToolResult, 'content' | 'structuredContent'>;
export type Present = (answer: SamplingAnswer) => Presentation;

/** What the tools of one connection share: every tool gets its own Sampler from these. */
export interface SamplingSetup {
  server: McpServer;
{{#if bothEras}}
  /** The protocol era of this connection; the serving entry (stdio or HTTP) decides it. */
  era: Era;
{{/if}}
  config: Config;
  budget: Budget;
  log: Logger;
{{#if http}}
  /** Aborted when the server, shutting down, stops waiting for the calls still in flight (src/transports/httpServer.ts). */
  shutdown?: AbortSignal;
{{/if}}
}

/** Makes the Sampler of one tool: every tool has its own, so its name goes into its log lines and results. */
export type SamplerFor = (toolName: string) => Sampler;

/** Estimated tokens of one call, as reported in the log and in `_meta.sampling`. */
export interface Usage {
  estimatedInputTokens: number;
  estimatedOutputTokens?: number;
}

/** Who answered, for the log and `_meta.sampling`: the host, unless another source says otherwise. */
export type AnswerSource = { source: string } & Record<string, unknown>;
const HOST: AnswerSource = { source: 'host' };

/** Which models the host should prefer; hosts treat these as hints and may pick any model. */
export const MODEL_PREFERENCES: ModelPreferences = {
  hints: [{{#each modelHints}}{ name: {{ts this}} }{{#unless @last}}, {{/unless}}{{/each}}],
  costPriority: {{modelPriorities.cost}},
  speedPriority: {{modelPriorities.speed}},
  intelligencePriority: {{modelPriorities.intelligence}},
};

/** Without sampling tools the answer must be one text block; a host's answer is outside input, so check it. */
const AnswerSchema = z.object({
  model: z.string(),
  stopReason: z.string().optional(),
  content: z.object({ type: z.literal('text'), text: z.string() }, {
    error: (issue) => (Array.isArray(issue.input) ? 'several content blocks instead of one' : 'no text content'),
  }),
});

/**
 * Asks the host's model for a completion on behalf of one tool, and turns every way that can fail
 * into a tool result the user can act on.
 */
export class Sampler {
  constructor(protected readonly setup: SamplingSetup, readonly toolName: string) {}

  /**
   * Runs one sampling exchange and returns what the tool handler should return: the presented answer,
{{#if bothEras}}
   * an error result, or (first round on a 2026-07-28 connection) an `input_required` result.
{{else}}
   * or an error result.
{{/if}}
   */
  async run(ctx: ToolContext, prompt: SamplingPrompt, present: Present): Promise<ToolResult> {
    const { server, config } = this.setup;
    const usage: Usage = { estimatedInputTokens: estimateRequestTokens(prompt.systemPrompt, [prompt.userMessage]) };

    // Never send a request the client did not declare it can handle.
    if (!clientSupportsSampling(server{{#if bothEras}}, ctx{{/if}})) return this.cannotSample(ctx, prompt, usage, present);
{{#if bothEras}}

    if (this.setup.era === 'modern') {
      // 2026-07-28: no server-to-client requests. The client runs the sampling and calls the tool again
      // with the answer, which settles the reservation made now. If the user declines, the server is never told.
      const returned = returnedSamplingAnswer(ctx);
      if (returned) return this.completeModernRound(returned, prompt, usage, present);
      const admitted = await this.admit(prompt, usage);
      if ('refused' in admitted) return admitted.refused;
      this.logLine('requested', usage, prompt);
      return samplingInputRequest(this.requestParams(prompt), this.setup.budget.hold(admitted.reservation, config.approvalTimeoutMs));
    }
{{/if}}

    const admitted = await this.admit(prompt, usage);
    if ('refused' in admitted) return admitted.refused;
    const { reservation, worstCase } = admitted;

    const startedAt = performance.now();
    const stopHeartbeats = startHeartbeats(ctx, config.heartbeatIntervalMs, 'Waiting for the host to approve and answer');
    try {
      const result = await pushSamplingRequest(ctx, this.requestParams(prompt), config.approvalTimeoutMs{{#if http}}, this.setup.shutdown{{/if}});
      return this.complete(result, reservation, worstCase, prompt, usage, present, performance.now() - startedAt);
    } catch (error) {
      const failure: SamplingFailure = {{#if http}}this.setup.shutdown?.aborted ? { kind: 'shutdown' } : {{/if}}classifyPushError(error, server, ctx, config.approvalTimeoutMs);
      // A host that declared sampling but answers "method not found" cannot sample either.
      if (failure.kind === 'unsupported') {
        reservation.release();
        stopHeartbeats();
        return this.cannotSample(ctx, prompt, usage, present);
      }
      // When a model may have run, count the worst case: the server cannot know what it used.
      if (reachedModel(failure) === 'no') reservation.release();
      else reservation.settle(worstCase);
      return this.fail(failure, usage, prompt, performance.now() - startedAt);
    } finally {
      stopHeartbeats();
    }
  }

  /** The client cannot sample. Nothing was sent: say so. */
  protected async cannotSample(_ctx: ToolContext, prompt: SamplingPrompt, usage: Usage, _present: Present): Promise<CallToolResult> {
    return this.fail({ kind: 'unsupported' }, usage, prompt);
  }

  /** Refuses what must not be sent; otherwise holds the call's worst case (input + answer limit) in the budget. */
  protected async admit(prompt: SamplingPrompt, usage: Usage): Promise<{ reservation: Reservation; worstCase: number } | { refused: CallToolResult }> {
    const { config, budget } = this.setup;
    const bytes = Buffer.byteLength(prompt.systemPrompt ?? '') + Buffer.byteLength(prompt.userMessage);
    if (bytes > config.maxInputBytes) return { refused: this.fail({ kind: 'input_too_large', bytes, maxBytes: config.maxInputBytes }, usage, prompt) };
    const worstCase = usage.estimatedInputTokens + config.maxTokens;
    const reserved = await budget.reserve(worstCase);
    if (!('refusedBy' in reserved)) return { reservation: reserved, worstCase };
    const { scope, remaining, limit } = reserved.refusedBy;
{{#if (eq store "redis")}}
    // Without a reservation nothing is sent: when the budget store cannot be asked, the call fails closed.
    if (scope === 'store') return { refused: this.fail({ kind: 'budget_unavailable' }, usage, prompt) };
{{/if}}
    const failure = { kind: 'budget_exhausted', scope, neededTokens: worstCase, remainingTokens: remaining, budgetTokens: limit } as const;
    return { refused: this.fail(failure, usage, prompt) };
  }

  /** Checks the host's answer, settles the reservation and builds the result. */
  private complete(result: unknown, reservation: Pick<Reservation, 'settle'>, worstCase: number, prompt: SamplingPrompt, usage: Usage, present: Present, durationMs?: number): CallToolResult {
    const parsed = AnswerSchema.safeParse(result);
    if (!parsed.success) {
      // A model probably ran to produce whatever came back: charge the worst case.
      reservation.settle(worstCase);
      return this.fail({ kind: 'invalid_result', reason: invalidReason(parsed.error) }, usage, prompt, durationMs);
    }
    const { content, model, stopReason } = parsed.data;
    usage.estimatedOutputTokens = estimateTokens(content.text);
    // An answer longer than maxTokens allows is the host's doing: never charge more than was asked for.
    reservation.settle(usage.estimatedInputTokens + Math.min(usage.estimatedOutputTokens, this.setup.config.maxTokens));
    if (content.text.trim() === '') return this.fail({ kind: 'empty_answer', model }, usage, prompt, durationMs);
    const answer = { text: content.text, model, stopReason, truncated: stopReason === 'maxTokens' };
    return this.succeed(answer, usage, prompt, present, durationMs);
  }
{{#if bothEras}}

  /**
   * Second round on 2026-07-28: the client returns with the answer, and settles what the first round
   * reserved. Anything it sends is untrusted input. An answer whose reservation expired (or that no
   * first round asked for) is still charged: a model ran.
   */
  private completeModernRound(returned: ReturnedAnswer, prompt: SamplingPrompt, usage: Usage, present: Present): CallToolResult {
    const { budget, config } = this.setup;
    const worstCase = usage.estimatedInputTokens + config.maxTokens;
    const reservation = (returned.reservationId === undefined ? undefined : budget.takeHeld(returned.reservationId)) ?? {
      settle: (tokens: number) => budget.charge(tokens),
    };
    return this.complete(returned.result, reservation, worstCase, prompt, usage, present);
  }
{{/if}}

  private requestParams(prompt: SamplingPrompt): CreateMessageRequestParams {
    return {
      messages: [{ role: 'user', content: { type: 'text', text: prompt.userMessage } }],
      ...(prompt.systemPrompt === undefined ? {} : { systemPrompt: prompt.systemPrompt }),
      maxTokens: this.setup.config.maxTokens,
      modelPreferences: MODEL_PREFERENCES,
      // Other values are soft-deprecated and would send the host's conversation along: more tokens, less privacy.
      includeContext: 'none',
    };
  }

  protected succeed(answer: SamplingAnswer, usage: Usage, prompt: SamplingPrompt, present: Present, durationMs?: number, source = HOST): CallToolResult {
    const outcome = answer.truncated ? 'truncated' : 'ok';
    this.logLine(outcome, usage, prompt, source, durationMs, answer);
    const { content: shown, structuredContent } = present(answer);
    const { maxTokens } = this.setup.config;
    const notes = [
      answer.truncated && `Note: the answer is cut off at this server's limit of ${maxTokens} tokens (stopReason "maxTokens"). Raise SAMPLING_MAX_TOKENS for longer answers.`,
      (usage.estimatedOutputTokens ?? 0) > maxTokens && `Note: the host's answer is longer than the ${maxTokens} tokens asked for; it was charged as ${maxTokens}.`,
    ].filter((note) => note !== false);
    // A new array only when a note is added, so the presenter's own array is never changed.
    const content = notes.length > 0 ? [...shown, ...notes.map((text) => ({ type: 'text' as const, text }))] : shown;
    const sampling = this.meta(outcome, 'yes', usage, source, answer);
    return structuredContent === undefined ? { content, _meta: { sampling } } : { content, structuredContent, _meta: { sampling } };
  }

  protected fail(failure: SamplingFailure, usage: Usage, prompt: SamplingPrompt, durationMs?: number): CallToolResult {
    return this.failWith(failure.kind, describeFailure(failure), reachedModel(failure), usage, prompt, durationMs);
  }

  /** An error result for any outcome, including ones a subclass defines, with `_meta.sampling` and a log line. */
  protected failWith(outcome: string, text: string, reached: ReachedModel, usage: Usage, prompt: SamplingPrompt, durationMs?: number, source = HOST): CallToolResult {
    this.logLine(outcome, usage, prompt, source, durationMs);
    return { content: [{ type: 'text', text }], isError: true, _meta: { sampling: this.meta(outcome, reached, usage, source) } };
  }

  private meta(outcome: string, reached: ReachedModel, usage: Usage, source: AnswerSource, answer?: SamplingAnswer): Record<string, unknown> {
    const { config, budget } = this.setup;
    return {
      outcome,
      reachedModel: reached,
      ...source,
      ...(answer && { model: answer.model, stopReason: answer.stopReason ?? null }),
      ...usage,
      maxTokens: config.maxTokens,
      budgetRemainingTokens: budget.remaining,
      tool: this.toolName,
    };
  }

  /** One structured line per sampling call; prompts and answers only with LOG_SAMPLED_CONTENT=true. */
  private logLine(outcome: string, usage: Usage, prompt: SamplingPrompt, source = HOST, durationMs?: number, answer?: SamplingAnswer): void {
    const { config, budget, log } = this.setup;
    const record: LogRecord = {
      event: 'sampling',
      tool: this.toolName,
{{#if bothEras}}
      era: this.setup.era,
{{/if}}
      outcome,
      ...source,
      ...usage,
      maxTokens: config.maxTokens,
      model: answer?.model,
      stopReason: answer?.stopReason,
      durationMs: durationMs === undefined ? undefined : Math.round(durationMs),
      budgetRemainingTokens: budget.remaining,
    };
    if (config.logSampledContent) {
      record.prompt = prompt;
      record.answer = answer?.text;
    }
    log(record);
  }
}

/**
 * A person may take minutes to approve a request, and hosts abort a tool call after their own timeout
 * (60 s by default in the SDKs) unless progress arrives. One progress message is not enough for every
 * host, so this sends one per interval until the returned function is called.
 */
export function startHeartbeats(ctx: ToolContext, intervalMs: number, waitingFor: string): () => void {
  const progressToken = progressTokenOf(ctx);
  if (progressToken === undefined) return () => {};
  const startedAt = Date.now();
  let progress = 0;
  const timer = setInterval(() => {
    progress += 1;
    const message = `${waitingFor} (${Math.round((Date.now() - startedAt) / 1000)} s)`;
    sendProgress(ctx, progressToken, progress, message).catch(() => {
      // The connection is gone; the pending request fails with connection_lost on its own.
    });
  }, intervalMs);
  return () => clearInterval(timer);
}

function invalidReason(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'result'}: ${issue.message}` : 'malformed result';
}
