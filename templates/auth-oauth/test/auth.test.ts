import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
{{#if (ne tool "ask")}}
import { tmpdir } from 'node:os';
{{/if}}

import { ClientCredentialsProvider } from '@modelcontextprotocol/client';
import { UnsecuredJWT } from 'jose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { loadConfig, type Env } from '../src/config.js';
import type { LogRecord } from '../src/log.js';
import { serveOverHttp, type HttpServerHandle } from '../src/transports/http.js';
import { CLIENTS, startAuthorizationServer, TEST_RESOURCE } from './authorizationServer.js';
import { answer, configProblems, createClient, ERAS, HttpClientTransport, samplingMeta, TEST_STORE, TOOL_NAME, toolArguments, type CallToolResult } from './harness.js';

const issuer = await startAuthorizationServer();
afterAll(() => issuer.close());

let handle: HttpServerHandle | undefined;
let logs: LogRecord[] = [];
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  logs = [];
});

async function serve(env: Env = {}): Promise<string> {
  const config = loadConfig({
    ...TEST_STORE.env,
    PORT: '0',
    HOST: '127.0.0.1',
    OAUTH_ISSUER: issuer.issuer,
    MCP_PUBLIC_URL: TEST_RESOURCE,
{{#if (ne tool "ask")}}
    ALLOWED_ROOTS: tmpdir(),
{{/if}}
{{#if (eq transport "both")}}
    MCP_TRANSPORT: 'http',
{{/if}}
    ...env,
  });
  handle = await serveOverHttp(config, (record) => logs.push(record));
  return handle.url;
}

/** A port nothing listens on now, for a server whose public URL must be the one it is reached at. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function ping(url: string, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
}

const now = () => Math.floor(Date.now() / 1000);
const METADATA_URL = 'http://mcp.test/.well-known/oauth-protected-resource/mcp';

describe('OAuth access tokens', () => {
  it('come with Protected Resource Metadata, served without a token, that names the issuer', async () => {
    const url = await serve();
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const response = await fetch(new URL(path, url));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ resource: TEST_RESOURCE, authorization_servers: [issuer.issuer], scopes_supported: ['mcp'] });
    }
    const server = await fetch(new URL('/.well-known/oauth-authorization-server', url));
    expect(await server.json()).toMatchObject({ issuer: issuer.issuer, token_endpoint: `${issuer.issuer}/token` });
  });

  it('answer a request without one with 401 and a challenge pointing at that metadata', async () => {
    const url = await serve();
    const response = await ping(url);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(response.headers.get('www-authenticate')).toContain(`resource_metadata="${METADATA_URL}"`);
  });

  const refused: [string, () => Promise<string>][] = [
    ['signed with a key the issuer does not have', () => issuer.forged({})],
    ['expired', () => issuer.signed({ iat: now() - 600, exp: now() - 300 })],
    ['issued for another server (its audience)', () => issuer.token({ resource: 'http://elsewhere.test/mcp' })],
    ['from another issuer', () => issuer.signed({ iss: 'http://127.0.0.1:9' })],
    ['unsigned (alg: none)', async () => new UnsecuredJWT({ iss: issuer.issuer, aud: TEST_RESOURCE, sub: 'tests', scope: 'mcp' }).setExpirationTime('5m').encode()],
  ];
  it.each(refused)('refuse a token %s with 401 invalid_token', async (_case, token) => {
    const url = await serve();
    const presented = await token();
    const response = await ping(url, presented);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(JSON.stringify(logs)).not.toContain(presented);
  });

  it('refuse a token without the required scope with 403 insufficient_scope', async () => {
    const url = await serve();
    const response = await ping(url, await issuer.token({ client: CLIENTS.reports }));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(response.headers.get('www-authenticate')).toContain('scope="mcp"');
    // A token with the scope gets in: past authentication, a ping with no session is the server's 400.
    expect((await ping(url, await issuer.token())).status).toBe(400);
  });

  it('stop accepting a key the issuer withdrew once OAUTH_JWKS_MAX_AGE_SECONDS have passed', async () => {
    const url = await serve({ OAUTH_JWKS_MAX_AGE_SECONDS: '0.2' });
    const before = await issuer.token();
    // Past authentication, a ping with no session is the server's 400; a refused token is 401.
    expect((await ping(url, before)).status).toBe(400);
    await issuer.replaceKey();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await ping(url, before)).status).toBe(401);
    expect((await ping(url, await issuer.token())).status).toBe(400);
  });

  it.each(ERAS)('let a client that finds the issuer from the 401 sample (%s era), named in the logs, its token in none', async (era) => {
    const port = await freePort();
    const url = await serve({ PORT: String(port), MCP_PUBLIC_URL: `http://127.0.0.1:${port}/mcp` });
    const authProvider = new ClientCredentialsProvider({ clientId: CLIENTS.tests.id, clientSecret: CLIENTS.tests.secret, scope: 'mcp', expectedIssuer: issuer.issuer });
    const client = createClient(era, async () => answer('Fine.'));
    await client.connect(new HttpClientTransport(new URL(url), { authProvider }));
    const result = (await client.callTool({ name: TOOL_NAME, arguments: toolArguments() })) as CallToolResult;
    await client.close();

    expect(samplingMeta(result)).toMatchObject({ outcome: 'ok' });
    const ofTheCall = logs.filter((record) => !['auth', 'auth_server', 'auth_refused', 'budgets', 'listening'].includes(record.event));
    expect(ofTheCall.some((record) => record.event === 'sampling')).toBe(true);
    expect(ofTheCall.every((record) => record.caller === CLIENTS.tests.id)).toBe(true);
    const token = (await authProvider.tokens())?.access_token;
    expect(token).toBeTruthy();
    expect(JSON.stringify(logs)).not.toContain(token);
  });

  it('answer 500, not 401, while the issuer cannot be reached: the client must not sign in again', async () => {
    const url = await serve({ OAUTH_ISSUER: 'http://127.0.0.1:9' });
    const response = await ping(url, await issuer.token());
    expect(response.status).toBe(500);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'auth_server_unreachable', issuer: 'http://127.0.0.1:9/' }));
  });

  it("answer 500 while the issuer's keys cannot be fetched (its JWKS answers 503), not 401", async () => {
    const broken = createHttpServer((req, res) => {
      if (req.url !== '/.well-known/oauth-authorization-server') return void res.writeHead(503).end();
      const metadata = { issuer: brokenIssuer, authorization_endpoint: `${brokenIssuer}/auth`, token_endpoint: `${brokenIssuer}/token`, response_types_supported: ['code'], jwks_uri: `${brokenIssuer}/jwks` };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metadata));
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const brokenIssuer = `http://127.0.0.1:${(broken.address() as { port: number }).port}`;
    try {
      const url = await serve({ OAUTH_ISSUER: brokenIssuer });
      expect((await ping(url, await issuer.signed({ iss: brokenIssuer }))).status).toBe(500);
    } finally {
      broken.close();
    }
  });

  it('refuse every request while OAUTH_ISSUER or MCP_PUBLIC_URL is unset, and say so at startup', async () => {
    const url = await serve({ OAUTH_ISSUER: '' });
    expect((await ping(url, await issuer.token())).status).toBe(401);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'warning', message: expect.stringContaining('OAUTH_ISSUER') }));
    expect(configProblems({ OAUTH_ISSUER: 'auth.example.com', MCP_PUBLIC_URL: 'ftp://mcp.test' })).toMatch(/OAUTH_ISSUER must be an http.*\n.*MCP_PUBLIC_URL must be/);
    // Keys fetched over plain HTTP from another machine could be anyone's.
    expect(configProblems({ OAUTH_ISSUER: 'http://auth.example.com' })).toContain('OAUTH_ISSUER must be an https:// URL');
  });
});
