/**
 * Three replicas of the built server behind HAProxy (deploy/haproxy.cfg, as the README runs it), sharing their
 * budgets in Redis: real processes, and a real kill -9. HAProxy must be installed (apt-get install haproxy).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DAY_MS } from '../src/sampling/tokens.js';
import { answer, createClient, ERAS, HttpClientTransport, samplingMeta, TEST_AUTH, TOOL_NAME, toolArguments, type CallToolResult, type CreateMessageResult, type Era } from './harness.js';
import { heldOrRefused } from './heldOrRefused.js';
import { freePort, startRedis, type RunningRedis } from './redisServer.js';

interface Replica {
  port: number;
  process: ChildProcess;
  log: () => string;
}

const PREFIX = `replicas-${randomUUID()}`;
const APPROVAL_TIMEOUT_SECONDS = 6;
/** When an unsettled reservation lapses: the approval timeout and its margin, a tenth of it (src/transports/budgets.ts). */
const LAPSE_MS = APPROVAL_TIMEOUT_SECONDS * 1_100;
let redis: RunningRedis;
let replicas: Replica[] = [];
let proxy: ChildProcess;
let url: string;
/** One call's worst case, and what the replicas may spend together today. */
let worstCase = 0;
let daily = 0;

/** Starts `node dist/index.js` on a free port and waits for it to listen. */
async function startReplica(env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/index.js'], {
    env: { ...process.env, ...TEST_AUTH.env, ...env, PORT: String(port), HOST: '127.0.0.1'{{#if (eq transport "both")}}, MCP_TRANSPORT: 'http'{{/if}} },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a replica did not listen within 10 s:\n${log}`)), 10_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk;
      if (log.includes('"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { port, process: child, log: () => log };
}

/** Waits until `check` passes, for at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function connect(era: Era, sampling: () => Promise<CreateMessageResult> = async () => answer('Fine.')) {
  const client = createClient(era, sampling);
  const transport = new HttpClientTransport(new URL(url), { requestInit: { headers: TEST_AUTH.headers } });
  await client.connect(transport);
  return { client, transport };
}

async function call(era: Era, sampling?: () => Promise<CreateMessageResult>): Promise<CallToolResult> {
  const { client } = await connect(era, sampling);
  try {
    return (await client.callTool({ name: TOOL_NAME, arguments: toolArguments() })) as CallToolResult;
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  redis = await startRedis();
  // A probe replica measures one call's worst case; the three replicas then share room for about four calls.
  const probe = await startReplica({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `${PREFIX}-probe`, REQUEST_STATE_SECRET: 'x'.repeat(32), ALLOWED_ROOTS: tmpdir() });
  url = `http://127.0.0.1:${probe.port}/mcp`;
  const meta = samplingMeta(await call('legacy'));
  probe.process.kill('SIGKILL');
  worstCase = (meta.estimatedInputTokens as number) + (meta.maxTokens as number);
  daily = Math.floor(4.5 * worstCase);

  const env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: PREFIX,
    REQUEST_STATE_SECRET: `replicas-secret-${'0'.repeat(32)}`,
    SAMPLING_DAILY_TOKEN_BUDGET: String(daily),
    SAMPLING_TOKEN_BUDGET: String(100 * worstCase),
    SAMPLING_APPROVAL_TIMEOUT_SECONDS: String(APPROVAL_TIMEOUT_SECONDS),
    SAMPLING_HEARTBEAT_SECONDS: '0.5',
    SHUTDOWN_GRACE_SECONDS: '10',
    ALLOWED_ROOTS: tmpdir(),
  };
  replicas = await Promise.all([1, 2, 3].map(() => startReplica(env)));
  const proxyPort = await freePort();
  proxy = spawn('haproxy', ['-db', '-f', 'deploy/haproxy.cfg'], {
    env: { ...process.env, HAPROXY_BIND: `127.0.0.1:${proxyPort}`, ...Object.fromEntries(replicas.map((replica, i) => [`MCP_REPLICA_${i + 1}`, `127.0.0.1:${replica.port}`])) },
    stdio: 'ignore',
  });
  url = `http://127.0.0.1:${proxyPort}/mcp`;
  await eventually(async () => (await fetch(new URL('/readyz', url))).status === 200);
}, 60_000);

afterAll(async () => {
  proxy?.kill('SIGKILL');
  for (const replica of replicas) replica.process.kill('SIGKILL');
  await redis?.stop();
});

const today = () => Math.floor(Date.now() / DAY_MS);

describe('three replicas behind HAProxy, budgets in Redis', () => {
  it('serve 2025-era sessions and 2026-07-28 calls at once, and together spend no more than the daily budget', async () => {
    // No host answers until every call holds a reservation or was refused: the replicas together have room for four.
    const gate = heldOrRefused(9);
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => gate.refusedUnlessHeld(call(ERAS[i % ERAS.length]!, gate.sampling))));
    expect(gate.held()).toBe(Math.floor(daily / worstCase));
    const outcomes = results.map((result) => samplingMeta(result).outcome);
    // Every call got an answer or a budget refusal: no session lost its replica, no retry its reservation.
    expect(outcomes.filter((outcome) => outcome === 'ok'), JSON.stringify(outcomes)).toHaveLength(gate.held());
    expect(outcomes.filter((outcome) => outcome === 'budget_exhausted')).toHaveLength(9 - gate.held());
    const charged = results
      .map(samplingMeta)
      .filter((meta) => meta.outcome === 'ok')
      .reduce((sum, meta) => sum + (meta.estimatedInputTokens as number) + (meta.estimatedOutputTokens as number), 0);
    expect(charged).toBeLessThanOrEqual(daily);
    // Every replica served some of them.
    for (const replica of replicas) expect(replica.log()).toContain('"event":"sampling"');
  });

  it('drain a replica on SIGTERM: HAProxy keeps sending its session there, so a call waiting for approval finishes', async () => {
    let approve!: () => void;
    let asked!: () => void;
    const waiting = new Promise<void>((resolve) => (asked = resolve));
    const session = await connect('legacy', async () => {
      asked();
      await new Promise<void>((resolve) => (approve = resolve));
      return answer('Finished while draining.');
    });
    const pending = session.client.callTool({ name: TOOL_NAME, arguments: toolArguments() }) as Promise<CallToolResult>;
    await waiting;
    const holder = replicas.find((replica) => replica.log().includes(session.transport.sessionId!))!;
    const exited = new Promise<number | null>((resolve) => holder.process.once('exit', resolve));
    holder.process.kill('SIGTERM');
    // HAProxy sees /readyz fail and takes the replica out for new sessions; this one's answer still goes there.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    approve();
    expect(samplingMeta(await pending)).toMatchObject({ outcome: 'ok' });
    await session.client.close();
    expect(await exited).toBe(0);
    replicas = replicas.filter((replica) => replica !== holder);
  }, 30_000);

  it('kill -9 a replica while its call waits for approval: that caller gets an error, the others go on, the reservation lapses', async () => {
    const inspect = new Redis(redis.url).on('error', () => {});
    const reserved = async () => Number(await inspect.get(`${PREFIX}:daily:${today()}:reserved`));
    // Today's budget is spent down to room for one call and a half, so the stuck call's reservation blocks the next.
    await inspect.incrby(`${PREFIX}:daily:${today()}:spent`, daily - Number(await inspect.get(`${PREFIX}:daily:${today()}:spent`)) - Math.floor(1.5 * worstCase));

    let asked!: () => void;
    const waiting = new Promise<void>((resolve) => (asked = resolve));
    const stuck = await connect('legacy', async () => {
      asked();
      return new Promise<CreateMessageResult>(() => {});
    });
    // Nothing can answer for a dead replica: the caller's own request timeout (a host's tool-call timeout) ends the wait.
    const pending = stuck.client.callTool({ name: TOOL_NAME, arguments: toolArguments() }, { timeout: 5_000 });
    await waiting;
    expect(await reserved()).toBe(worstCase);
    const holder = replicas.find((replica) => replica.log().includes(stuck.transport.sessionId!))!;
    holder.process.kill('SIGKILL');

    const killedAt = Date.now();

    // The others go on: a live replica serves a new call, refused only for the budget the dead one's call holds.
    expect(samplingMeta(await call('legacy')).outcome).toBe('budget_exhausted');
    // Its caller gets an error rather than an answer that never comes.
    await expect(pending).rejects.toThrow(/timed out/i);
    await stuck.client.close();
    // Once the approval timeout has passed, Redis gives the dead replica's reservation back.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + LAPSE_MS - Date.now())));
    expect(samplingMeta(await call('legacy')).outcome).toBe('ok');
    expect(await reserved()).toBe(0);
    inspect.disconnect();
  }, 30_000);
});
