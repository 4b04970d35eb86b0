import { createServer } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { EnvReader } from '../src/config.js';
import { complete, ProviderError, type ProviderKind } from '../src/providers/provider.js';
import { providerSettings } from '../src/providers/settings.js';
import { FAKE_KEY, FAKE_MODEL, FAKE_USAGE, startFakeProvider, type FakeProvider } from './fake-provider.js';

const KINDS: ProviderKind[] = ['openai-compatible', 'anthropic'];
const REQUEST = { systemPrompt: 'Be brief.', messages: [{ role: 'user' as const, text: 'Say hello.' }], maxTokens: 64 };
/** Backoff in milliseconds instead of seconds, so retries do not slow the suite. */
const FAST = { retryBaseMs: 1 };

let fake: FakeProvider | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as Error).message).not.toContain(FAKE_KEY);
  return error as ProviderError;
}

describe.each(KINDS)('%s provider', (kind) => {
  it("sends the request in the provider's shape and maps the answer, stop reason and usage", async () => {
    fake = await startFakeProvider(kind);
    const completion = await complete(fake.settings(), REQUEST);

    expect(completion).toEqual({ text: 'Hello from the fake provider.', model: FAKE_MODEL, stopReason: 'endTurn', usage: FAKE_USAGE });
    const [request] = fake.requests;
    if (kind === 'anthropic') {
      expect(request?.path).toBe('/v1/messages');
      expect(request?.headers['x-api-key']).toBe(FAKE_KEY);
      expect(request?.headers['anthropic-version']).toBe('2023-06-01');
      expect(request?.body).toEqual({ model: FAKE_MODEL, max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'Say hello.' }] });
    } else {
      expect(request?.path).toBe('/v1/chat/completions');
      expect(request?.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
      expect(request?.body).toEqual({
        model: FAKE_MODEL,
        max_tokens: 64,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Say hello.' },
        ],
      });
    }
  });

  it('maps a cut-off answer to stopReason maxTokens', async () => {
    fake = await startFakeProvider(kind);
    fake.script('truncated');
    expect((await complete(fake.settings(), REQUEST)).stopReason).toBe('maxTokens');
  });

  it('reports a refused key once, without retrying and without echoing the key', async () => {
    fake = await startFakeProvider(kind);
    fake.script(401);
    const error = await failure(complete(fake.settings(), REQUEST, FAST));

    expect(error).toMatchObject({ failure: 'auth', status: 401, reachedModel: 'no' });
    expect(error.message).toContain('refused the API key');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 429 and succeeds, honouring Retry-After', async () => {
    fake = await startFakeProvider(kind);
    fake.script(429);
    const retries: number[] = [];
    const completion = await complete(fake.settings(), REQUEST, { ...FAST, onRetry: ({ status }) => retries.push(status) });

    expect(completion.text).toBe('Hello from the fake provider.');
    expect(retries).toEqual([429]);
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up on a rate limit that outlasts the retries', async () => {
    fake = await startFakeProvider(kind);
    fake.script(429, 429, 429);
    const error = await failure(complete(fake.settings({ maxRetries: 2 }), REQUEST, FAST));

    expect(error).toMatchObject({ failure: 'rate_limited', status: 429 });
    expect(error.message).toContain('after 3 attempts');
    expect(fake.requests).toHaveLength(3);
  });

  it('retries a 500 with backoff, then reports the provider error with its message', async () => {
    fake = await startFakeProvider(kind);
    fake.script(500, 500);
    const error = await failure(complete(fake.settings({ maxRetries: 1 }), REQUEST, FAST));

    expect(error).toMatchObject({ failure: 'provider_error', status: 500, reachedModel: 'unknown' });
    expect(error.message).toMatch(/HTTP 500 after 2 attempts\): The server had an error/);
    expect(fake.requests).toHaveLength(2);
  });

  it('recovers when a 500 is followed by success', async () => {
    fake = await startFakeProvider(kind);
    fake.script(500);
    expect((await complete(fake.settings(), REQUEST, FAST)).text).toBe('Hello from the fake provider.');
  });

  it('times out a slow answer', async () => {
    fake = await startFakeProvider(kind);
    fake.script('slow');
    const error = await failure(complete(fake.settings({ timeoutMs: 100, maxRetries: 0 }), REQUEST));

    expect(error).toMatchObject({ failure: 'timeout' });
    expect(error.message).toContain('PROVIDER_TIMEOUT_SECONDS');
  });

  it('reports an endpoint nobody listens on as unreachable', async () => {
    const port = await closedPort();
    const settings = { kind, baseUrl: `http://127.0.0.1:${port}`, model: FAKE_MODEL, apiKey: FAKE_KEY, timeoutMs: 1_000, maxRetries: 2 };
    const error = await failure(complete(settings, REQUEST, FAST));

    expect(error).toMatchObject({ failure: 'unreachable', reachedModel: 'no' });
    expect(error.message).toMatch(/Could not reach .* \(ECONNREFUSED\)/);
  });

  it('stops when the caller aborts, with the caller\'s reason', async () => {
    fake = await startFakeProvider(kind);
    fake.script('slow');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 50);

    await expect(complete(fake.settings(), REQUEST, { signal: controller.signal })).rejects.toThrow('stop');
  });
});

describe('provider settings from the environment', () => {
  const read = (env: Record<string, string>) => {
    const problems: string[] = [];
    return { problems, openai: providerSettings('openai-compatible', new EnvReader(env, problems)), anthropic: providerSettings('anthropic', new EnvReader(env, problems)) };
  };

  it('configures nothing when no provider variable is set', () => {
    expect(read({})).toEqual({ problems: [], openai: undefined, anthropic: undefined });
  });

  it('accepts a local OpenAI-compatible server without a key', () => {
    const { problems, openai } = read({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.2' });
    expect(problems).toEqual([]);
    expect(openai).toMatchObject({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', apiKey: undefined, timeoutMs: 60_000, maxRetries: 2 });
  });

  it('names every missing or invalid variable and never the key', () => {
    const { problems } = read({
      ANTHROPIC_API_KEY: FAKE_KEY,
      OPENAI_BASE_URL: 'ftp://example.com',
      PROVIDER_TIMEOUT_SECONDS: 'soon',
      PROVIDER_MAX_RETRIES: '50',
    });
    expect(problems.join('\n')).toMatch(/OPENAI_BASE_URL must be an http/);
    expect(problems.join('\n')).toMatch(/OPENAI_MODEL must be set/);
    expect(problems.join('\n')).toMatch(/ANTHROPIC_MODEL must be set/);
    expect(problems.join('\n')).toMatch(/PROVIDER_TIMEOUT_SECONDS must be a positive number/);
    expect(problems.join('\n')).toMatch(/PROVIDER_MAX_RETRIES must be a whole number from 0 to 10/);
    expect(problems.join('\n')).not.toContain(FAKE_KEY);
  });

  it('needs a key for the hosted OpenAI API', () => {
    const { problems } = read({ OPENAI_BASE_URL: 'https://api.openai.com/v1', OPENAI_MODEL: 'gpt-x' });
    expect(problems).toEqual(['OPENAI_API_KEY must be set to use https://api.openai.com/v1']);
  });
});

/** A port that was free a moment ago and has nothing listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
