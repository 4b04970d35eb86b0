/**
 * A generated server behind the bridges people put in front of MCP servers, and in front of a client that
 * cannot sample: each a third-party package at an exact version (test/global-setup.ts), driven by a real
 * SDK client that approves or rejects every sampling request.
 *
 * - mcp-remote: a stdio client reaches the server's Streamable HTTP endpoint through it;
 * - supergateway: serves the stdio server as Streamable HTTP (stateful; stateless, its default, it opens the
 *   session itself without sampling, as the README says) and as SSE;
 * - @ai-sdk/mcp (Node 22): declares no sampling, so the tool answers "does not support sampling" at once.
 */
import { Client, ProtocolError, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toolBin, toolPackage } from '../global-setup.js';
import { scratch } from '../helpers/cli.js';
import { freePort, runCommand, startHttpServer, startUntil } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

type Decision = 'approve' | 'reject';
interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  _meta?: { sampling?: { outcome?: string } };
}

let project: string;
beforeAll(async () => {
  project = await generatedProject('cmss-clients-', 'bridged', ['--tool', 'ask', '--transport', 'both']);
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  if (build.code !== 0) throw new Error(`building the project failed:\n${build.output}`);
}, TIMEOUTS.projectSetup);

/** A host: approves with a fixed answer, or rejects as the spec suggests (-1). */
function host(decision: Decision): Client {
  const client = new Client({ name: 'bridge-test-host', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler('sampling/createMessage', async () => {
    if (decision === 'reject') throw new ProtocolError(-1, 'User rejected the sampling request');
    return { model: 'bridge-model', role: 'assistant', content: { type: 'text', text: 'Answered through the bridge.' }, stopReason: 'endTurn' };
  });
  return client;
}

async function callThrough(client: Client, transport: Parameters<Client['connect']>[0]): Promise<ToolResult> {
  await client.connect(transport);
  try {
    return (await client.callTool({ name: 'ask', arguments: { prompt: 'Say hello.' } })) as ToolResult;
  } finally {
    await client.close();
  }
}

const expected = {
  approve: (result: ToolResult) => {
    expect(result._meta?.sampling?.outcome).toBe('ok');
    expect(result.content[0]?.text).toBe('Answered through the bridge.');
  },
  reject: (result: ToolResult) => {
    expect(result._meta?.sampling?.outcome).toBe('rejected');
    expect(result.isError).toBe(true);
  },
};

describe('mcp-remote 0.15.1 in front of the HTTP server', () => {
  it.each(['approve', 'reject'] as const)('relays sampling: %s', async (decision) => {
    const server = await startHttpServer(project, { MCP_TRANSPORT: 'http' });
    try {
      const bridge = new StdioClientTransport({
        command: process.execPath,
        args: [toolBin('clients', 'mcp-remote'), server.url, '--transport', 'http-only'],
        env: { ...process.env, MCP_REMOTE_CONFIG_DIR: scratch('cmss-mcp-remote-') } as Record<string, string>,
        stderr: 'ignore',
      });
      expected[decision](await callThrough(host(decision), bridge));
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('supergateway 4.0.0 serving the stdio server', () => {
  async function gateway(output: 'streamableHttp' | 'sse', extra: string[] = []) {
    const port = await freePort();
    const started = await startUntil(
      process.execPath,
      [toolBin('clients', 'supergateway'), '--stdio', `${process.execPath} dist/index.js`, '--outputTransport', output, '--port', String(port), ...extra],
      { cwd: project, env: { MCP_TRANSPORT: 'stdio' } },
      /[Ll]istening on port|Server listening|listening/,
      30_000,
    );
    return { port, stop: started.stop, output: started.output };
  }

  it.each(['approve', 'reject'] as const)('over stateful Streamable HTTP relays sampling: %s', async (decision) => {
    const { port, stop } = await gateway('streamableHttp', ['--stateful']);
    try {
      expected[decision](await callThrough(host(decision), new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`))));
    } finally {
      await stop();
    }
  }, 60_000);

  it('over stateless Streamable HTTP (its default) opens the session itself, without sampling: the tool says so', async () => {
    const { port, stop } = await gateway('streamableHttp');
    try {
      const result = await callThrough(host('approve'), new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
      expect(result._meta?.sampling?.outcome).toBe('unsupported');
      expect(result.content[0]?.text).toMatch(/does not support sampling/);
    } finally {
      await stop();
    }
  }, 60_000);

  it.each(['approve', 'reject'] as const)('over SSE relays sampling: %s', async (decision) => {
    const { port, stop } = await gateway('sse');
    try {
      expected[decision](await callThrough(host(decision), new SSEClientTransport(new URL(`http://127.0.0.1:${port}/sse`))));
    } finally {
      await stop();
    }
  }, 60_000);
});

describe('@ai-sdk/mcp 2.0.99, a client without sampling', () => {
  it('gets "does not support sampling" from the tool, at once', async () => {
    const script = path.join(scratch('cmss-ai-sdk-'), 'call.mjs');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      script,
      [
        `import { createMCPClient } from ${JSON.stringify(path.join(toolPackage('clients', '@ai-sdk/mcp'), 'dist/index.js'))};`,
        `import { StdioMCPTransport } from ${JSON.stringify(path.join(toolPackage('clients', '@ai-sdk/mcp'), 'dist/mcp-stdio/index.js'))};`,
        `const client = await createMCPClient({ transport: new StdioMCPTransport({ command: process.execPath, args: ['dist/index.js'], env: { ...process.env, MCP_TRANSPORT: 'stdio' } }) });`,
        `const tools = await client.tools();`,
        `const result = await tools.ask.execute({ prompt: 'Say hello.' }, { toolCallId: '1', messages: [] });`,
        `process.stdout.write(JSON.stringify(result));`,
        `await client.close();`,
      ].join('\n'),
    );
    const run = await runCommand(toolBin('node-22', 'node'), [script], { cwd: project });
    expect(run.code, run.output).toBe(0);
    const result = JSON.parse(run.stdout) as ToolResult;
    expect(result._meta?.sampling?.outcome).toBe('unsupported');
    expect(result.content[0]?.text).toMatch(/does not support sampling/);
  }, 60_000);
});
