/**
 * Answering an approved sampling request with a real model. The calls themselves (the OpenAI-compatible
 * `/chat/completions` and the Anthropic Messages APIs over fetch, timeouts, retries, the key never printed)
 * are the module a project generated with --fallback gets, bundled from the template: one implementation.
 * (Those template files therefore hold no template expressions.) Reading the settings from the environment
 * is the host's own.
 */
import type { ProviderKind, ProviderSettings } from '../../templates/common/src/providers/provider.js';

export { complete, PROVIDER_LABELS, ProviderError } from '../../templates/common/src/providers/provider.js';
export type { Completion, CompletionRequest, ProviderKind, ProviderSettings } from '../../templates/common/src/providers/provider.js';

const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
  'openai-compatible': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/**
 * One provider's settings from the environment, undefined when none of its variables are set, or the list
 * of problems with them. OpenAI-compatible: OPENAI_BASE_URL and/or OPENAI_API_KEY, plus OPENAI_MODEL (a
 * local model server needs no key). Anthropic: ANTHROPIC_API_KEY plus ANTHROPIC_MODEL (ANTHROPIC_BASE_URL
 * for a proxy). Both: PROVIDER_TIMEOUT_SECONDS (default 60) and PROVIDER_MAX_RETRIES (default 2).
 */
export function providerSettingsFromEnv(kind: ProviderKind, env: NodeJS.ProcessEnv): ProviderSettings | { problems: string[] } | undefined {
  const names =
    kind === 'anthropic'
      ? { key: 'ANTHROPIC_API_KEY', baseUrl: 'ANTHROPIC_BASE_URL', model: 'ANTHROPIC_MODEL' }
      : { key: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL', model: 'OPENAI_MODEL' };
  const read = (name: string) => (env[name]?.trim() ? env[name].trim() : undefined);
  const apiKey = read(names.key);
  const configured = kind === 'anthropic' ? apiKey !== undefined : apiKey !== undefined || read(names.baseUrl) !== undefined;
  if (!configured) return undefined;

  const problems: string[] = [];
  const baseUrl = read(names.baseUrl) ?? DEFAULT_BASE_URLS[kind];
  if (!/^https?:\/\//.test(baseUrl) || !URL.canParse(baseUrl)) problems.push(`${names.baseUrl} must be an http(s) URL (got ${JSON.stringify(baseUrl)})`);
  if (apiKey === undefined && baseUrl === DEFAULT_BASE_URLS[kind]) problems.push(`${names.key} must be set to use ${baseUrl}`);
  const model = read(names.model);
  if (model === undefined) problems.push(`${names.model} must be set (the model to call)`);
  const timeoutSeconds = Number(read('PROVIDER_TIMEOUT_SECONDS') ?? 60);
  if (!(timeoutSeconds > 0)) problems.push(`PROVIDER_TIMEOUT_SECONDS must be a positive number of seconds (got ${JSON.stringify(env.PROVIDER_TIMEOUT_SECONDS)})`);
  const maxRetries = Number(read('PROVIDER_MAX_RETRIES') ?? 2);
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) problems.push(`PROVIDER_MAX_RETRIES must be a whole number from 0 to 10 (got ${JSON.stringify(env.PROVIDER_MAX_RETRIES)})`);
  if (problems.length > 0 || model === undefined) return { problems };
  return { kind, baseUrl, model, apiKey, timeoutMs: timeoutSeconds * 1000, maxRetries };
}
