/**
 * The HTTP plumbing both SDK lines share: listening and shutting down, the allowed Host names, who is
 * calling and what they may spend, JSON-RPC errors outside a session, and the stateful sessions that push
 * sampling needs. `http.ts` adds what differs: how its SDK validates and routes requests.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { readableAnswer } from '../sampling/outcomes.js';
import type { McpServer } from '../sdk.js';
import { createServer } from '../server.js';
import type { CallerBudgets } from './budgets.js';
import { currentCaller } from './identity.js';

export const MCP_PATH = '/mcp';
const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];
/** How long calls cut at the end of the shutdown grace have to send their `shutdown` result. */
const ANSWER_CUT_CALLS_MS = 1_000;

export interface HttpServerHandle {
  url: string;
  /** Open 2025-era sessions. */
  sessionCount(): number;
  /** Closes 2025-era sessions idle for at least `idleMs` (done every minute for SESSION_IDLE_MINUTES); returns how many. */
  closeIdleSessions(idleMs?: number): number;
  close(): Promise<void>;
}

/** Host names a request may use (DNS-rebinding protection): loopback, ALLOWED_HOSTS and HOST itself. */
export function allowedHostNames(config: Config): string[] {
  return [...LOCALHOST_NAMES, ...config.allowedHosts, ...(isWildcard(config.host) ? [] : [config.host])];
}

/**
 * Listens on HOST:PORT and serves every request with `handle`. A thrown error becomes a JSON-RPC
 * error response (413 when it carries `status: 413`), never a crash. `closeOthers` closes what the
 * caller serves besides `sessions`.
 *
 * GET /healthz (the process is alive) and GET /readyz (it takes new calls) answer load balancers and
 * orchestrators: no authentication, no Host check, and nothing about the server in the answer. Closing
 * drains first: /readyz turns 503, new calls are refused with 503, and calls in flight get up to
 * SHUTDOWN_GRACE_SECONDS to finish (`http.ts` lets in what a call waiting for its approval needs).
 */
