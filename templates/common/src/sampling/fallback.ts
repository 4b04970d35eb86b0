import { complete, ProviderError, type ProviderFailure, type ProviderSettings } from '../providers/provider.js';
import type { SamplingFailure } from './outcomes.js';
import type { SamplingAnswer, SamplingPrompt } from './sampler.js';

/** Token counts the provider reported for the call. */
export interface ProviderUsage {
  inputTokens: number;
  outputTokens: number;
}

export type FallbackOutcome = { answer: SamplingAnswer; usage: ProviderUsage | undefined } | { failure: SamplingFailure };

const OUTCOMES = {
  auth: 'provider_auth',
  unreachable: 'provider_unreachable',
  rate_limited: 'provider_rate_limited',
  timeout: 'provider_timeout',
  provider_error: 'provider_error',
} as const satisfies Record<ProviderFailure, SamplingFailure['kind']>;

/**
 * The spec's migration path for clients that cannot sample: the same prompt, sent straight to the
 * configured provider with this server's own key. Retries and timeouts live in the provider module.
 */
export async function sampleFromProvider(
  settings: ProviderSettings,
  prompt: SamplingPrompt,
  maxTokens: number,
  signal: AbortSignal,
): Promise<FallbackOutcome> {
  try {
    const completion = await complete(
      settings,
      {
        ...(prompt.systemPrompt === undefined ? {} : { systemPrompt: prompt.systemPrompt }),
        messages: [{ role: 'user', text: prompt.userMessage }],
        maxTokens,
      },
      { signal },
    );
    return {
      answer: {
        text: completion.text,
        model: completion.model,
        stopReason: completion.stopReason,
        truncated: completion.stopReason === 'maxTokens',
      },
      usage: completion.usage,
    };
  } catch (error) {
    if (signal.aborted) return { failure: { kind: 'cancelled' } };
    if (error instanceof ProviderError) {
      return { failure: { kind: OUTCOMES[error.failure], message: error.message, reachedModel: error.reachedModel } };
    }
    throw error;
  }
}
