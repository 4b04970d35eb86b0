/**
 * Answering an approved sampling request with a real model: the OpenAI-compatible `/chat/completions` and
 * the Anthropic Messages APIs, called with Node's own fetch. The key is sent only in a request header: it is
 * never printed, and it is cut out of any provider text that ends up in an error message.
 */
export type ProviderKind = 'openai-compatible' | 'anthropic';

export interface ProviderSettings {
  kind: ProviderKind;
  /** API root without the endpoint path, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  /** Per attempt, reading the answer included. */
  timeoutMs: number;
  /** Further attempts after a 429 or 5xx answer. */
  maxRetries: number;
}

export interface CompletionRequest {
  systemPrompt: string | undefined;
  messages: { role: 'user' | 'assistant'; text: string }[];
  maxTokens: number;
  temperature: number | undefined;
  stopSequences: string[] | undefined;
}

export interface Completion {
  text: string;
  model: string;
  /** MCP's stop reasons (`endTurn`, `maxTokens`, `stopSequence`), or the provider's own word for others. */
  stopReason: string | undefined;
  usage?: { inputTokens: number; outputTokens: number };
}

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  'openai-compatible': 'OpenAI-compatible endpoint',
  anthropic: 'Anthropic API',
};

const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
  'openai-compatible': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/** A failed provider call; the message is written for a person and never holds the key. */
export class ProviderError extends Error {
  override name = 'ProviderError';
}

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

interface WireFormat {
  endpoint(baseUrl: string): string;
  headers(apiKey: string | undefined): Record<string, string>;
  body(model: string, request: CompletionRequest): unknown;
  /** Undefined when the body is not a completion in this format. */
  parse(body: unknown): Completion | undefined;
}

const OPENAI_STOP_REASONS: Record<string, string> = { stop: 'endTurn', length: 'maxTokens' };
const ANTHROPIC_STOP_REASONS: Record<string, string> = { end_turn: 'endTurn', max_tokens: 'maxTokens', stop_sequence: 'stopSequence' };

const WIRE_FORMATS: Record<ProviderKind, WireFormat> = {
  'openai-compatible': {
    endpoint: (baseUrl) => `${baseUrl.replace(/\/+$/, '')}/chat/completions`,
    headers: (apiKey): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    body: (model, request) => ({
      model,
      messages: [
        ...(request.systemPrompt === undefined ? [] : [{ role: 'system', content: request.systemPrompt }]),
        ...request.messages.map((message) => ({ role: message.role, content: message.text })),
      ],
      max_tokens: request.maxTokens,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.stopSequences?.length ? { stop: request.stopSequences } : {}),
    }),
    parse: (body) => {
      const response = body as { model?: unknown; choices?: { message?: { content?: unknown }; finish_reason?: string | null }[]; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | undefined;
      const choice = response?.choices?.[0];
      const text = choice?.message?.content;
      if (typeof text !== 'string' || typeof response?.model !== 'string') return undefined;
      const reason = choice?.finish_reason ?? undefined;
      const usage = response.usage;
      return {
        text,
        model: response.model,
        stopReason: reason === undefined ? undefined : (OPENAI_STOP_REASONS[reason] ?? reason),
        ...(typeof usage?.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number'
          ? { usage: { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } }
          : {}),
      };
    },
  },
  anthropic: {
    endpoint: (baseUrl) => `${baseUrl.replace(/\/+$/, '')}/v1/messages`,
    headers: (apiKey) => ({ 'anthropic-version': '2023-06-01', ...(apiKey ? { 'x-api-key': apiKey } : {}) }),
    body: (model, request) => ({
      model,
      max_tokens: request.maxTokens,
      ...(request.systemPrompt === undefined ? {} : { system: request.systemPrompt }),
      messages: request.messages.map((message) => ({ role: message.role, content: message.text })),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.stopSequences?.length ? { stop_sequences: request.stopSequences } : {}),
    }),
    parse: (body) => {
      const response = body as { model?: unknown; content?: { type?: string; text?: string }[]; stop_reason?: string | null; usage?: { input_tokens?: unknown; output_tokens?: unknown } } | undefined;
      if (!Array.isArray(response?.content) || typeof response.model !== 'string') return undefined;
      // Several text blocks can come back; together they are the answer.
      const text = response.content.filter((block) => block.type === 'text' && typeof block.text === 'string').map((block) => block.text).join('');
      const reason = response.stop_reason ?? undefined;
      const usage = response.usage;
      return {
        text,
        model: response.model,
        stopReason: reason === undefined ? undefined : (ANTHROPIC_STOP_REASONS[reason] ?? reason),
        ...(typeof usage?.input_tokens === 'number' && typeof usage.output_tokens === 'number'
          ? { usage: { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens } }
          : {}),
      };
    },
  },
};

