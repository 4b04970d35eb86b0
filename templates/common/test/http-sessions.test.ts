import { afterEach, describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config.js';
import { serveOverHttp, type HttpServerHandle } from '../src/transports/http.js';
import { createClient, HttpClientTransport } from './harness.js';

let handle: HttpServerHandle | undefined;
afterEach(async () => {
  await handle?.close();
});

describe('2025-era HTTP sessions', () => {
  it('are closed once idle, so hosts that vanish without DELETE do not pile up', async () => {
    handle = await serveOverHttp(loadConfig({ PORT: '0', HOST: '127.0.0.1'{{#if (eq transport "both")}}, MCP_TRANSPORT: 'http'{{/if}} }), () => {});
    // A 2025-era client gets a session.
    const client = createClient('legacy', null);
    await client.connect(new HttpClientTransport(new URL(handle.url)));
    expect(handle.sessionCount()).toBe(1);

    expect(handle.closeIdleSessions(60_000)).toBe(0); // just used
    expect(handle.closeIdleSessions(0)).toBe(1);
    expect(handle.sessionCount()).toBe(0);
    await client.close();
  });
});
