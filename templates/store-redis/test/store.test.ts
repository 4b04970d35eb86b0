import { randomUUID } from 'node:crypto';
{{#if (ne tool "ask")}}
import { tmpdir } from 'node:os';
{{/if}}

import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig, type Env } from '../src/config.js';
import type { LogRecord } from '../src/log.js';
import { DAY_MS, type Reservation, type Reserved } from '../src/sampling/tokens.js';
import { CallerBudgets } from '../src/transports/budgets.js';
import { serveOverHttp, type HttpServerHandle } from '../src/transports/http.js';
import { answer, createClient, ERAS, HttpClientTransport, samplingMeta, TEST_AUTH, textOf, TOOL_NAME, toolArguments, type CallToolResult, type Era } from './harness.js';
import { heldOrRefused } from './heldOrRefused.js';
import { startRedis, type RunningRedis } from './redisServer.js';

const SECRET = 'tests-request-state-secret-0123456789abcdef';

let redis: RunningRedis;
let inspect: Redis;
/** A client that reads the store as it is; it errs quietly while the test has Redis down. */
function inspector(url: string): Redis {
  return new Redis(url).on('error', () => {});
}
beforeAll(async () => {
  redis = await startRedis();
  inspect = inspector(redis.url);
});
afterAll(async () => {
  inspect.disconnect();
  await redis.stop();
});

const handles: HttpServerHandle[] = [];
const budgets: CallerBudgets[] = [];
let logs: LogRecord[] = [];
afterEach(async () => {
  await Promise.all([...handles.splice(0).map((handle) => handle.close()), ...budgets.splice(0).map((store) => store.close())]);
  logs = [];
});

/** Settings of a replica: every test has keys of its own in the shared Redis. */
function settings(prefix: string, env: Env = {}): Env {
  return {
    ...TEST_AUTH.env,
    PORT: '0',
    HOST: '127.0.0.1',
{{#if (ne tool "ask")}}
    ALLOWED_ROOTS: tmpdir(),
{{/if}}
{{#if (eq transport "both")}}
    MCP_TRANSPORT: 'http',
{{/if}}
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: prefix,
    REQUEST_STATE_SECRET: SECRET,
    ...env,
  };
}

async function replica(prefix: string, env: Env = {}): Promise<string> {
  const handle = await serveOverHttp(loadConfig(settings(prefix, env)), (record) => logs.push(record));
  handles.push(handle);
  return handle.url;
}

async function call(url: string, era: Era, sampling = async () => answer('Fine.')): Promise<CallToolResult> {
  const client = createClient(era, sampling);
  await client.connect(new HttpClientTransport(new URL(url), { requestInit: { headers: TEST_AUTH.headers } }));
  try {
    return (await client.callTool({ name: TOOL_NAME, arguments: toolArguments() })) as CallToolResult;
  } finally {
    await client.close();
  }
}

function granted(reserved: Reserved): Reservation {
  if ('refusedBy' in reserved) throw new Error(`refused by the ${reserved.refusedBy.scope} budget`);
  return reserved;
}

const today = () => Math.floor(Date.now() / DAY_MS);


describe('budgets in Redis', () => {
  it('are one budget for every replica: calls made at once on two of them never spend more than the daily budget', async () => {
    const probe = samplingMeta(await call(await replica(`probe-${randomUUID()}`), 'legacy'));
    const worstCase = (probe.estimatedInputTokens as number) + (probe.maxTokens as number);
    const daily = Math.floor(3.5 * worstCase);

    const prefix = `shared-${randomUUID()}`;
    const limits = { SAMPLING_DAILY_TOKEN_BUDGET: String(daily), SAMPLING_TOKEN_BUDGET: String(100 * worstCase) };
    const [first, second] = [await replica(prefix, limits), await replica(prefix, limits)];
    // No host answers until every call holds a reservation or was refused: room for three at once, on both replicas together.
    const gate = heldOrRefused(8);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => gate.refusedUnlessHeld(call(i % 2 === 0 ? first : second, ERAS[i % ERAS.length]!, gate.sampling))),
    );
    expect(gate.held()).toBe(Math.floor(daily / worstCase));

    const outcomes = results.map((result) => samplingMeta(result).outcome);
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(gate.held());
    expect(outcomes.filter((outcome) => outcome === 'budget_exhausted')).toHaveLength(8 - gate.held());
    const charged = results
      .map(samplingMeta)
      .filter((meta) => meta.outcome === 'ok')
      .reduce((sum, meta) => sum + (meta.estimatedInputTokens as number) + (meta.estimatedOutputTokens as number), 0);
    expect(charged).toBeLessThanOrEqual(daily);
    // Settling happens after the answer: give it a moment, then the store holds exactly what was charged.
    await expect.poll(async () => Number(await inspect.get(`${prefix}:daily:${today()}:spent`))).toBe(charged);
    expect(Number(await inspect.get(`${prefix}:daily:${today()}:reserved`))).toBe(0);
  });

  it('fail closed while Redis is down, with a clear outcome and /readyz 503, and work again when it is back', async () => {
    const url = await replica(`outage-${randomUUID()}`);
    const ready = () => fetch(new URL('/readyz', url)).then((response) => response.status);
    expect(await ready()).toBe(200);

    const { port } = redis;
    await redis.stop();
    const refused = await call(url, 'legacy');
    expect(refused.isError).toBe(true);
    expect(samplingMeta(refused)).toMatchObject({ outcome: 'budget_unavailable', reachedModel: 'no' });
    expect(textOf(refused)).toContain('Budget store unavailable');
    expect(await ready()).toBe(503);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'budget_store_unreachable' }));

    redis = await startRedis(port);
    inspect.disconnect();
    inspect = inspector(redis.url);
    await expect.poll(ready, { timeout: 10_000 }).toBe(200);
    expect(samplingMeta(await call(url, 'legacy')).outcome).toBe('ok');
  });

  it("give back a reservation nobody settles (its replica died) once the approval timeout has passed", async () => {
    const store = new CallerBudgets(loadConfig(settings(`lapse-${randomUUID()}`, { SAMPLING_APPROVAL_TIMEOUT_SECONDS: '0.3', SAMPLING_HEARTBEAT_SECONDS: '0.1', SAMPLING_TOKEN_BUDGET: '100' })), () => {});
    budgets.push(store);
    granted(await store.stateless().reserve(100));
    expect(await store.stateless().reserve(1)).toMatchObject({ refusedBy: { scope: 'session' } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    granted(await store.stateless().reserve(100));
  });
{{#if bothEras}}

  it('let another replica settle a 2026-07-28 round by the sealed state it carries, and no forged one', async () => {
    const prefix = `state-${randomUUID()}`;
    const env = { SAMPLING_TOKEN_BUDGET: '100' };
    const [one, other] = [new CallerBudgets(loadConfig(settings(prefix, env)), () => {}), new CallerBudgets(loadConfig(settings(prefix, env)), () => {})];
    const stranger = new CallerBudgets(loadConfig(settings(prefix, { ...env, REQUEST_STATE_SECRET: `another-${SECRET}` })), () => {});
    budgets.push(one, other, stranger);

    const state = one.stateless().hold(granted(await one.stateless().reserve(80)));
    expect(stranger.stateless().takeHeld(state)).toBeUndefined();
    expect(other.stateless().takeHeld(`${state.slice(0, -2)}xx`)).toBeUndefined();
    other.stateless().takeHeld(state)!.settle(30);
    // The 80 reserved became 30 spent: 70 are left, whichever replica asks.
    await expect.poll(async () => Number(await inspect.get(`${prefix}:stateless::${today()}:spent`))).toBe(30);
    granted(await one.stateless().reserve(70));
  });
{{/if}}
});
