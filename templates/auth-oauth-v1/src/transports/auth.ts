import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthMetadataRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import express, { type Express, type Request, type Response } from 'express';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { AuthorizationServer, completeSettings, fetchWithTimeout, type OAuthSettings } from './accessTokens.js';
import type { Authenticate } from './identity.js';

export { authSettings } from './accessTokens.js';

const RESOURCE_METADATA_ROOT = '/.well-known/oauth-protected-resource';

/**
 * OAuth: every request carries an access token that OAUTH_ISSUER issued for this server. The SDK's bearer
 * middleware verifies it with src/transports/accessTokens.ts and checks its scopes. A client without a good
 * token gets 401 (403 for a missing scope) with a challenge pointing at this server's Protected Resource
 * Metadata (RFC 9728), served here without a token by the SDK's metadata router, which names the authorization
 * server to get one from. Both are Express middleware: a small Express app runs them for each request.
 */
export function authenticator(config: Config, log: Logger): Authenticate {
  const settings = completeSettings(config.auth, log);
  if (settings === undefined) {
    const refusing = refuseEveryone();
    return async (req, res) => authenticateWith(refusing, req as Request, res as Response, log);
  }
  const issuer = new AuthorizationServer(settings, (url) => discoverAuthorizationServerMetadata(url, { fetchFn: fetchWithTimeout }), log);
  log({ event: 'auth', method: 'oauth', issuer: settings.issuer.href, resource: settings.resource.href, scopes: settings.scopes });
  // Looked up now so that a wrong OAUTH_ISSUER shows at startup; a failure is tried again on the next request.
  issuer.current().catch(() => {});

  const verifier = issuer.verifier({ refused: (message) => new InvalidTokenError(message), unreachable: (message) => new ServerError(message) });
  // The app needs the issuer's metadata, which may not be known at startup: it is built on first use.
  let app: { metadata: OAuthMetadata; routes: Express } | undefined;

  return async (req, res) => {
    const { metadata } = await issuer.current();
    if (app?.metadata !== metadata) app = { metadata, routes: authApp(settings, metadata, verifier) };
    return authenticateWith(app.routes, req as Request, res as Response, log);
  };
}

function authApp(settings: OAuthSettings, metadata: OAuthMetadata, verifier: OAuthTokenVerifier): Express {
  const { resource, scopes } = settings;
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
  const app = express().disable('x-powered-by');
  // Clients that ignore the resource's path look for its metadata at the root: it is served there too.
  app.get(RESOURCE_METADATA_ROOT, (req, _res, next) => {
    req.url = new URL(resourceMetadataUrl).pathname;
    next();
  });
  app.use(mcpAuthMetadataRouter({ oauthMetadata: metadata, resourceServerUrl: resource, scopesSupported: scopes }));
  app.use(requireBearerAuth({ verifier, requiredScopes: scopes, resourceMetadataUrl, expectedResource: resource }));
  return app;
}

/** While OAUTH_ISSUER or MCP_PUBLIC_URL is unset, the bearer middleware with a verifier that accepts nothing. */
function refuseEveryone(): Express {
  const verifier: OAuthTokenVerifier = {
    verifyAccessToken: async () => {
      throw new InvalidTokenError('No authorization server is configured');
    },
  };
  return express().disable('x-powered-by').use(requireBearerAuth({ verifier }));
}

/** Runs `app` on the request: its caller when the app let it through, undefined when the app answered it. */
function authenticateWith(app: Express, req: Request, res: Response, log: Logger): ReturnType<Authenticate> {
  return new Promise((resolve, reject) => {
    const answered = () => {
      if (res.statusCode === 401 || res.statusCode === 403) {
        log({ event: 'auth_refused', status: res.statusCode, challenge: res.getHeader('www-authenticate'), remoteAddress: req.socket.remoteAddress });
      }
      resolve(undefined);
    };
    // 'close' comes after the answer is sent, and also when the client goes away first.
    res.once('close', answered);
    app(req, res, (error?: unknown) => {
      res.off('close', answered);
      if (error !== undefined) return reject(error);
      resolve({ caller: String(req.auth?.extra?.caller ?? req.auth?.clientId), local: false });
    });
  });
}
