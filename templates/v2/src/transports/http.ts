import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  hostHeaderValidation,
  NodeStreamableHTTPServerTransport,
  originValidation,
  toNodeHandler,
  toWebRequest,
} from '@modelcontextprotocol/node';
import { createMcpHandler, isInitializeRequest, isLegacyRequest, type McpServer } from '@modelcontextprotocol/server';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { TokenBudget } from '../sampling/tokens.js';
import { createServer } from '../server.js';

export const MCP_PATH = '/mcp';
const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface HttpServerHandle {
  url: string;
  /** Open 2025-era sessions. */
  sessionCount(): number;
  /** Closes 2025-era sessions idle for at least `idleMs` (done every minute for SESSION_IDLE_MS); returns how many. */
  closeIdleSessions(idleMs?: number): number;
  close(): Promise<void>;
}

/**
 * Serves MCP over Streamable HTTP on one endpoint, for both protocol eras:
 *   - 2026-07-28 requests go to `createMcpHandler`: stateless, a fresh server instance per request,
 *     sampling through `input_required` rounds. There is no session, so they share one
 *     process-wide token budget.
 *   - 2025-era requests go to a per-session transport. Push sampling sends a request back to the
 *     client while the tool call is pending, which needs a session to carry it (the SDK's
 *     stateless 2025 fallback cannot sample). Each session gets its own budget.
 */
export async function serveOverHttp(config: Config, log: Logger): Promise<HttpServerHandle> {
  const onerror = (error: Error) => log({ event: 'transport_error', transport: 'http', message: error.message });

  const processBudget = new TokenBudget(config.tokenBudget);
  const modern = createMcpHandler(() => createServer({ era: 'modern', config, budget: processBudget, log }), {
    legacy: 'reject',
    onerror,
  });
  const serveModern = toNodeHandler(modern, { onerror });
  const legacySessions = new LegacySessions(config, log);

  // DNS-rebinding protection: a web page must not be able to reach this server through the browser.
  const allowedNames = [...LOCALHOST_NAMES, ...config.allowedHosts, ...(isWildcard(config.host) ? [] : [config.host])];
  const validHost = hostHeaderValidation(allowedNames);
  const validOrigin = originValidation(allowedNames);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!validHost(req, res) || !validOrigin(req, res)) return;
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found. The MCP endpoint is ${MCP_PATH}\n`);
      return;
    }
    // The Node stream can be read once: read it here and hand both legs the parsed body.
    const request = await toWebRequest(req);
    const legacy = await isLegacyRequest(request);
    const body: unknown = req.method === 'POST' ? await request.json().catch(() => INVALID_JSON) : undefined;
    if (!legacy) return serveModern(req, res, body);
    if (body === INVALID_JSON) return sendJsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON');
    return legacySessions.handle(req, res, body);
  }

  const httpServer = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = (error as { status?: unknown }).status === 413 ? 413 : 500;
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
    sessionCount: () => legacySessions.size,
    closeIdleSessions: (idleMs) => legacySessions.closeIdle(idleMs),
    close: async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Open SSE streams would keep close() waiting forever.
      httpServer.closeAllConnections();
      await Promise.all([modern.close(), legacySessions.closeAll(), closed]);
    },
  };
}

/**
 * A 2025-era session nobody has used for this long is closed: hosts that vanish without sending
 * DELETE would otherwise keep their server instance in memory for the life of the process. It is
 * far longer than any sampling approval can take (SAMPLING_APPROVAL_TIMEOUT_SECONDS is at most an hour).
 */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;

/** 2025-era sessions: one transport and one server instance (with its own budget) per `Mcp-Session-Id`. */
class LegacySessions {
  private readonly sessions = new Map<string, { transport: NodeStreamableHTTPServerTransport; server: McpServer; lastUsed: number }>();
  private readonly sweeper = setInterval(() => this.closeIdle(), 60_000).unref();

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
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
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, server, lastUsed: Date.now() });
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
        void server.close();
      },
    });
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

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
