import { fileURLToPath } from 'node:url';

import { CLIENT_CAPABILITIES_META_KEY } from '@modelcontextprotocol/server';

import type { McpServer, ToolContext } from './sdk.js';

/** A client that declares roots but does not answer in this long is treated as declaring none. */
const LIST_ROOTS_TIMEOUT_MS = 10_000;

/**
 * The folders a 2025-era client declares (`roots/list`), as local paths; undefined when it declares no
 * roots capability, fails to answer, or the call is 2026-07-28, where asking the client is deprecated
 * (SEP-2577) and ALLOWED_ROOTS is the only grant.
 */
export async function listClientRoots(server: McpServer, ctx: ToolContext): Promise<string[] | undefined> {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  if (envelope?.[CLIENT_CAPABILITIES_META_KEY] !== undefined) return undefined;
  if (server.server.getClientCapabilities()?.roots === undefined) return undefined;
  try {
    const { roots } = await server.server.listRoots(undefined, {
      timeout: LIST_ROOTS_TIMEOUT_MS,
      signal: ctx.mcpReq.signal,
      relatedRequestId: ctx.mcpReq.id,
    });
    return roots.flatMap((root) => (root.uri.startsWith('file://') ? [fileURLToPath(root.uri)] : []));
  } catch {
    return undefined;
  }
}
