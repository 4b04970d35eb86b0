import { fileURLToPath } from 'node:url';

import type { McpServer, ToolContext } from './sdk.js';

/** A client that declares roots but does not answer in this long is treated as declaring none. */
const LIST_ROOTS_TIMEOUT_MS = 10_000;

/**
 * The folders the client declares (`roots/list`), as local paths; undefined when it declares no roots
 * capability or fails to answer.
 */
export async function listClientRoots(server: McpServer, ctx: ToolContext): Promise<string[] | undefined> {
  if (server.server.getClientCapabilities()?.roots === undefined) return undefined;
  try {
    const { roots } = await server.server.listRoots(undefined, {
      timeout: LIST_ROOTS_TIMEOUT_MS,
      signal: ctx.signal,
      relatedRequestId: ctx.requestId,
    });
    return roots.flatMap((root) => (root.uri.startsWith('file://') ? [fileURLToPath(root.uri)] : []));
  } catch {
    return undefined;
  }
}
