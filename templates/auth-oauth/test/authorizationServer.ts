/**
 * A real OAuth authorization server for the tests: oidc-provider on 127.0.0.1, issuing client-credentials access
 * tokens as signed JWTs for the resource a client names (RFC 8707). Its signing key can be replaced, as an issuer
 * does when it withdraws a key, and tests sign tokens of their own to make the ones this server must refuse.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { Configuration, JWK } from 'oidc-provider';

/** The URL the tests' servers are configured with (MCP_PUBLIC_URL): tokens name it, wherever the server listens. */
export const TEST_RESOURCE = 'http://mcp.test/mcp';

/** Clients registered with the issuer: `tests` may ask for the `mcp` scope, `reports` only for another one. */
export const CLIENTS = {
  tests: { id: 'tests', secret: 'tests-secret-0123456789abcdef0123456789', scope: 'mcp' },
  reports: { id: 'reports', secret: 'reports-secret-0123456789abcdef01234567', scope: 'reports' },
};

interface TokenRequest {
  client?: (typeof CLIENTS)[keyof typeof CLIENTS];
  scope?: string;
  resource?: string;
}

async function signingKey(kid: string) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' } as JWK };
}

/** oidc-provider warns on the console about its in-memory storage (and Node 20): right for a test issuer, noise in a test run. */
async function quietly<T>(make: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await make();
  } finally {
    console.warn = warn;
  }
}

export async function startAuthorizationServer() {
  const httpServer = createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  httpServer.unref();
  const issuer = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  let key = await signingKey('first');
  let keyVersion = 0;

  /** A provider signing with `key` only: its JWKS lists that key and no other. */
  async function serveWithCurrentKey() {
    const provider = await quietly(async () => new (await import('oidc-provider')).default(issuer, configuration()));
    httpServer.removeAllListeners('request');
    httpServer.on('request', provider.callback());
  }
  await serveWithCurrentKey();

  function configuration(): Configuration {
    return {
      clients: Object.values(CLIENTS).map((client) => ({
        client_id: client.id,
        client_secret: client.secret,
        id_token_signed_response_alg: 'ES256',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        scope: client.scope,
      })),
      jwks: { keys: [key.jwk] },
      scopes: ['mcp', 'reports'],
      cookies: { keys: ['tests-cookie-key'] },
      ttl: { ClientCredentials: 600 },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => TEST_RESOURCE,
          getResourceServerInfo: (_ctx, resource) => ({ scope: 'mcp reports', audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
        },
      },
    };
  }

  function sign(claims: JWTPayload, by: typeof key): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: issuer, aud: TEST_RESOURCE, sub: CLIENTS.tests.id, scope: 'mcp', iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: by.jwk.kid, typ: 'at+jwt' })
      .sign(by.privateKey);
  }

  return {
    issuer,
    /** A token from the token endpoint, as a client-credentials client gets one. */
    async token({ client = CLIENTS.tests, scope = client.scope, resource = TEST_RESOURCE }: TokenRequest = {}): Promise<string> {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (body.access_token === undefined) throw new Error(`The token endpoint said ${response.status}: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    /** A token signed with the issuer's current key, with these claims: for tokens it would not issue (expired ones). */
    signed: (claims: JWTPayload) => sign(claims, key),
    /** A token naming the issuer's current key, signed with another one. */
    forged: async (claims: JWTPayload) => sign(claims, await signingKey(key.jwk.kid!)),
    /** Replaces the signing key: the old one leaves the JWKS, and tokens it signed must stop working. */
    async replaceKey(): Promise<void> {
      key = await signingKey(`key-${++keyVersion}`);
      await serveWithCurrentKey();
    },
    close: () => new Promise<void>((resolve) => httpServer.close(() => resolve())),
  };
}

export type AuthorizationServerHandle = Awaited<ReturnType<typeof startAuthorizationServer>>;

const testIssuer = await startAuthorizationServer();

/** What HTTP tests present: a token the issuer gave the `tests` client, and the settings that trust that issuer. */
export const TEST_AUTH = {
  env: { OAUTH_ISSUER: testIssuer.issuer, MCP_PUBLIC_URL: TEST_RESOURCE },
  headers: { authorization: `Bearer ${await testIssuer.token()}` },
};
