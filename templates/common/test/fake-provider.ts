import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ProviderKind, ProviderSettings } from '../src/providers/provider.js';

/** A key that must never show up in a result, a log line or an error message. */
export const FAKE_KEY = 'sk-test-DO-NOT-LEAK-4f7c2a';
export const FAKE_MODEL = 'fake-model-1';
/** Token counts every successful fake answer reports. */
export const FAKE_USAGE = { inputTokens: 12, outputTokens: 7 };

/** How the fake answers one request: a completion, an error status, a completion cut at max tokens, or too slowly. */
export type Behaviour = 'ok' | 'truncated' | 'slow' | 401 | 429 | 500;

export interface FakeProvider {
  kind: ProviderKind;
  /** The base URL a client is configured with (OpenAI-style bases end in /v1). */
  baseUrl: string;
  requests: { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[];
  /** Behaviours for the next requests, in order; once used up, every request succeeds. */
  script(...behaviours: Behaviour[]): void;
  settings(overrides?: Partial<ProviderSettings>): ProviderSettings;
  close(): Promise<void>;
}

/** A local HTTP server speaking one provider's wire format, on 127.0.0.1 and a free port. */
export async function startFakeProvider(kind: ProviderKind, { answer = 'Hello from the fake provider.', slowMs = 2_000 } = {}): Promise<FakeProvider> {
  const queue: Behaviour[] = [];
  const requests: FakeProvider['requests'] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw || '{}') as Record<string, unknown> });
      const behaviour = queue.shift() ?? 'ok';
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      // Real providers echo part of a bad key back; this one echoes all of it.
      const error = (message: string) => (kind === 'anthropic' ? { type: 'error', error: { type: 'error', message } } : { error: { message } });
      switch (behaviour) {
        case 401:
          return send(401, error(`Incorrect API key provided: ${String(req.headers['x-api-key'] ?? req.headers.authorization)}`));
        case 429:
          return send(429, error('Rate limit reached'), { 'retry-after': '0' });
        case 500:
          return send(500, error('The server had an error while processing your request'));
        case 'slow':
          return void setTimeout(() => send(200, success(kind, answer, false)), slowMs).unref();
        default:
          return send(200, success(kind, answer, behaviour === 'truncated'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = kind === 'anthropic' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1`;

  return {
    kind,
    baseUrl,
    requests,
    script: (...behaviours) => queue.push(...behaviours),
    settings: (overrides = {}) => ({ kind, baseUrl, model: FAKE_MODEL, apiKey: FAKE_KEY, timeoutMs: 1_000, maxRetries: 2, ...overrides }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function success(kind: ProviderKind, text: string, truncated: boolean): unknown {
  if (kind === 'anthropic') {
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: FAKE_MODEL,
      content: [{ type: 'text', text }],
      stop_reason: truncated ? 'max_tokens' : 'end_turn',
      usage: { input_tokens: FAKE_USAGE.inputTokens, output_tokens: FAKE_USAGE.outputTokens },
    };
  }
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    model: FAKE_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: truncated ? 'length' : 'stop' }],
    usage: { prompt_tokens: FAKE_USAGE.inputTokens, completion_tokens: FAKE_USAGE.outputTokens, total_tokens: 19 },
  };
}
