import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { TokenBudget } from '../sampling/tokens.js';
import { createServer } from '../server.js';
import type { McpServer } from '../sdk.js';

export const MCP_PATH = '/mcp';
const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];
/** The SDK's own limit for a JSON-RPC message body. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpServerHandle {
  url: string;
  /** Open sessions. */
  sessionCount(): number;
  /** Closes sessions idle for at least `idleMs` (done every minute for SESSION_IDLE_MS); returns how many. */
  closeIdleSessions(idleMs?: number): number;
  close(): Promise<void>;
}

/**
 * Serves MCP over Streamable HTTP on one endpoint, one session (`Mcp-Session-Id`) per client. Push
 * sampling sends a request back to the client while the tool call is pending, which needs a session
 * to carry it: v1's stateless mode cannot sample. Each session gets its own server instance and
 * its own budget.
 */
export async function serveOverHttp(config: Config, log: Logger): Promise<HttpServerHandle> {
  const onerror = (error: Error) => log({ event: 'transport_error', transport: 'http', message: error.message });
  const sessions = new Sessions(config, log, onerror);

  // DNS-rebinding protection: a web page must not be able to reach this server through the browser.
  // v1 offers it only as Express middleware (the transport's own options are deprecated), so it is done here.
  const allowedNames = new Set([...LOCALHOST_NAMES, ...config.allowedHosts, ...(isWildcard(config.host) ? [] : [config.host])]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostnameAllowed(req.headers.host, allowedNames)) {
      return sendJsonRpcError(res, 403, -32000, `Forbidden: Host header ${JSON.stringify(req.headers.host ?? '')} is not allowed`);
    }
    if (req.headers.origin !== undefined && !hostnameAllowed(originHost(req.headers.origin), allowedNames)) {
      return sendJsonRpcError(res, 403, -32000, `Forbidden: Origin ${JSON.stringify(req.headers.origin)} is not allowed`);
    }
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found. The MCP endpoint is ${MCP_PATH}\n`);
      return;
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (body === INVALID_JSON) return sendJsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON');
    return sessions.handle(req, res, body);
  }

  const httpServer = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof BodyTooLarge ? 413 : 500;
      if (status === 500) onerror(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent) sendJsonRpcError(res, status, -32603, status === 413 ? 'Request body too large' : 'Internal error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}${MCP_PATH}`;
  log({ event: 'listening', url });

  return {
    url,
    sessionCount: () => sessions.size,
    closeIdleSessions: (idleMs) => sessions.closeIdle(idleMs),
    close: async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Open SSE streams would keep close() waiting forever.
      httpServer.closeAllConnections();
      await Promise.all([sessions.closeAll(), closed]);
    },
  };
}

/**
 * A session nobody has used for this long is closed: hosts that vanish without sending DELETE
 * would otherwise keep their server instance in memory for the life of the process. It is far
 * longer than any sampling approval can take (SAMPLING_APPROVAL_TIMEOUT_SECONDS is at most an hour).
 */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;

/** One transport and one server instance (with its own budget) per `Mcp-Session-Id`. */
class Sessions {
  private readonly sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer; lastUsed: number }>();
  private readonly sweeper = setInterval(() => this.closeIdle(), 60_000).unref();

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly onerror: (error: Error) => void,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = this.sessions.get(sessionId);
      if (!session) return sendJsonRpcError(res, 404, -32001, 'Session not found; start a new one with initialize');
      session.lastUsed = Date.now();
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return sendJsonRpcError(res, 400, -32000, 'Bad request: no session; start one with initialize');
    }

    const server = createServer({ era: 'legacy', config: this.config, budget: new TokenBudget(this.config.tokenBudget), log: this.log });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, server, lastUsed: Date.now() });
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
        void server.close();
      },
    });
    transport.onerror = this.onerror;
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  /** Closes sessions idle for longer than `idleMs`; returns how many. */
  closeIdle(idleMs = SESSION_IDLE_MS, now = Date.now()): number {
    let closed = 0;
    for (const [id, session] of this.sessions) {
      if (now - session.lastUsed < idleMs) continue;
      this.sessions.delete(id);
      void session.server.close();
      this.log({ event: 'session_expired', sessionId: id, idleMinutes: Math.round((now - session.lastUsed) / 60_000) });
      closed++;
    }
    return closed;
  }

  get size(): number {
    return this.sessions.size;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(open.map(({ server }) => server.close()));
  }
}

const INVALID_JSON = Symbol('invalid JSON');

class BodyTooLarge extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

/** The hostname of a Host header ("127.0.0.1:3000", "[::1]:3000"), compared without the port. */
function hostnameAllowed(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (host === undefined || host === '') return false;
  try {
    return allowed.has(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
