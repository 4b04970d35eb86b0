import * as z from 'zod';

import type { Config } from '../config.js';
import { fileAccessFor, FileAccessError, readTextFile } from '../files.js';
import { failureResult } from '../sampling/outcomes.js';
import { createFence } from '../sampling/prompt.js';
import type { SamplerFor } from '../sampling/sampler.js';
import type { McpServer } from '../sdk.js';

export const TOOL_NAME = {{ts toolName}};

const SYSTEM_PROMPT =
  'You write faithful, concise summaries. Summarize the data you are given: lead with the main point, then the ' +
  'key facts, figures and decisions, in at most a few short paragraphs or bullet points. Do not add information ' +
  'that is not in the data.';

/** Summarizes a local file (inside the allowed roots) or text passed inline, using the host's model. */
export function {{registerTool}}(server: McpServer, samplerFor: SamplerFor, config: Config): void {
  const sampler = samplerFor(TOOL_NAME);
  server.registerTool(
    TOOL_NAME,
    {
      title: 'Summarize with the host model',
      description:
        "Summarizes a local text file or inline text using the MCP host's own language model. This triggers MCP " +
        "sampling: the host may ask the user to approve the request, and the tokens are billed to the host's " +
        'account. Give exactly one of `path` (a file inside the allowed folders) or `text`.',
      inputSchema: z.object({
        path: z.string().min(1).optional().describe('A text file to summarize, inside the allowed folders'),
        text: z.string().min(1).optional().describe('Text to summarize, if not reading a file'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, ctx) => {
      if ((args.path === undefined) === (args.text === undefined)) {
        return { content: [{ type: 'text', text: 'Give exactly one of `path` or `text`.' }], isError: true };
      }

      let label = 'inline text';
      let data = args.text ?? '';
      if (args.path !== undefined) {
        try {
          const access = await fileAccessFor(config, server, ctx);
          data = await readTextFile(await access.resolve(args.path), config.maxInputBytes, args.path);
          label = args.path;
        } catch (error) {
          if (!(error instanceof FileAccessError)) throw error;
          if (error.problem === 'too_large' && error.bytes !== undefined) {
            return failureResult({ kind: 'input_too_large', bytes: error.bytes, maxBytes: config.maxInputBytes });
          }
          const orInline = error.problem === 'no_folders' ? ' Or pass the text itself as `text`.' : '';
          return { content: [{ type: 'text', text: error.message + orInline }], isError: true };
        }
      }

      // The document is untrusted: it may contain text that tries to instruct the model.
      const fence = createFence();
      return sampler.run(
        ctx,
        { systemPrompt: `${SYSTEM_PROMPT}\n\n${fence.instruction}`, userMessage: fence.fence(label, data) },
        (answer) => ({ content: [{ type: 'text', text: answer.text }] }),
      );
    },
  );
}
