import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

import type { EnvReader } from '../config.js';
import type { Logger } from '../log.js';

/**
 * OAuth 2.1 access tokens, as the MCP authorization spec has a server check them. This server is a resource
 * server: an authorization server (OAUTH_ISSUER) signs JWT access tokens for this server's public URL
 * (MCP_PUBLIC_URL, the token's audience, RFC 8707) and publishes the keys that sign them (its JWKS). A token
 * is accepted when its signature, issuer, audience and expiry hold; src/transports/auth.ts then checks its
 * scopes and answers refusals with the challenge that lets a client find the authorization server.
 */

export function authSettings(read: EnvReader) {
  return {
    /** The authorization server whose tokens are accepted; its metadata says where its keys are. */
    issuer: urlSetting(read, 'OAUTH_ISSUER'),
    /** This server's URL as clients reach it (https://mcp.example.com/mcp): the audience its tokens must be issued for. */
    resource: urlSetting(read, 'MCP_PUBLIC_URL'),
    /** Scopes every token must hold. */
    scopes: read.list('OAUTH_SCOPES', ['mcp']),
    /** How long the issuer's keys are trusted before they are fetched again: a key removed there stops working here after this. */
    keysMaxAgeMs: read.seconds('OAUTH_JWKS_MAX_AGE_SECONDS', 600),
  };
}

type Settings = ReturnType<typeof authSettings>;
export type OAuthSettings = Settings & { issuer: URL; resource: URL };

function urlSetting(read: EnvReader, name: string): URL | undefined {
  const value = read.string(name, '');
  if (value === '') return undefined;
  if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) {
    const url = new URL(value);
    // Whoever can change what this server reads from its issuer could hand it their own keys.
    if (name === 'OAUTH_ISSUER' && url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
      read.problems.push(`OAUTH_ISSUER must be an https:// URL unless the issuer runs on this machine (got ${JSON.stringify(value)})`);
      return undefined;
    }
    return url;
  }
  read.problems.push(`${name} must be an http:// or https:// URL (got ${JSON.stringify(value)})`);
  return undefined;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Discovery and key fetches that hang would hold every request: the issuer gets this long to answer. */
export function fetchWithTimeout(url: string | URL, init?: RequestInit): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
}

/**
 * The settings with the issuer and this server's URL, or undefined while one is unset: then every request is
 * refused (the safe state), and the log says so at startup.
 */
export function completeSettings(settings: Settings, log: Logger): OAuthSettings | undefined {
  const { issuer, resource } = settings;
  if (issuer !== undefined && resource !== undefined) return { ...settings, issuer, resource };
  const missing = [issuer ?? 'OAUTH_ISSUER', resource ?? 'MCP_PUBLIC_URL'].filter((name) => typeof name === 'string');
  log({ event: 'warning', message: `No caller can connect until ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} set` });
  return undefined;
}

/** What a verified token says, in the shape of the SDK's AuthInfo. */
export interface VerifiedToken {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt?: number;
  resource: URL;
  /** The caller's name in logs and budgets: the token's subject, else its client. */
  extra: { caller: string };
}

/** A token that is not good for this server; its message says why, and never holds the token. */
class TokenRefused extends Error {}

/** What jose throws for a token that is no good; anything else (the keys cannot be had) is the server's problem. */
const REFUSALS = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
];

/** Only signatures made with a private key: `none` and the shared-secret HS algorithms are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * The issuer as this server knows it: its metadata (RFC 8414), looked up on first use, and a verifier for its
 * tokens. A lookup that fails is tried again on the next request, so this server may start before the
 * authorization server does.
 */
export class AuthorizationServer<Metadata extends { issuer: string; jwks_uri?: string }> {
  private known: Promise<{ metadata: Metadata; verify: (token: string) => Promise<VerifiedToken> }> | undefined;

  constructor(
    private readonly settings: OAuthSettings,
    private readonly discover: (issuer: URL) => Promise<Metadata | undefined>,
    private readonly log: Logger,
  ) {}

  current() {
    this.known ??= this.lookUp().catch((error: unknown) => {
      this.known = undefined;
      this.log({ event: 'auth_server_unreachable', issuer: this.settings.issuer.href, message: error instanceof Error ? error.message : String(error) });
      throw error;
    });
    return this.known;
  }

  /**
   * The verifier the SDK's bearer check calls, throwing the SDK's errors: `refused` for a token that is no good
   * here (401), `unreachable` when the issuer or its keys cannot be had (500: signing in again would not help).
   */
  verifier(errors: { refused: (message: string) => Error; unreachable: (message: string) => Error }) {
    return {
      verifyAccessToken: async (token: string): Promise<VerifiedToken> => {
        try {
          return await (await this.current()).verify(token);
        } catch (error) {
          if (error instanceof TokenRefused) throw errors.refused(error.message);
          throw errors.unreachable('The authorization server cannot be reached to check the token');
        }
      },
    };
  }

  private async lookUp() {
    const metadata = await this.discover(this.settings.issuer);
    if (metadata?.jwks_uri === undefined) throw new Error(`${this.settings.issuer.href} publishes no authorization server metadata with a jwks_uri`);
    // RFC 8414: the metadata must name the issuer it was fetched for.
    if (metadata.issuer.replace(/\/$/, '') !== this.settings.issuer.href.replace(/\/$/, '')) {
      throw new Error(`${this.settings.issuer.href} publishes metadata for another issuer (${metadata.issuer})`);
    }
    this.log({ event: 'auth_server', issuer: metadata.issuer, jwksUri: metadata.jwks_uri });
    return { metadata, verify: tokenVerifier(this.settings, metadata.issuer, new URL(metadata.jwks_uri)) };
  }
}

function tokenVerifier(settings: OAuthSettings, issuer: string, jwksUri: URL) {
  // A token signed with a key not in the cached set makes jose fetch the set again (at most every 30 s).
  const keys = createRemoteJWKSet(jwksUri, { cacheMaxAge: settings.keysMaxAgeMs });
  return async (token: string): Promise<VerifiedToken> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, audience: audiences(settings.resource), algorithms: ALGORITHMS, requiredClaims: ['exp'] }));
    } catch (error) {
      // Unreachable keys are the server's problem, not the token's: the client must not be sent to sign in again.
      if (REFUSALS.some((refusal) => error instanceof refusal)) throw new TokenRefused((error as Error).message);
      throw error;
    }
    const clientId = String(payload.client_id ?? payload.azp ?? payload.sub ?? '');
    return {
      token,
      clientId,
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      expiresAt: payload.exp,
      resource: settings.resource,
      extra: { caller: payload.sub ?? clientId },
    };
  };
}

/** `https://mcp.example.com/` and `https://mcp.example.com` name the same resource: an issuer may write either. */
function audiences(resource: URL): string[] {
  return [...new Set([resource.href, resource.href.replace(/\/$/, '')])];
}
