import { afterEach, describe, expect, it, vi } from 'vitest';

import { ConfigError, loadConfig } from '../src/config.js';
import type { ProviderKind } from '../src/providers/provider.js';
import { FAKE_KEY, FAKE_MODEL, FAKE_USAGE, startFakeProvider, type FakeProvider } from './fake-provider.js';
import { callTool, connect, ERAS, type Harness, hostError, samplingMeta, testConfig, textOf, TOOL_NAME, toolArguments } from './harness.js';

/** The provider this project was generated with (--fallback). */
const KIND: ProviderKind = {{ts fallback}};

let harness: Harness | undefined;
let fake: FakeProvider | undefined;
afterEach(async () => {
  await harness?.close();
  await fake?.close();
  harness = fake = undefined;
});

/** A client that cannot sample, and a server whose fallback points at the fake provider. */
async function connectWithFallback(era: (typeof ERAS)[number], overrides: Parameters<FakeProvider['settings']>[0] = {}) {
  fake = await startFakeProvider(KIND);
  harness = await connect({ era, sampling: null, config: testConfig({ fallback: fake.settings({ maxRetries: 1, ...overrides }), logSampledContent: true }) });
  return { fake, harness };
}

describe.each(ERAS)('fallback provider on a %s-era connection', (era) => {
  it('answers from the provider when the client cannot sample, charging the real usage', async () => {
    const { fake, harness } = await connectWithFallback(era);
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('Hello from the fake provider.');
    expect(samplingMeta(result)).toMatchObject({
      outcome: 'ok',
      source: 'fallback',
      provider: KIND,
      model: FAKE_MODEL,
      stopReason: 'endTurn',
      ...FAKE_USAGE,
    });
    expect(harness.budget.used).toBe(FAKE_USAGE.inputTokens + FAKE_USAGE.outputTokens);
    expect(harness.samplingRequests()).toBe(0);
    expect(fake.requests).toHaveLength(1);
    expect(harness.samplingLogs().at(-1)).toMatchObject({ outcome: 'ok', source: 'fallback', tool: TOOL_NAME });
  });

  it('reports a refused key clearly, charges nothing and never shows the key', async () => {
    const { fake, harness } = await connectWithFallback(era);
    fake.script(401);
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBe(true);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'provider_auth', reachedModel: 'no', source: 'fallback' });
    expect(textOf(result)).toMatch(/cannot sample.*refused the API key \(HTTP 401\)/s);
    expect(harness.budget.used).toBe(0);
    // Logging sampled content is on here: even then the key appears nowhere.
    expect(JSON.stringify(result)).not.toContain(FAKE_KEY);
    expect(JSON.stringify(harness.logs)).not.toContain(FAKE_KEY);
  });

  it('retries a rate limit and then answers', async () => {
    const { fake, harness } = await connectWithFallback(era);
    fake.script(429);
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(samplingMeta(result)).toMatchObject({ outcome: 'ok', source: 'fallback' });
    expect(fake.requests).toHaveLength(2);
  });

  it('reports a provider that keeps failing, charging the worst case since a model may have run', async () => {
    const { fake, harness } = await connectWithFallback(era);
    fake.script(500, 500);
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBe(true);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'provider_error', reachedModel: 'unknown' });
    expect(textOf(result)).toContain('HTTP 500 after 2 attempts');
    expect(harness.budget.used).toBe((samplingMeta(result).estimatedInputTokens as number) + testConfig().maxTokens);
  });

  it('reports a provider too slow to answer as a timeout', async () => {
    const { fake, harness } = await connectWithFallback(era, { timeoutMs: 100, maxRetries: 0 });
    fake.script('slow');
    expect(samplingMeta(await callTool(harness, TOOL_NAME, toolArguments()))).toMatchObject({ outcome: 'provider_timeout', reachedModel: 'unknown' });
  });

  it('keeps a slow provider call alive with progress heartbeats', async () => {
    fake = await startFakeProvider(KIND, { slowMs: 400 });
    harness = await connect({ era, sampling: null, config: testConfig({ fallback: fake.settings({ maxRetries: 0 }) }) });
    fake.script('slow');
    const onprogress = vi.fn();
    // The host's own tool-call timeout (150 ms here) would fire long before the provider answers without heartbeats.
    const result = await callTool(harness, TOOL_NAME, toolArguments(), { timeout: 150, resetTimeoutOnProgress: true, onprogress });

    expect(samplingMeta(result)).toMatchObject({ outcome: 'ok', source: 'fallback' });
    expect(onprogress.mock.calls.length).toBeGreaterThanOrEqual(5);
  });

  it('still prefers the host when the client can sample', async () => {
    fake = await startFakeProvider(KIND);
    harness = await connect({ era, config: testConfig({ fallback: fake.settings() }) });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(samplingMeta(result)).toMatchObject({ outcome: 'ok', source: 'host' });
    expect(fake.requests).toHaveLength(0);
  });

  it('is off unless configured: without its variables the client gets "unsupported"', async () => {
    harness = await connect({ era, sampling: null, config: testConfig({ fallback: undefined }) });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(samplingMeta(result)).toMatchObject({ outcome: 'unsupported', reachedModel: 'no' });
    expect(textOf(result)).toContain('let the server call a model directly');
  });
});

describe('fallback on a 2025-era host that declares sampling but cannot do it', () => {
  it('falls back when the host answers "method not found"', async () => {
    fake = await startFakeProvider(KIND);
    harness = await connect({
      era: 'legacy',
      config: testConfig({ fallback: fake.settings() }),
      sampling: async () => {
        throw hostError(-32601, 'Method not found');
      },
    });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(samplingMeta(result)).toMatchObject({ outcome: 'ok', source: 'fallback' });
    expect(harness.budget.used).toBe(FAKE_USAGE.inputTokens + FAKE_USAGE.outputTokens);
  });
});

describe('fallback settings', () => {
{{#if (eq fallback "anthropic")}}
  const variables = { key: 'ANTHROPIC_API_KEY', model: 'ANTHROPIC_MODEL', base: 'ANTHROPIC_BASE_URL' };
{{else}}
  const variables = { key: 'OPENAI_API_KEY', model: 'OPENAI_MODEL', base: 'OPENAI_BASE_URL' };
{{/if}}

  it('reads the provider from the environment at startup', () => {
    const config = loadConfig({ [variables.key]: FAKE_KEY, [variables.model]: 'some-model', [variables.base]: 'http://127.0.0.1:9/v1' });
    expect(config.fallback).toMatchObject({ kind: KIND, model: 'some-model', apiKey: FAKE_KEY, baseUrl: 'http://127.0.0.1:9/v1' });
    expect(loadConfig({}).fallback).toBeUndefined();
  });

  it('stops startup naming a missing model, without printing the key', () => {
    let error: unknown;
    try {
      loadConfig({ [variables.key]: FAKE_KEY });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`${variables.model} must be set`);
    expect((error as Error).message).not.toContain(FAKE_KEY);
  });
});
