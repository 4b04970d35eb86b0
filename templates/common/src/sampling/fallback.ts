import { complete, ProviderError, type ProviderFailure } from '../providers/provider.js';
import type { CallToolResult, ToolContext } from '../sdk.js';
import { describeFailure } from './outcomes.js';
import { callSignal } from './protocol.js';
import { Sampler, startHeartbeats, type Present, type SamplingPrompt, type Usage } from './sampler.js';
import { estimateTokens } from './tokens.js';

/** The outcome each provider failure is reported as, in `_meta.sampling.outcome` and the log. */
const OUTCOMES = {
  auth: 'provider_auth',
  unreachable: 'provider_unreachable',
  rate_limited: 'provider_rate_limited',
  timeout: 'provider_timeout',
  provider_error: 'provider_error',
} as const satisfies Record<ProviderFailure, string>;

const HOW_TO_ENABLE =
{{#if (eq fallback "anthropic")}}
  'To let the server call a model directly, set ANTHROPIC_API_KEY and ANTHROPIC_MODEL.';
{{else}}
  'To let the server call a model directly, set OPENAI_MODEL and OPENAI_BASE_URL and/or OPENAI_API_KEY.';
{{/if}}

/**
 * The spec's migration path for clients that cannot sample: the same prompt, sent straight to the
 * configured model provider with this server's own key (see COSTS.md: this is billed to you). The
 * same input limit and token budget apply; retries and timeouts live in src/providers/.
 */
export class FallbackSampler extends Sampler {
  protected override async cannotSample(ctx: ToolContext, prompt: SamplingPrompt, usage: Usage, present: Present): Promise<CallToolResult> {
    const settings = this.setup.config.fallback;
    if (!settings) return this.failWith('unsupported', `${describeFailure({ kind: 'unsupported' })} ${HOW_TO_ENABLE}`, 'no', usage, prompt);

    const admitted = await this.admit(prompt, usage);
    if ('refused' in admitted) return admitted.refused;
    const { reservation, worstCase } = admitted;
    const source = { source: 'fallback', provider: settings.kind };
    const signal = callSignal(ctx);
    const startedAt = performance.now();
    // Retries with backoff can outlast a host's 60-second tool-call timeout: keep the call alive with progress.
    const stopHeartbeats = startHeartbeats(ctx, this.setup.config.heartbeatIntervalMs, 'Waiting for the fallback model provider');
    try {
      const messages = [{ role: 'user' as const, text: prompt.userMessage }];
      const completion = await complete(settings, { systemPrompt: prompt.systemPrompt, messages, maxTokens: this.setup.config.maxTokens }, { signal });
      usage.estimatedOutputTokens = estimateTokens(completion.text);
      // The provider reports what the call really used: charge that rather than the estimate.
      const { usage: reported } = completion;
      reservation.settle(reported ? reported.inputTokens + reported.outputTokens : usage.estimatedInputTokens + usage.estimatedOutputTokens);
      const answer = { text: completion.text, model: completion.model, stopReason: completion.stopReason, truncated: completion.stopReason === 'maxTokens' };
      return this.succeed(answer, usage, prompt, present, performance.now() - startedAt, { ...source, ...reported });
    } catch (error) {
      const durationMs = performance.now() - startedAt;
      if (signal.aborted) {
        reservation.settle(worstCase);
        return this.failWith('cancelled', describeFailure({ kind: 'cancelled' }), 'unknown', usage, prompt, durationMs, source);
      }
      if (!(error instanceof ProviderError)) {
        reservation.settle(worstCase);
        throw error;
      }
      // When a model may have run, count the worst case: the provider reported no usage.
      if (error.reachedModel === 'no') reservation.release();
      else reservation.settle(worstCase);
      const text = `This client cannot sample, so the server called its fallback model provider directly, and that failed. ${error.message}`;
      return this.failWith(OUTCOMES[error.failure], text, error.reachedModel, usage, prompt, durationMs, source);
    } finally {
      stopHeartbeats();
    }
  }
}
