import type { EnvReader } from '../config.js';
import type { ProviderKind, ProviderSettings } from './provider.js';

export const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
  'openai-compatible': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/**
 * One provider's settings from the environment, or undefined when none of its variables are set.
 *   - openai-compatible: OPENAI_BASE_URL and/or OPENAI_API_KEY, plus OPENAI_MODEL. A local model
 *     server needs only the base URL and the model.
 *   - anthropic: ANTHROPIC_API_KEY plus ANTHROPIC_MODEL; ANTHROPIC_BASE_URL for a proxy or a test server.
 * Both: PROVIDER_TIMEOUT_SECONDS (per attempt, default 60) and PROVIDER_MAX_RETRIES (after a 429 or 5xx, default 2).
 * No model is assumed: names change too often for a default to stay valid.
 */
export function providerSettings(kind: ProviderKind, read: EnvReader): ProviderSettings | undefined {
  const names =
    kind === 'anthropic'
      ? { key: 'ANTHROPIC_API_KEY', baseUrl: 'ANTHROPIC_BASE_URL', model: 'ANTHROPIC_MODEL' }
      : { key: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL', model: 'OPENAI_MODEL' };
  const apiKey = read.secret(names.key);
  // The hosted APIs always need a key; an OpenAI-compatible server elsewhere may not.
  const configured = kind === 'anthropic' ? apiKey !== undefined : apiKey !== undefined || read.isSet(names.baseUrl);
  if (!configured) return undefined;

  const baseUrl = read.url(names.baseUrl, DEFAULT_BASE_URLS[kind]);
  if (apiKey === undefined && baseUrl === DEFAULT_BASE_URLS[kind]) read.problems.push(`${names.key} must be set to use ${baseUrl}`);
  return {
    kind,
    baseUrl,
    model: read.required(names.model, `when ${names.key}${kind === 'anthropic' ? '' : ` or ${names.baseUrl}`} is set (the model to call)`),
    apiKey,
    timeoutMs: read.seconds('PROVIDER_TIMEOUT_SECONDS', 60),
    maxRetries: read.integer('PROVIDER_MAX_RETRIES', 2, { min: 0, max: 10 }),
  };
}
