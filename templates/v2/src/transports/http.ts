import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  hostHeaderValidation,
  NodeStreamableHTTPServerTransport,
  originValidation,
  toNodeHandler,
  toWebRequest,
} from '@modelcontextprotocol/node';
import { createMcpHandler, isInitializeRequest, isLegacyRequest } from '@modelcontextprotocol/server';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createServer } from '../server.js';
import { authenticator } from './auth.js';
import { CallerBudgets } from './budgets.js';
import {
  allowedHostNames,
  atMcpEndpoint,
  parseJsonBody,
  refuseWhileDraining,
  sendJsonRpcError,
  Sessions,
  startHttpServer,
  type HttpServerHandle,
} from './httpServer.js';
import { asCaller, callerLogger } from './identity.js';

export type { HttpServerHandle } from './httpServer.js';

/**
 * Serves MCP over Streamable HTTP on one endpoint, for both protocol eras:
 *   - 2026-07-28 requests go to `createMcpHandler`: stateless, a fresh server instance per request,
 *     sampling through `input_required` rounds. There is no session, so a caller's requests share
 *     one session budget.
 *   - 2025-era requests go to a per-session transport. Push sampling sends a request back to the
 *     client while the tool call is pending, which needs a session to carry it (the SDK's
 *     stateless 2025 fallback cannot sample). Each session gets its own budget.
 * Every budget sits within its caller's daily share and the process's daily budget.
 */
export async function serveOverHttp(config: Config, baseLog: Logger): Promise<HttpServerHandle> {
  const log = callerLogger(baseLog);
  const onerror = (error: Error) => log({ event: 'transport_error', transport: 'http', message: error.message });
  const authenticate = authenticator(config, log);

  const budgets = new CallerBudgets(config, log);
  const modern = createMcpHandler(() => createServer({ era: 'modern', config, budget: budgets.stateless(), log }), {
    legacy: 'reject',
    onerror,
  });
  const serveModern = toNodeHandler(modern, { onerror });
  const legacySessions = new Sessions(
    config,
    log,
    budgets,
    async (server, callbacks) => {
      const transport = new NodeStreamableHTTPServerTransport(callbacks);
      await server.connect(transport);
      return transport;
    },
    isInitializeRequest,
  );

  // DNS-rebinding protection: a web page must not be able to reach this server through the browser.
  const allowedNames = allowedHostNames(config);
  const validHost = hostHeaderValidation(allowedNames);
  const validOrigin = originValidation(allowedNames);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!validHost(req, res) || !validOrigin(req, res)) return;
    // Authentication answers what it serves itself (OAuth's metadata) and every request it refuses.
    const identity = await authenticate(req, res);
    if (identity === undefined || !atMcpEndpoint(req, res)) return;
    return asCaller(identity, () => serveMcp(req, res));
  }

  async function serveMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The Node stream can be read once: read it here and hand both legs the parsed body.
    const request = await toWebRequest(req);
    let body: unknown;
    if (req.method === 'POST') {
      const parsed = parseJsonBody(await request.clone().text());
      if (!parsed.ok) return sendJsonRpcError(res, 400, -32700, parsed.message);
      body = parsed.value;
    }
    if (!(await isLegacyRequest(request, body))) {
      // Shutting down, a 2026-07-28 call is still served when it returns with the answer it was waiting for.
      if (legacySessions.draining && !returnsWithAnswers(body)) return refuseWhileDraining(res);
      return serveModern(req, res, body);
    }
    return legacySessions.handle(req, res, body);
  }

  return startHttpServer(config, log, handle, legacySessions, () => modern.close());
}

/** A 2026-07-28 retry: the tool call again, with the answers to the requests its first round made. */
function returnsWithAnswers(body: unknown): boolean {
  const params = (body as { params?: { inputResponses?: unknown } } | undefined)?.params;
  return params?.inputResponses !== undefined;
}
