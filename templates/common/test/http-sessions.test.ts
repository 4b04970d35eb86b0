import { tmpdir } from 'node:os';

import { afterEach, describe, expect, it } from 'vitest';

import { loadConfig, type Env } from '../src/config.js';
import type { Logger, LogRecord } from '../src/log.js';
import { serveOverHttp, type HttpServerHandle } from '../src/transports/http.js';
import { answer, createClient, ERAS, HttpClientTransport, samplingMeta, TEST_AUTH, TEST_STORE, textOf, TOOL_NAME, toolArguments, type CallToolResult, type Era } from './harness.js';

let handle: HttpServerHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

function serve(env: Env = {}, log: Logger = () => {}): Promise<HttpServerHandle> {
  return serveOverHttp(loadConfig({ ...TEST_AUTH.env, ...TEST_STORE.env, PORT: '0', HOST: '127.0.0.1', ALLOWED_ROOTS: tmpdir(){{#if (eq transport "both")}}, MCP_TRANSPORT: 'http'{{/if}}, ...env }), log);
}

async function legacyClient(url: string, sampling = true) {
  const client = createClient('legacy', sampling ? async () => answer('Fine.') : null);
  await client.connect(new HttpClientTransport(new URL(url), { requestInit: { headers: TEST_AUTH.headers } }));
  return client;
}

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...TEST_AUTH.headers, ...headers },
    body,
  });
}

describe('2025-era HTTP sessions', () => {
  it('are closed once idle, so hosts that vanish without DELETE do not pile up', async () => {
    handle = await serve();
    const client = await legacyClient(handle.url, false);
    expect(handle.sessionCount()).toBe(1);

    expect(handle.closeIdleSessions(60_000)).toBe(0); // just used
    expect(handle.closeIdleSessions(0)).toBe(1);
    expect(handle.sessionCount()).toBe(0);
    await client.close();
  });

  it('are capped at MAX_SESSIONS: one more gets 503 and Retry-After, and nothing is kept for it', async () => {
    handle = await serve({ MAX_SESSIONS: '2' });
    const clients = [await legacyClient(handle.url, false), await legacyClient(handle.url, false)];
    const refused = await legacyClient(handle.url, false).then(
      () => 'connected',
      (error: unknown) => String(error),
    );

    expect(refused).toContain('Too many open sessions');
    expect(handle.sessionCount()).toBe(2);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('share the daily budget, so opening new sessions does not buy more tokens', async () => {
    // Each session may spend a lot; the process may spend about two calls' worth per day.
    const probe = await serve();
    const first = await legacyClient(probe.url);
    const perCall = samplingMeta((await first.callTool({ name: TOOL_NAME, arguments: toolArguments() })) as CallToolResult);
    await first.close();
    await probe.close();
    const worstCase = (perCall.estimatedInputTokens as number) + (perCall.maxTokens as number);
    const charged = (perCall.estimatedInputTokens as number) + (perCall.estimatedOutputTokens as number);

    // Room for two calls and not a third, whichever sessions make them.
    handle = await serve({ SAMPLING_TOKEN_BUDGET: String(100 * worstCase), SAMPLING_DAILY_TOKEN_BUDGET: String(worstCase + 2 * charged - 1) });
    const results: CallToolResult[] = [];
    for (let session = 0; session < 5; session++) {
      const client = await legacyClient(handle.url);
      results.push((await client.callTool({ name: TOOL_NAME, arguments: toolArguments() })) as CallToolResult);
      await client.close();
    }

    expect(results.map((result) => samplingMeta(result).outcome)).toEqual(['ok', 'ok', 'budget_exhausted', 'budget_exhausted', 'budget_exhausted']);
    const refused = results[2]!;
    expect(textOf(refused)).toContain('daily budget');
    expect(textOf(refused)).toContain('SAMPLING_DAILY_TOKEN_BUDGET');
  });
});

describe('HTTP bodies', () => {
  it.each([
    ['no version (2026-07-28)', {}],
    ['2025-11-25', { 'mcp-protocol-version': '2025-11-25' }],
  ])('refuses deeply nested JSON with 400, never a 500 (%s)', async (_era, headers) => {
    handle = await serve();
    for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)]) {
      const response = await post(handle.url, body, headers);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('nested deeper than');
    }
  });

  it('refuses a body that is not JSON with 400', async () => {
    handle = await serve();
    const response = await post(handle.url, '{"jsonrpc":', { 'mcp-protocol-version': '2025-11-25' });
    expect(response.status).toBe(400);
  });
});

