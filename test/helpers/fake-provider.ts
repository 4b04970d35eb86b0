/** A model provider on 127.0.0.1 speaking the OpenAI-compatible or the Anthropic wire format: the one stand-in these tests use. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderShape = 'openai' | 'anthropic';
/** How the next request is answered; once the script is used up, every request succeeds. */
export type Behaviour = 'ok' | 401 | 429;

export interface FakeProvider {
  baseUrl: string;
  requests: { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[];
  script(...behaviours: Behaviour[]): void;
  /** Milliseconds to wait before answering. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startFakeProvider(shape: ProviderShape, { answer = 'Hello from the fake provider.', model = 'fake-model-1' } = {}): Promise<FakeProvider> {
  const queue: Behaviour[] = [];
  const provider: FakeProvider = {
    baseUrl: '',
    requests: [],
    delayMs: 0,
    script: (...behaviours) => queue.push(...behaviours),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      provider.requests.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw || '{}') as Record<string, unknown> });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      const error = (message: string) => (shape === 'anthropic' ? { type: 'error', error: { type: 'error', message } } : { error: { message } });
      // Like a real server, only the real endpoint exists (a base URL without /v1 misses it).
      const endpoint = shape === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
      if (req.url !== endpoint) return res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      const behaviour = queue.shift() ?? 'ok';
      // Real providers echo part of a bad key back; this one echoes all of it.
      if (behaviour === 401) return send(401, error(`Incorrect API key provided: ${String(req.headers['x-api-key'] ?? req.headers.authorization)}`));
      if (behaviour === 429) return send(429, error('Rate limit reached'), { 'retry-after': '0' });
      const body =
        shape === 'anthropic'
          ? { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: answer }], stop_reason: 'end_turn', usage: { input_tokens: 12, output_tokens: 7 } }
          : { model, choices: [{ message: { role: 'assistant', content: answer }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 7 } };
      setTimeout(() => send(200, body), provider.delayMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  provider.baseUrl = shape === 'anthropic' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1`;
  return provider;
}