export async function startHttpServer(
  config: Config,
  log: Logger,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  sessions: Sessions,
  closeOthers: () => Promise<void> = async () => {},
): Promise<HttpServerHandle> {
  // POST requests being answered, tool calls among them. An open GET event stream is not a call.
  const calls = new Set<ServerResponse>();
  const httpServer = createHttpServer(async (req, res) => {
    const path = req.method === 'GET' || req.method === 'HEAD' ? new URL(req.url ?? '/', 'http://localhost').pathname : undefined;
    if (path === '/healthz' || path === '/readyz') {
      // Ready: not shutting down, and the budgets can be reserved (a shared store must be reachable).
      const up = path === '/healthz' || (!sessions.draining && (await sessions.budgets.ready()));
      res.writeHead(up ? 200 : 503, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(up ? 'ok\n' : 'not ready\n');
      return;
    }
    if (req.method === 'POST') {
      calls.add(res);
      res.once('close', () => calls.delete(res));
    }
    handle(req, res).catch((error: unknown) => {
      const status = (error as { status?: unknown }).status === 413 ? 413 : 500;
      if (status === 500) log({ event: 'transport_error', transport: 'http', message: error instanceof Error ? error.message : String(error) });
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
      sessions.draining = true;
      // A 2026-07-28 call waiting for its user holds no request open: it is in flight until its retry is back.
      const inFlight = () => calls.size + sessions.budgets.awaitingRetries();
      if (inFlight() > 0) log({ event: 'draining', callsInFlight: inFlight(), graceSeconds: config.shutdownGraceMs / 1000 });
      const deadline = Date.now() + config.shutdownGraceMs;
      while (inFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (inFlight() > 0) {
        log({ event: 'shutdown_cut', callsInFlight: inFlight() });
        // Calls still waiting for their host end with a `shutdown` result, which needs the connection a moment longer.
        sessions.stopWaiting();
        const cutoff = Date.now() + ANSWER_CUT_CALLS_MS;
        while (calls.size > 0 && Date.now() < cutoff) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Open SSE streams would keep close() waiting forever.
      httpServer.closeAllConnections();
      await Promise.all([closeOthers(), sessions.closeAll(), closed]);
      await sessions.budgets.close();
    },
  };
}

/** What the SDK's stateful Streamable HTTP transport offers a session. */
export interface SessionTransport {
  handleRequest(req: IncomingMessage, res: ServerResponse, body?: unknown): Promise<void>;
}

export interface SessionCallbacks {
  sessionIdGenerator: () => string;
  onsessioninitialized: (id: string) => void;
  onsessionclosed: (id: string) => void;
  /** With an event store the SDK opens each SSE stream with a priming event, so a client can resume it. */
  eventStore: SessionEventStore;
  /** Milliseconds a client should wait before reconnecting a dropped stream (the SSE `retry` field). */
  retryInterval: number;
}

/** Events kept per session for clients that reconnect: enough for a tool call's progress and its answer. */
const MAX_REPLAY_EVENTS = 200;
const RECONNECT_AFTER_MS = 1_000;

/**
 * The last events of one session's SSE streams, so a client whose stream drops can reconnect with
 * `Last-Event-ID` and get what it missed. In memory and bounded: a session is served by one process.
 */
export class SessionEventStore {
  private readonly events: { id: string; streamId: string; message: unknown }[] = [];
  private next = 0;

  async storeEvent(streamId: string, message: unknown): Promise<string> {
    const id = String(++this.next);
    this.events.push({ id, streamId, message });
    if (this.events.length > MAX_REPLAY_EVENTS) this.events.shift();
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.events.find((event) => event.id === eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: unknown) => Promise<void> }): Promise<string> {
    const index = this.events.findIndex((event) => event.id === lastEventId);
    const streamId = this.events[index]?.streamId ?? '';
    for (const event of this.events.slice(index + 1)) {
      // The priming event that opens a stream carries no message; there is nothing to replay for it.
      if (event.streamId === streamId && event.message && Object.keys(event.message).length > 0) await send(event.id, event.message);
    }
    return streamId;
  }
}

/** Creates the SDK's session transport with `callbacks` and connects `server` to it. */
export type OpenSession = (server: McpServer, callbacks: SessionCallbacks) => Promise<SessionTransport>;

interface Session {
  transport: SessionTransport;
  server: McpServer;
  /** Who opened it: nobody else may use it. */
  caller: string | undefined;
  lastUsed: number;
  /** Requests still being answered (an open SSE stream counts): a session busy with one is not idle. */
  inFlight: number;
  /**
   * Aborted at the end of the shutdown grace: the session's calls stop waiting for their host. One per session,
   * as each call links its own signal to it (Node 20 keeps such links as long as the signal lives).
   */
  shutdown: AbortController;
}

/**
 * 2025-era sessions: one transport and one server instance (with its own budget) per `Mcp-Session-Id`.
 * Each one holds memory, and anyone who can connect can open one, so their number is capped
 * (MAX_SESSIONS) and a session nobody uses is closed after SESSION_IDLE_MINUTES: hosts that vanish
 * without sending DELETE would otherwise keep theirs for the life of the process.
 */
export class Sessions {
  private readonly sessions = new Map<string, Session>();
  /**
   * While the server shuts down, no session opens and a session takes no new request: only the answers and
   * notifications its calls in flight are waiting for.
   */
  draining = false;
  private readonly sweeper = setInterval(() => this.closeIdle(), 60_000).unref();

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    readonly budgets: CallerBudgets,
    private readonly open: OpenSession,
    private readonly isInitializeRequest: (body: unknown) => boolean,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = this.sessions.get(sessionId);
      // Another caller's session answers as if it did not exist: its id is no key to it.
      if (!session || session.caller !== currentCaller()) return sendJsonRpcError(res, 404, -32001, 'Session not found; start a new one with initialize');
      if (this.draining && isRequest(body)) return refuseWhileDraining(res);
      session.lastUsed = Date.now();
      session.inFlight++;
      res.once('close', () => {
        session.inFlight--;
        session.lastUsed = Date.now();
      });
      return session.transport.handleRequest(req, res, body);
    }
    if (this.draining) return refuseWhileDraining(res);
    if (req.method !== 'POST' || !this.isInitializeRequest(body)) {
      return sendJsonRpcError(res, 400, -32000, 'Bad request: no session; start one with initialize');
    }
    if (this.sessions.size >= this.config.maxSessions && this.closeIdle() === 0) {
      this.log({ event: 'session_refused', reason: 'MAX_SESSIONS', openSessions: this.sessions.size });
      res.setHeader('retry-after', '60');
      return sendJsonRpcError(res, 503, -32000, 'Too many open sessions; try again later');
    }

    const shutdown = new AbortController();
    const server = createServer({ {{#if bothEras}}era: 'legacy', {{/if}}config: this.config, budget: this.budgets.newSession(), log: this.log, shutdown: shutdown.signal });
    const transport = await this.open(server, {
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, server, caller: currentCaller(), lastUsed: Date.now(), inFlight: 0, shutdown });
        this.log({ event: 'session_opened', sessionId: id });
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
        void server.close();
      },
      eventStore: new SessionEventStore(),
      retryInterval: RECONNECT_AFTER_MS,
    });
    await transport.handleRequest(req, res, body);
  }

  /** Ends the calls still waiting for their host with a `shutdown` result. */
  stopWaiting(): void {
    for (const session of this.sessions.values()) session.shutdown.abort();
  }

  /** Closes sessions with nothing in flight and unused for at least `idleMs`; returns how many. */
  closeIdle(idleMs = this.config.sessionIdleMs, now = Date.now()): number {
    let closed = 0;
    for (const [id, session] of this.sessions) {
      if (session.inFlight > 0 || now - session.lastUsed < idleMs) continue;
      this.sessions.delete(id);
      void session.server.close();
      this.log({ event: 'session_expired', sessionId: id, caller: session.caller, idleMinutes: Math.round((now - session.lastUsed) / 60_000) });
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

/** Deeper JSON is refused: no MCP message needs it, and validating it recursively would exhaust the stack. */
export const MAX_JSON_DEPTH = 64;

export type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Parses a POST body; malformed or too deeply nested JSON is the client's error (400), never a 500. An error
 * answer the SDK could not read is made readable, so the request it answers fails at once.
 */
export function parseJsonBody(text: string): ParsedBody {
  if (nestingDepth(text) > MAX_JSON_DEPTH) return { ok: false, message: `Parse error: JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value: Array.isArray(value) ? value.map(readableAnswer) : readableAnswer(value) };
  } catch {
    return { ok: false, message: 'Parse error: the body is not valid JSON' };
  }
}

/** The deepest nesting of arrays and objects in `text`, brackets inside strings aside. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  return deepest;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** A JSON-RPC request (a method and an id), as opposed to an answer or a notification. */
function isRequest(body: unknown): boolean {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.some((message) => typeof message === 'object' && message !== null && 'method' in message && 'id' in message);
}

/** Whether the request is for the MCP endpoint; any other path is answered 404, naming the endpoint. */
export function atMcpEndpoint(req: IncomingMessage, res: ServerResponse): boolean {
  if (new URL(req.url ?? '/', 'http://localhost').pathname === MCP_PATH) return true;
  res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found. The MCP endpoint is ${MCP_PATH}\n`);
  return false;
}

export function refuseWhileDraining(res: ServerResponse): void {
  res.setHeader('retry-after', '5');
  res.setHeader('connection', 'close');
  sendJsonRpcError(res, 503, -32000, 'The server is shutting down; try again shortly');
}

export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