/** What a base URL should look like, said when the endpoint under it does not exist. */
const BASE_URL_SHAPES: Record<ProviderKind, string> = {
  'openai-compatible': 'OPENAI_BASE_URL is the API root that /chat/completions goes under, usually ending in /v1: https://api.openai.com/v1, or http://127.0.0.1:11434/v1 for Ollama.',
  anthropic: 'ANTHROPIC_BASE_URL is the API root that /v1/messages goes under, without /v1: https://api.anthropic.com.',
};

/** A Retry-After longer than this is not worth waiting for while a person watches. */
const MAX_RETRY_AFTER_MS = 60_000;

export interface CompleteOptions {
  /** Aborts the call, a backoff wait included; the promise then rejects with the signal's reason. */
  signal: AbortSignal;
  /** Called before each retry, to say why the wait goes on. */
  onRetry?: (info: { status: number; delayMs: number }) => void;
  /** First backoff delay; doubles per retry unless the provider sends Retry-After. */
  retryBaseMs?: number;
}

export async function complete(settings: ProviderSettings, request: CompletionRequest, options: CompleteOptions): Promise<Completion> {
  const format = WIRE_FORMATS[settings.kind];
  const url = format.endpoint(settings.baseUrl);
  const label = PROVIDER_LABELS[settings.kind];
  const redact = (text: string) => (settings.apiKey ? text.split(settings.apiKey).join('[redacted]') : text);

  for (let attempt = 1; ; attempt++) {
    options.signal.throwIfAborted();
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...format.headers(settings.apiKey) },
        body: JSON.stringify(format.body(settings.model, request)),
        signal: AbortSignal.any([options.signal, timeout]),
      });
      body = parseJson(await response.text());
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      if (timeout.aborted) throw new ProviderError(`The ${label} did not answer within ${settings.timeoutMs / 1000} seconds (PROVIDER_TIMEOUT_SECONDS).`);
      throw new ProviderError(`Could not reach the ${label} at ${url} (${networkReason(error)}). Check the base URL and that the server is running.`);
    }

    if (response.ok) {
      const completion = format.parse(body);
      if (!completion) throw new ProviderError(`The ${label} answered with something that is not a completion.`);
      return completion;
    }
    const status = response.status;
    if (status === 401 || status === 403) {
      // The provider's own text is left out: some echo part of the key back.
      throw new ProviderError(`The ${label} refused the API key (HTTP ${status}). Check the key and that it may use model ${JSON.stringify(settings.model)}.`);
    }
    if ((status === 429 || status >= 500) && attempt <= settings.maxRetries) {
      const delayMs = retryDelay(response.headers.get('retry-after'), (options.retryBaseMs ?? 500) * 2 ** (attempt - 1));
      if (delayMs !== undefined) {
        options.onRetry?.({ status, delayMs });
        await sleep(delayMs, options.signal);
        continue;
      }
    }
    const detail = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
    const said = typeof detail === 'string' ? `: ${redact(detail).slice(0, 300)}` : '';
    const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
    if (status === 429) throw new ProviderError(`The ${label} is rate limiting this key (HTTP 429${tries})${said}. Wait and try again.`);
    if (status === 404) throw new ProviderError(`The ${label} has nothing at ${url} (HTTP 404)${said}. ${BASE_URL_SHAPES[settings.kind]}`);
    throw new ProviderError(`The ${label} failed the request (HTTP ${status}${tries})${said}.`);
  }
}

/** Retry-After in seconds or as an HTTP date, else exponential backoff with jitter; undefined when too long to wait. */
function retryDelay(retryAfter: string | null, backoffMs: number): number | undefined {
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (!Number.isNaN(ms)) return ms > MAX_RETRY_AFTER_MS ? undefined : Math.max(0, ms);
  }
  return Math.round(backoffMs * (1 + Math.random() * 0.25));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch wraps the system error (ECONNREFUSED, ENOTFOUND, ...) as its cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}
