import type { ServerResponse } from 'node:http';

import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/client';
import {
  bearerAuthChallengeResponse,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  oauthMetadataResponse,
  verifyBearerToken,
} from '@modelcontextprotocol/server';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { AuthorizationServer, completeSettings, fetchWithTimeout } from './accessTokens.js';
import type { Authenticate } from './identity.js';

export { authSettings } from './accessTokens.js';

const RESOURCE_METADATA_ROOT = '/.well-known/oauth-protected-resource';

/**
 * OAuth: every request carries an access token that OAUTH_ISSUER issued for this server. The SDK's bearer
 * check verifies it with src/transports/accessTokens.ts and checks its scopes. A client without a good token
 * gets 401 (403 for a missing scope) with a challenge pointing at this server's Protected Resource Metadata
 * (RFC 9728), served here without a token, which names the authorization server to get one from.
 */
export function authenticator(config: Config, log: Logger): Authenticate {
  const settings = completeSettings(config.auth, log);
  if (settings === undefined) return async (_req, res) => send(res, bearerAuthChallengeResponse(new OAuthError(OAuthErrorCode.InvalidToken, 'No authorization server is configured')));
  const { resource, scopes } = settings;
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
  const issuer = new AuthorizationServer(settings, (url) => discoverAuthorizationServerMetadata(url, { fetchFn: fetchWithTimeout }), log);
  log({ event: 'auth', method: 'oauth', issuer: settings.issuer.href, resource: resource.href, scopes });
  // Looked up now so that a wrong OAUTH_ISSUER shows at startup; a failure is tried again on the next request.
  issuer.current().catch(() => {});

  const verifier = issuer.verifier({
    refused: (message) => new OAuthError(OAuthErrorCode.InvalidToken, message),
    unreachable: (message) => new OAuthError(OAuthErrorCode.ServerError, message),
  });

  return async (req, res) => {
    const path = new URL(req.url ?? '/', resource).pathname;
    if (req.method !== 'POST' && path.startsWith('/.well-known/')) {
      // Clients that ignore the resource's path look for its metadata at the root: it is served there too.
      const asked = new URL(path === RESOURCE_METADATA_ROOT ? resourceMetadataUrl : path, resource);
      const { metadata } = await issuer.current();
      const answer = oauthMetadataResponse(new Request(asked, { method: req.method }), { oauthMetadata: metadata, resourceServerUrl: resource, scopesSupported: scopes });
      if (answer !== undefined) return send(res, answer);
    }
    try {
      const token = await verifyBearerToken(req.headers.authorization, { verifier, requiredScopes: scopes, resourceMetadataUrl, expectedResource: resource });
      return { caller: String(token.extra?.caller ?? token.clientId), local: false };
    } catch (error) {
      const answer = bearerAuthChallengeResponse(error, { requiredScopes: scopes, resourceMetadataUrl });
      log({ event: 'auth_refused', status: answer.status, challenge: answer.headers.get('www-authenticate') ?? undefined, remoteAddress: req.socket.remoteAddress });
      return send(res, answer);
    }
  };
}

/** Writes an answer the SDK built as a web Response; the request was answered, so it has no caller. */
async function send(res: ServerResponse, answer: Response): Promise<undefined> {
  res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
  return undefined;
}
