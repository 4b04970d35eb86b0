import * as z from 'zod';

import type { TokenBudget } from '../sampling/tokens.js';
import type { McpServer } from '../sdk.js';

export const HEALTH_TOOL_NAME = 'health';
export const OWNER = {{ts team}};

/**
 * Added by the ACME team template: every ACME server says who owns it and how much of the session's
 * token budget is left. It answers from the server's own state, so it never triggers sampling.
 */
export function registerHealthTool(server: McpServer, budget: TokenBudget): void {
  server.registerTool(
    HEALTH_TOOL_NAME,
    {
      title: 'Health',
      description:
        'Reports that the server is up, which team owns it, and the estimated tokens this session has used and may still ' +
        'spend on sampling. Does not use sampling itself.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () => {
      const status = { ok: true, team: OWNER, tokensUsed: budget.used, tokensRemaining: budget.remaining };
      return { content: [{ type: 'text', text: JSON.stringify(status) }] };
    },
  );
}
