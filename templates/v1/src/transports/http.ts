import type { IncomingMessage, ServerResponse } from 'node:http';

import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { authenticator } from './auth.js';
import { CallerBudgets } from './budgets.js';
import {
  allowedHostNames,
  atMcpEndpoint,
  parseJsonBody,
  sendJsonRpcError,
  Sessions,
  startHttpServer,
  type HttpServerHandle,
} from './httpServer.js';
import { asCaller, callerLogger } from './identity.js';

export type { HttpServerHandle } from './httpServer.js';

/** The SDK's own limit for a JSON-RPC message body. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Serves MCP over Streamable HTTP on one endpoint, one session (`Mcp-Session-Id`) per client. Push
 * sampling sends a request back to the client while the tool call is pending, which needs a session
 * to carry it: v1's stateless mode cannot sample. Each session gets its own server instance and
 * its own budget, within its caller's daily share and the process's daily budget.
 */
export async function serveOverHttp(config: Config, baseLog: Logger): Promise<HttpServerHandle> {
  const log = callerLogger(baseLog);
  const onerror = (error: Error) => log({ event: 'transport_error', transport: 'http', message: error.message });
  const authenticate = authenticator(config, log);
  const sessions = new Sessions(
    config,
    log,
    new CallerBudgets(config, log),
    async (server, callbacks) => {
      const transport = new StreamableHTTPServerTransport(callbacks);
      transport.onerror = onerror;
      await server.connect(transport);
      return transport;
    },
    isInitializeRequest,
  );

  // DNS-rebinding protection: a web page must not be able to reach this server through the browser.
  // v1 offers it only as Express middleware (the transport's own options are deprecated), so it is done here.
  const allowedNames = new Set(allowedHostNames(config));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostnameAllowed(req.headers.host, allowedNames)) {
      return sendJsonRpcError(res, 403, -32000, `Forbidden: Host header ${JSON.stringify(req.headers.host ?? '')} is not allowed`);
    }
    if (req.headers.origin !== undefined && !hostnameAllowed(originHost(req.headers.origin), allowedNames)) {
      return sendJsonRpcError(res, 403, -32000, `Forbidden: Origin ${JSON.stringify(req.headers.origin)} is not allowed`);
    }
    // Authentication answers what it serves itself (OAuth's metadata) and every request it refuses.
    const identity = await authenticate(req, res);
    if (identity === undefined || !atMcpEndpoint(req, res)) return;
    return asCaller(identity, () => serveMcp(req, res));
  }

  async function serveMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    if (req.method === 'POST') {
      const parsed = parseJsonBody(await readBody(req));
      if (!parsed.ok) return sendJsonRpcError(res, 400, -32700, parsed.message);
      body = parsed.value;
    }
    return sessions.handle(req, res, body);
  }

  return startHttpServer(config, log, handle, sessions);
}

/** Carries the status the shared error handler answers with. */
class BodyTooLarge extends Error {
  readonly status = 413;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
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
