import { anthropicShape } from './anthropic.js';
import { openAiShape } from './openai.js';

/**
 * Calls a model provider's HTTP API directly: the server falls back to it when the connected client
 * cannot sample. Built on Node's own `fetch`: two small JSON requests need no provider SDK.
 */
export type ProviderKind = 'openai-compatible' | 'anthropic';

export interface ProviderSettings {
  kind: ProviderKind;
  /** API root without the endpoint path, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  /** Secret. Sent only in the request header; never logged and never part of an error message. */
  apiKey: string | undefined;
  /** Per attempt, including reading the response. */
  timeoutMs: number;
  /** Further attempts after a 429 or 5xx answer. */
  maxRetries: number;
}

export interface CompletionMessage {
  role: 'user' | 'assistant';
  text: string;
}

export interface CompletionRequest {
  systemPrompt?: string;
  messages: CompletionMessage[];
  maxTokens: number;
  temperature?: number;
  stopSequences?: string[];
}

/** MCP's `stopReason` values, plus whatever else a provider reports, passed through. */
export type StopReason = 'endTurn' | 'maxTokens' | 'stopSequence' | (string & {});

export interface Completion {
  text: string;
  model: string;
  stopReason: StopReason | undefined;
  /** Real token counts, when the provider reports them. */
  usage?: { inputTokens: number; outputTokens: number };
}

/** One provider's wire format. */
export interface ProviderShape {
  endpoint(baseUrl: string): string;
  headers(apiKey: string | undefined): Record<string, string>;
  body(model: string, request: CompletionRequest): unknown;
  /** Returns undefined when the body is not a completion this shape understands. */
  parse(body: unknown): Completion | undefined;
}

export const SHAPES: Record<ProviderKind, ProviderShape> = {
  'openai-compatible': openAiShape,
  anthropic: anthropicShape,
};

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  'openai-compatible': 'OpenAI-compatible endpoint',
  anthropic: 'Anthropic API',
};

export type ProviderFailure =
  /** 401/403: the key is missing, wrong or lacks access. Not retried. */
  | 'auth'
  /** No HTTP answer at all: wrong URL, nothing listening, DNS, TLS. */
  | 'unreachable'
  /** Still 429 after every retry. */
  | 'rate_limited'
  | 'timeout'
  /** 5xx after every retry, any other status, or a body that is not a completion. */
  | 'provider_error';

/** A failed provider call. The message is written for the user and never contains the key. */
export class ProviderError extends Error {
  constructor(
    readonly failure: ProviderFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  /** Whether the prompt may have reached the model: the server needs this to judge cost and privacy. */
  get reachedModel(): 'no' | 'unknown' {
    return this.failure === 'auth' || this.failure === 'unreachable' || this.failure === 'rate_limited' ? 'no' : 'unknown';
  }
}

export interface CompleteOptions {
  /** Aborts the call, including a backoff wait; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** First backoff delay; it doubles per retry unless the provider sends Retry-After. */
  retryBaseMs?: number;
  /** Called before each retry, e.g. to show progress. */
  onRetry?: (info: { attempt: number; status: number; delayMs: number }) => void;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

/** What a base URL should look like, said when the endpoint under it does not exist. */
const BASE_URL_SHAPES: Record<ProviderKind, string> = {
  'openai-compatible': 'OPENAI_BASE_URL is the API root that /chat/completions goes under, usually ending in /v1: https://api.openai.com/v1, or http://127.0.0.1:11434/v1 for Ollama.',
  anthropic: 'ANTHROPIC_BASE_URL is the API root that /v1/messages goes under, without /v1: https://api.anthropic.com.',
};
/** A Retry-After longer than this is not worth waiting for inside one tool call. */
const MAX_RETRY_AFTER_MS = 60_000;

export async function complete(settings: ProviderSettings, request: CompletionRequest, options: CompleteOptions = {}): Promise<Completion> {
  const shape = SHAPES[settings.kind];
  const url = shape.endpoint(settings.baseUrl);
  const label = PROVIDER_LABELS[settings.kind];
  const retryBaseMs = options.retryBaseMs ?? 500;
  const redact = (text: string) => (settings.apiKey ? text.split(settings.apiKey).join('[redacted]') : text);

  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...shape.headers(settings.apiKey) },
        body: JSON.stringify(shape.body(settings.model, request)),
        signal,
      });
      const text = await response.text();
      body = parseJson(text);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) {
        throw new ProviderError('timeout', `The ${label} did not answer within ${settings.timeoutMs / 1000} seconds (PROVIDER_TIMEOUT_SECONDS).`);
      }
      throw new ProviderError('unreachable', `Could not reach the ${label} at ${url} (${networkReason(error)}). Check the base URL and that the server is running.`);
    }

    if (response.ok) {
      const completion = shape.parse(body);
      if (!completion) throw new ProviderError('provider_error', `The ${label} answered with something that is not a completion.`, response.status);
      return completion;
    }

    const status = response.status;
    if (status === 401 || status === 403) {
      // The provider's own text is left out: some echo part of the key back.
      throw new ProviderError('auth', `The ${label} refused the API key (HTTP ${status}). Check the key and that it may use model ${JSON.stringify(settings.model)}.`, status);
    }
    if (RETRYABLE(status) && attempt <= settings.maxRetries) {
      const delayMs = retryDelay(response.headers.get('retry-after'), retryBaseMs * 2 ** (attempt - 1));
      if (delayMs !== undefined) {
        options.onRetry?.({ attempt, status, delayMs });
        await sleep(delayMs, options.signal);
        continue;
      }
    }
    const detail = errorMessageOf(body);
    const said = detail ? `: ${redact(detail).slice(0, 300)}` : '';
    const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
    if (status === 429) {
      throw new ProviderError('rate_limited', `The ${label} is rate limiting this key (HTTP 429${tries})${said}. Wait and try again.`, status);
    }
    if (status === 404) {
      throw new ProviderError('provider_error', `The ${label} has nothing at ${url} (HTTP 404)${said}. ${BASE_URL_SHAPES[settings.kind]}`, status);
    }
    throw new ProviderError('provider_error', `The ${label} failed the request (HTTP ${status}${tries})${said}.`, status);
  }
}

/** Retry-After in seconds or as an HTTP date; else exponential backoff with jitter. Undefined: too long to wait. */
function retryDelay(retryAfter: string | null, backoffMs: number): number | undefined {
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (!Number.isNaN(ms)) return ms > MAX_RETRY_AFTER_MS ? undefined : Math.max(0, ms);
  }
  return Math.round(backoffMs * (1 + Math.random() * 0.25));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** The provider's own error text: both the OpenAI-compatible and the Anthropic APIs put it at `error.message`. */
function errorMessageOf(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : undefined;
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
