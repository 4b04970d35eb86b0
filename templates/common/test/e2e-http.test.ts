import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { answer, type CallToolResult, createClient, ERAS, {{#if (ne tool "ask")}}fixtureRoot, {{/if}}HttpClientTransport, samplingMeta, TEST_AUTH, TEST_STORE, TOOL_NAME, toolArguments } from './harness.js';

/** The built server, as a host would start it (`npm test` builds before running the tests). */
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

let server: ChildProcess;
let url: URL;

beforeAll(async () => {
  server = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      ...TEST_AUTH.env,
      ...TEST_STORE.env,
{{#if (eq transport "both")}}
      MCP_TRANSPORT: 'http',
{{/if}}
      PORT: '0', // any free port; the server logs the one it got
{{#if (ne tool "ask")}}
      ALLOWED_ROOTS: fixtureRoot(),
{{/if}}
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  url = await new Promise<URL>((resolve, reject) => {
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const listening = stderr.split('\n').find((line) => line.includes('"event":"listening"'));
      if (listening) resolve(new URL((JSON.parse(listening) as { url: string }).url));
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
});

afterAll(() => {
  if (server.exitCode === null) server.kill('SIGKILL');
});

describe.each(ERAS)('built server over HTTP, %s era', (era) => {
  it('answers a call through sampling', async () => {
    const client = createClient(era, async () => answer('Hello over HTTP.', { model: 'e2e-model' }));
    const transport = new HttpClientTransport(url, { requestInit: { headers: TEST_AUTH.headers } });
    await client.connect(transport);
    try {
      const result = (await client.callTool({ name: TOOL_NAME, arguments: toolArguments() })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(samplingMeta(result)).toMatchObject({ outcome: 'ok', model: 'e2e-model' });
      // 2025-era sampling needs the session leg; only it hands out a session id.
      expect(transport.sessionId !== undefined).toBe(era === 'legacy');
    } finally {
      if (era === 'legacy') await transport.terminateSession();
      await client.close();
    }
  });
});

describe('HTTP hardening', () => {
  const post = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...TEST_AUTH.headers, ...headers } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect(await post({ host: 'evil.example' })).toBe(403);
  });

  it('refuses a foreign Origin', async () => {
    expect(await post({ origin: 'https://evil.example' })).toBe(403);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
