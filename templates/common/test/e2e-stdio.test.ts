import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it, vi } from 'vitest';

import { answer, type CallToolResult, createClient, ERAS, {{#if (ne tool "ask")}}fixtureRoot, {{/if}}getDefaultEnvironment, samplingMeta, StdioClientTransport, TOOL_NAME, toolArguments } from './harness.js';

/** The built server, as a host would start it (`npm test` builds before running the tests). */
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const serverEnv = (extra: Record<string, string> = {}) => ({
  ...getDefaultEnvironment(),
{{#if (ne tool "ask")}}
  ALLOWED_ROOTS: fixtureRoot(),
{{/if}}
{{#if (eq transport "both")}}
  MCP_TRANSPORT: 'stdio',
{{/if}}
  ...extra,
});

describe.each(ERAS)('built server over stdio, %s era', (era) => {
  it('lists the tool and answers a call through sampling', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [entry], env: serverEnv(), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = createClient(era, async () => answer('Hello from the host model.', { model: 'e2e-model' }));
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const tool = tools.find((candidate) => candidate.name === TOOL_NAME);
      expect(tool?.description).toMatch(/sampling/i);

      const result = (await client.callTool({ name: TOOL_NAME, arguments: toolArguments() })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(samplingMeta(result)).toMatchObject({ outcome: 'ok', model: 'e2e-model' });
      // One structured line on stderr for the call; stdout is reserved for the protocol. The two pipes
      // are read independently, so the log line may arrive just after the result.
      await vi.waitFor(() => expect(stderr).toContain('"event":"sampling"'));
    } finally {
      await client.close();
    }
  });
});

describe('startup', () => {
  it('exits with a clear message when a setting is invalid', () => {
    const run = spawnSync(process.execPath, [entry], { env: serverEnv({ SAMPLING_MAX_TOKENS: 'lots' }), encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('SAMPLING_MAX_TOKENS must be a whole number');
  });
});