describe('answers the SDK could not read', () => {
  it('end the tool call at once: an error answer that is not valid JSON-RPC becomes invalid_result', async () => {
    handle = await serve();
    const opened = await post(handle.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { sampling: {} }, clientInfo: { name: 'raw', version: '1' } } }));
    const session = { 'mcp-session-id': opened.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    await opened.text();
    await (await post(handle.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), session)).text();

    // The tool call's own event stream carries the sampling request, then the result.
    const call = await post(handle.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: TOOL_NAME, arguments: toolArguments() } }), session);
    const events = call.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    const nextMessage = async (): Promise<{ id?: unknown; method?: string; result?: CallToolResult }> => {
      for (;;) {
        const data = /^data: (.*)$/m.exec(buffered);
        if (data) {
          buffered = buffered.slice(data.index + data[0].length);
          if (data[1]!.trim() !== '') return JSON.parse(data[1]!) as { id?: unknown; method?: string; result?: CallToolResult };
          continue;
        }
        const { value, done } = await events.read();
        if (done) throw new Error('the stream ended before the message');
        buffered += value;
      }
    };
    const request = await nextMessage();
    expect(request.method).toBe('sampling/createMessage');
    await (await post(handle.url, JSON.stringify({ jsonrpc: '2.0', id: request.id, error: { code: 'nope' } }), session)).text();
    const { result } = await nextMessage();
    expect(samplingMeta(result!)).toMatchObject({ outcome: 'invalid_result' });
    expect(textOf(result!)).toContain('its error is not valid JSON-RPC');
    await events.cancel();
  });
});

describe('shutting down', () => {
  /** A client whose one sampling request waits for `approval`; resolves once the request has reached it. */
  async function clientAwaitingApproval(era: Era, url: string, approval: Promise<void>) {
    let asked!: () => void;
    const requested = new Promise<void>((resolve) => (asked = resolve));
    const client = createClient(era, async () => {
      asked();
      await approval;
      return answer('Finished while the server drained.');
    });
    const transport = new HttpClientTransport(new URL(url), { requestInit: { headers: TEST_AUTH.headers } });
    await client.connect(transport);
    const call = client.callTool({ name: TOOL_NAME, arguments: toolArguments() }) as Promise<CallToolResult>;
    await requested;
    return { client, transport, call };
  }

  it.each(ERAS)('drains (%s era): a call waiting for approval finishes; new calls and /readyz get 503, /healthz 200', async (era) => {
    handle = await serve({ SHUTDOWN_GRACE_SECONDS: '10' });
    const url = handle.url;
    let approve!: () => void;
    const { client, transport, call } = await clientAwaitingApproval(era, url, new Promise<void>((resolve) => (approve = resolve)));
    const closing = handle.close();

    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/readyz`)).status).toBe(503);
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'late', version: '1' } } };
    const late = await post(url, JSON.stringify(initialize));
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('5');
    // A new call is refused too: without a session, in the caller's own session, or with a session id made up.
    const newCall = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: TOOL_NAME, arguments: toolArguments() } });
    expect((await post(url, newCall)).status).toBe(503);
    if (transport.sessionId !== undefined) {
      expect((await post(url, newCall, { 'mcp-session-id': transport.sessionId, 'mcp-protocol-version': '2025-11-25' })).status).toBe(503);
    }
    expect((await post(url, newCall, { 'mcp-session-id': 'made-up' })).status).toBe(404);

    approve();
    expect(samplingMeta(await call)).toMatchObject({ outcome: 'ok' });
    await closing;
    handle = undefined;
    await client.close();
  });

  it('answers /healthz and /readyz (GET and HEAD) with 200 while serving, without credentials or a known Host', async () => {
    handle = await serve();
    const origin = new URL(handle.url).origin;
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(`${origin}${path}`, { headers: { host: 'pod-10-0-0-7.internal' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('ok\n');
      expect((await fetch(`${origin}${path}`, { method: 'HEAD' })).status).toBe(200);
    }
  });

  it('ends a call still in flight after SHUTDOWN_GRACE_SECONDS with a shutdown result, and logs it', async () => {
    const logs: LogRecord[] = [];
    handle = await serve({ SHUTDOWN_GRACE_SECONDS: '0.3' }, (record) => logs.push(record));
    const { client, call } = await clientAwaitingApproval('legacy', handle.url, new Promise<void>(() => {}));
    const started = Date.now();
    await handle.close();
    handle = undefined;
    // It waited the grace, and not much more than that.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(logs.find((record) => record.event === 'shutdown_cut')).toMatchObject({ callsInFlight: 1 });
    // The client is told why, in a tool result, rather than losing its connection.
    const cut = await call;
    expect(cut.isError).toBe(true);
    expect(samplingMeta(cut)).toMatchObject({ outcome: 'shutdown', reachedModel: 'unknown' });
    expect(textOf(cut)).toContain('The server is shutting down');
    await client.close();
  });
});
