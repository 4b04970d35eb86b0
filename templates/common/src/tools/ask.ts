import * as z from 'zod';

import type { SamplerFor } from '../sampling/sampler.js';
import type { McpServer } from '../sdk.js';

export const TOOL_NAME = {{ts toolName}};

/** The smallest sampling tool: the caller's prompt goes to the host's model unchanged. */
export function {{registerTool}}(server: McpServer, samplerFor: SamplerFor): void {
  const sampler = samplerFor(TOOL_NAME);
  server.registerTool(
    TOOL_NAME,
    {
      title: 'Ask the host model',
      description:
        "Sends a prompt to the MCP host's own language model and returns its answer. This triggers MCP sampling: " +
        "the host may ask the user to approve the request, and the tokens are billed to the host's account.",
      inputSchema: z.object({
        prompt: z.string().min(1).describe('The prompt, sent to the model as given'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    // The prompt is the caller's own instruction, so unlike file contents it is not fenced as data.
    ({ prompt }, ctx) => sampler.run(ctx, { userMessage: prompt }, (answer) => ({ content: [{ type: 'text', text: answer.text }] })),
  );
}
