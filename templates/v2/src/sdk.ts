/**
 * The one place the server names its MCP SDK: @modelcontextprotocol/server (v2), which serves both
 * protocol eras. Tools and the sampling module import SDK classes and types from here, so the code
 * that talks to the SDK stays in this file, sampling/protocol.ts and the transports.
 */
export { McpServer } from '@modelcontextprotocol/server';
export type {
  CallToolResult,
  ClientCapabilities,
  CreateMessageRequestParams,
  InputRequiredResult,
  ModelPreferences,
  ServerContext as ToolContext,
} from '@modelcontextprotocol/server';

import type { CallToolResult, InputRequiredResult } from '@modelcontextprotocol/server';

/** What a tool handler may return: a result, or (2026-07-28 connections) a request for the client's input. */
export type ToolResult = CallToolResult | InputRequiredResult;
