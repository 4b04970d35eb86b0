import * as z from 'zod';

import type { Budget } from '../sampling/tokens.js';
import type { McpServer } from '../sdk.js';

export const HEALTH_TOOL_NAME = 'health';
export const OWNER = {{ts team}};

/**
 * Added by the ACME team template: every ACME server says who owns it and how much of the session's
 * token budget is left. It answers from the server's own state, so it never triggers sampling.
 */
export function registerHealthTool(server: McpServer, budget: Budget): void {
  server.registerTool(
    HEALTH_TOOL_NAME,
    {
      title: 'Health',
      description:
        'Reports that the server is up, which team owns it, and the estimated tokens this session may still spend on ' +
        'sampling, out of its budget. Does not use sampling itself.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () => {
      const status = { ok: true, team: OWNER, tokensRemaining: budget.remaining, tokenBudget: budget.limit };
      return { content: [{ type: 'text', text: JSON.stringify(status) }] };
    },
  );
}
