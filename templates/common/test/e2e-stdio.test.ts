import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
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

/**
 * A host speaking raw JSON-RPC lines, for answers the SDK's client would never send: it connects in the 2025
 * era, calls the tool, and answers the server's sampling request with `reply`.
 */
async function callWithRawAnswer(reply: (id: unknown) => string): Promise<{ result: CallToolResult; alive: boolean }> {
  const server = spawn(process.execPath, [entry], { env: serverEnv(), stdio: ['pipe', 'pipe', 'ignore'] });
  const send = (message: object | string) => server.stdin.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as { id?: unknown; method?: string; result?: unknown };
  try {
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { sampling: {} }, clientInfo: { name: 'raw', version: '1' } } });
    await next();
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: TOOL_NAME, arguments: toolArguments() } });
    const request = await next();
    expect(request.method).toBe('sampling/createMessage');
    send(reply(request.id));
    const result = (await next()).result as CallToolResult;
    send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    return { result, alive: (await next()).id === 3 };
  } finally {
    server.kill();
  }
}

describe('answers the SDK could not read', () => {
  it('ends the call at once, and the server carries on, for an answer over the size limit', async () => {
    const huge = (id: unknown) => JSON.stringify({ result: { role: 'assistant', model: 'm', content: { type: 'text', text: 'y'.repeat(20e6) } }, jsonrpc: '2.0', id });
    const { result, alive } = await callWithRawAnswer(huge);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'invalid_result' });
    expect(result.content).toEqual([expect.objectContaining({ text: expect.stringContaining('over the 8 MB this server reads') })]);
    expect(alive).toBe(true);
  });

  it('ends the call at once for an error answer that is not valid JSON-RPC', async () => {
    const { result, alive } = await callWithRawAnswer((id) => JSON.stringify({ jsonrpc: '2.0', id, error: { code: 'nope' } }));
    expect(samplingMeta(result)).toMatchObject({ outcome: 'invalid_result' });
    expect(result.content).toEqual([expect.objectContaining({ text: expect.stringContaining('its error is not valid JSON-RPC') })]);
    expect(alive).toBe(true);
  });
});

describe('startup', () => {
  it('exits with a clear message when a setting is invalid', () => {
    const run = spawnSync(process.execPath, [entry], { env: serverEnv({ SAMPLING_MAX_TOKENS: 'lots' }), encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('SAMPLING_MAX_TOKENS must be a whole number');
  });
});
