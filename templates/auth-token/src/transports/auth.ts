import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

import type { Config, EnvReader } from '../config.js';
import type { Logger } from '../log.js';
import { sendJsonRpcError } from './httpServer.js';
import type { Authenticate } from './identity.js';

/**
 * Bearer tokens: every HTTP request carries `Authorization: Bearer <token>`, and the caller name the token
 * is listed under becomes the caller's identity in log lines, sessions and budgets.
 *
 * Tokens come from AUTH_TOKENS (`caller:token,caller:token`) and from AUTH_TOKENS_FILE (one `caller:token`
 * per line; `#` starts a comment). The file is read again when it changes, so tokens are added, rotated and
 * revoked without a restart: list the new token under the same caller, move the client over, then delete
 * the old line.
 */

/** Shorter tokens could be guessed; `openssl rand -hex 32` prints a 64-character one. */
export const MIN_TOKEN_LENGTH = 32;

/** A token is kept as its SHA-256 digest: equal-length buffers, compared in constant time. */
interface Credential {
  caller: string;
  digest: Buffer;
}

interface ParsedTokens {
  credentials: Credential[];
  problems: string[];
}

export function authSettings(read: EnvReader) {
  const fromEnv = parseTokens(read.string('AUTH_TOKENS', ''), ',', 'AUTH_TOKENS');
  const tokensFile = read.string('AUTH_TOKENS_FILE', '') || undefined;
  const fromFile = tokensFile === undefined ? { credentials: [], problems: [] } : readTokensFile(tokensFile);
  read.problems.push(...fromEnv.problems, ...fromFile.problems);
  return { tokensFromEnv: fromEnv.credentials, tokensFile, tokensFromFile: fromFile.credentials };
}

/** Entries are `caller:token`; a problem names the entry by its place, never by its token. */
function parseTokens(text: string, separator: string, source: string): ParsedTokens {
  const credentials: Credential[] = [];
  const problems: string[] = [];
  text.split(separator).forEach((entry, index) => {
    const line = entry.trim();
    // A token may hold '#': only a whole line of the file is a comment.
    if (line === '' || (separator === '\n' && line.startsWith('#'))) return;
    const where = `${source} ${separator === ',' ? 'entry' : 'line'} ${index + 1}`;
    const colon = line.indexOf(':');
    const caller = line.slice(0, colon).trim();
    const token = line.slice(colon + 1).trim();
    if (colon < 0 || !/^[\w.@-]{1,64}$/.test(caller)) {
      problems.push(`${where} must be caller:token, the caller made of letters, digits, . _ @ - (at most 64)`);
    } else if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
      problems.push(`${where} (caller ${caller}): the token must be at least ${MIN_TOKEN_LENGTH} characters without spaces`);
    } else {
      credentials.push({ caller, digest: digestOf(token) });
    }
  });
  return { credentials, problems };
}

function readTokensFile(file: string): ParsedTokens {
  try {
    return parseTokens(readFileSync(file, 'utf8'), '\n', `AUTH_TOKENS_FILE (${file})`);
  } catch (error) {
    return { credentials: [], problems: [`AUTH_TOKENS_FILE cannot be read: ${(error as Error).message}`] };
  }
}

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The caller `token` belongs to. Every credential is compared, so the time taken tells nothing about the tokens. */
function callerOf(token: string, credentials: readonly Credential[]): string | undefined {
  const digest = digestOf(token);
  let caller: string | undefined;
  for (const credential of credentials) {
    if (timingSafeEqual(digest, credential.digest) && caller === undefined) caller = credential.caller;
  }
  return caller;
}

/** Keeps AUTH_TOKENS_FILE's tokens current: it is read again when it changes (time, size or inode). */
class TokensFile {
  private version: string;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    public credentials: Credential[],
    private readonly log: Logger,
  ) {
    this.version = versionOf(file);
  }

  async current(): Promise<Credential[]> {
    this.reading ??= this.reloadIfChanged().finally(() => (this.reading = undefined));
    await this.reading;
    return this.credentials;
  }

  private async reloadIfChanged(): Promise<void> {
    let version: string;
    let text: string;
    try {
      version = versionOf(await stat(this.file));
      if (version === this.version) return;
      text = await readFile(this.file, 'utf8');
    } catch {
      // A file that is gone or unreadable revokes its tokens; it is tried again on the next request.
      if (this.credentials.length > 0) this.log({ event: 'auth_tokens_file', problem: 'cannot be read; its tokens are revoked' });
      this.credentials = [];
      this.version = '';
      return;
    }
    this.version = version;
    const { credentials, problems } = parseTokens(text, '\n', 'AUTH_TOKENS_FILE');
    // Each line stands alone: a broken line is skipped, and the others take effect.
    this.credentials = credentials;
    this.log({ event: 'auth_tokens_file', callers: [...new Set(credentials.map((credential) => credential.caller))], problems });
  }
}

/** What tells one state of the file from the next: an edit changes the time or size, a rename-into-place the inode. */
function versionOf(file: string | Stats): string {
  try {
    const { mtimeMs, size, ino } = typeof file === 'string' ? statSync(file) : file;
    return `${mtimeMs}:${size}:${ino}`;
  } catch {
    return '';
  }
}

/**
 * Admits a request whose bearer token is listed, as that token's caller; answers any other with 401. Tokens are
 * how callers on other machines get in, so no caller counts as local.
 */
export function authenticator(config: Config, log: Logger): Authenticate {
  const { tokensFromEnv, tokensFile, tokensFromFile } = config.auth;
  const file = tokensFile === undefined ? undefined : new TokensFile(tokensFile, tokensFromFile, log);
  const callers = [...new Set([...tokensFromEnv, ...tokensFromFile].map((credential) => credential.caller))];
  log({ event: 'auth', method: 'bearer token', callers });
  // With no token yet every request is refused: the safe state, and AUTH_TOKENS_FILE may be filled in later.
  if (callers.length === 0) log({ event: 'warning', message: 'No caller can connect until AUTH_TOKENS or AUTH_TOKENS_FILE lists a caller:token' });

  return async (req, res) => {
    const presented = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    const credentials = file === undefined ? tokensFromEnv : [...tokensFromEnv, ...(await file.current())];
    const caller = presented === undefined ? undefined : callerOf(presented, credentials);
    if (caller !== undefined) return { caller, local: false };

    log({ event: 'auth_refused', reason: presented === undefined ? 'no bearer token' : 'unknown token', remoteAddress: req.socket.remoteAddress });
    // RFC 6750: a request without credentials gets the bare challenge; a wrong token is named invalid_token.
    res.setHeader('www-authenticate', presented === undefined ? 'Bearer realm="mcp"' : 'Bearer realm="mcp", error="invalid_token"');
    sendJsonRpcError(res, 401, -32001, presented === undefined ? 'Unauthorized: send Authorization: Bearer <token>' : 'Unauthorized: this bearer token is not accepted');
    return undefined;
  };
}
