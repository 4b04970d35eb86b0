import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { loadConfig, type Env } from '../src/config.js';
import type { LogRecord } from '../src/log.js';
import { serveOverHttp, type HttpServerHandle } from '../src/transports/http.js';
import { answer, configProblems, createClient, ERAS, {{#if (ne tool "ask")}}fixtureRoot, {{/if}}HttpClientTransport, samplingMeta, TEST_STORE, textOf, TOOL_NAME, toolArguments, type CallToolResult, type Era } from './harness.js';

const ALICE = 'alice-token-0123456789abcdef0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef0123456789abcdef01';
const TOKENS = `alice:${ALICE},bob:${BOB}`;

const folder = mkdtempSync(path.join(tmpdir(), 'auth-tokens-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let handle: HttpServerHandle | undefined;
let logs: LogRecord[] = [];
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  logs = [];
});

async function serve(env: Env): Promise<string> {
  const config = loadConfig({ ...TEST_STORE.env, PORT: '0', HOST: '127.0.0.1'{{#if (ne tool "ask")}}, ALLOWED_ROOTS: tmpdir(){{/if}}{{#if (eq transport "both")}}, MCP_TRANSPORT: 'http'{{/if}}, ...env });
  handle = await serveOverHttp(config, (record) => logs.push(record));
  return handle.url;
}

async function connectAs(url: string, token: string, era: Era = 'legacy') {
  const client = createClient(era, async () => answer('Fine.'));
  const transport = new HttpClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return { client, transport };
}

function call(client: Awaited<ReturnType<typeof connectAs>>['client']): Promise<CallToolResult> {
  return client.callTool({ name: TOOL_NAME, arguments: toolArguments() }) as Promise<CallToolResult>;
}

function ping(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
}

describe('bearer tokens', () => {
  it('refuse a request without a token, or with one not listed, with 401 and a Bearer challenge', async () => {
    const url = await serve({ AUTH_TOKENS: TOKENS });
    const missing = await ping(url, {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="mcp"');
    for (const authorization of [`Bearer ${ALICE.slice(0, -1)}x`, `Bearer ${ALICE}x`, `Basic ${ALICE}`, 'Bearer']) {
      const refused = await ping(url, { authorization });
      expect(refused.status).toBe(401);
    }
    expect((await ping(url, { authorization: `Bearer ${ALICE}x` })).headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(logs.filter((record) => record.event === 'auth_refused')).toHaveLength(6);
  });

  it.each(ERAS)('let a listed caller sample (%s era), named in every log line of the call and in no line by its token', async (era) => {
    const url = await serve({ AUTH_TOKENS: TOKENS });
    const { client } = await connectAs(url, ALICE, era);
    const result = await call(client);
    await client.close();

    expect(samplingMeta(result)).toMatchObject({ outcome: 'ok' });
    // Every line after startup belongs to the call: the sampling line, and any other the call made.
    const ofTheCall = logs.filter((record) => !['auth', 'budgets', 'listening'].includes(record.event));
    expect(ofTheCall.some((record) => record.event === 'sampling')).toBe(true);
    expect(ofTheCall.every((record) => record.caller === 'alice')).toBe(true);
    expect(logs.find((record) => record.event === 'auth')).toMatchObject({ callers: ['alice', 'bob'] });
    const written = JSON.stringify(logs);
    expect(written).not.toContain(ALICE);
    expect(written).not.toContain(BOB);
  });

  it("keep a caller out of another caller's session", async () => {
    const url = await serve({ AUTH_TOKENS: TOKENS });
    const { client, transport } = await connectAs(url, ALICE);
    const response = await ping(url, { authorization: `Bearer ${BOB}`, 'mcp-session-id': transport.sessionId! });
    expect(response.status).toBe(404);
    expect((await ping(url, { authorization: `Bearer ${ALICE}`, 'mcp-session-id': transport.sessionId! })).status).toBe(200);
    await client.close();
  });

  it("give each caller a daily share: one caller's spending does not stop another", async () => {
    const url = await serve({ AUTH_TOKENS: TOKENS });
    const probe = await connectAs(url, ALICE);
    const first = samplingMeta(await call(probe.client));
    await probe.client.close();
    await handle!.close();
    const worstCase = (first.estimatedInputTokens as number) + (first.maxTokens as number);

    // Room for one call per caller per day, and many in the process's daily budget.
    const limited = await serve({ AUTH_TOKENS: TOKENS, SAMPLING_CALLER_DAILY_TOKEN_BUDGET: String(worstCase), SAMPLING_DAILY_TOKEN_BUDGET: String(100 * worstCase) });
    const alice = await connectAs(limited, ALICE);
    expect(samplingMeta(await call(alice.client)).outcome).toBe('ok');
    const refused = await call(alice.client);
    expect(samplingMeta(refused).outcome).toBe('budget_exhausted');
    expect(textOf(refused)).toContain('SAMPLING_CALLER_DAILY_TOKEN_BUDGET');
    // A new session is no way around it: the share is the caller's.
    const again = await connectAs(limited, ALICE);
    expect(samplingMeta(await call(again.client)).outcome).toBe('budget_exhausted');
    const bob = await connectAs(limited, BOB);
    expect(samplingMeta(await call(bob.client)).outcome).toBe('ok');
    await Promise.all([alice.client.close(), again.client.close(), bob.client.close()]);
  });

  it('come from AUTH_TOKENS_FILE too, which is read again when it changes: rotation needs no restart', async () => {
    const file = path.join(folder, 'tokens');
    writeFileSync(file, `# callers of this server\nalice:${ALICE}\n`);
    const url = await serve({ AUTH_TOKENS_FILE: file });
    // Past authentication, a ping with no session is the server's 400; a refused token is 401.
    const admitted = async (token: string) => (await ping(url, { authorization: `Bearer ${token}` })).status !== 401;
    expect(await admitted(ALICE)).toBe(true);

    const rotated = `alice-rotated-${'0'.repeat(32)}`;
    writeFileSync(file, `alice:${rotated}\n`);
    // A later modification time, as any edit makes: the test must not depend on the clock's resolution.
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(await admitted(ALICE)).toBe(false);
    expect(await admitted(rotated)).toBe(true);

    rmSync(file);
    expect(await admitted(rotated)).toBe(false);
    expect(JSON.stringify(logs)).not.toContain(rotated);
  });

  it('refuse every request while no token is listed, and say so at startup', async () => {
    const url = await serve({});
    expect((await ping(url, {})).status).toBe(401);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'warning', message: expect.stringContaining('AUTH_TOKENS') }));
  });

  it('are checked at startup: a bad entry is named by its place and caller, never shown', () => {
    const problems = configProblems({ AUTH_TOKENS: `alice:short-token,${BOB},carol:${ALICE}` });
    expect(problems).toContain('AUTH_TOKENS entry 1 (caller alice)');
    expect(problems).toContain('AUTH_TOKENS entry 2 must be caller:token');
    expect(problems).not.toContain('short-token');
    expect(problems).not.toContain(BOB);
    expect(configProblems({ AUTH_TOKENS_FILE: path.join(folder, 'missing') })).toContain('AUTH_TOKENS_FILE cannot be read');
  });

{{#if (ne tool "ask")}}
  it('let the roots a caller declares allow nothing on this disk: they are folders on its own', async () => {
    // No ALLOWED_ROOTS: only the client's roots could allow a folder, and here they must not.
    const url = await serve({ AUTH_TOKENS: TOKENS, ALLOWED_ROOTS: undefined });
    const client = createClient('legacy', async () => answer('Fine.'), ['/']);
    await client.connect(new HttpClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${ALICE}` } } }));
{{#if (eq tool "summarize")}}
    const result = (await client.callTool({ name: TOOL_NAME, arguments: { path: path.join(fixtureRoot(), 'notes.txt') } })) as CallToolResult;
{{else}}
    const result = (await client.callTool({ name: TOOL_NAME, arguments: toolArguments() })) as CallToolResult;
{{/if}}
    await client.close();

    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('ALLOWED_ROOTS');
    expect(logs.some((record) => record.event === 'sampling' && record.outcome === 'ok')).toBe(false);
  });

{{/if}}
  it('let the server listen beyond loopback', () => {
    expect(configProblems({ AUTH_TOKENS: TOKENS, HOST: '0.0.0.0' })).toBe('');
  });
});
