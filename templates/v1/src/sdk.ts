/**
 * The one place the server names its MCP SDK: @modelcontextprotocol/sdk (v1, the maintenance line),
 * which speaks the 2025 protocol era. Tools and the sampling module import SDK classes and types from
 * here, so the code that talks to the SDK stays in this file, sampling/protocol.ts and the
 * transports: those are what moving to v2 changes (see the README, "Moving to v2").
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export type {
  CallToolResult,
  ClientCapabilities,
  CreateMessageRequestParams,
  ModelPreferences,
} from '@modelcontextprotocol/sdk/types.js';

/** What a tool handler receives besides its arguments: the request's signal, id, `_meta` and a way to notify. */
export type ToolContext = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What a tool handler returns. */
export type ToolResult = CallToolResult;
