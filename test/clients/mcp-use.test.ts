/**
 * mcp-use 1.34.6's MCPClient, a host library that answers sampling with an `onSampling` callback, drives a
 * generated stdio server over both outcomes: an approval returns the callback's answer, and a decline, which
 * mcp-use sends as -32603 with the callback's message ("User rejected sampling request", its own wording),
 * is reported as `rejected`, nothing charged.
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { toolPackage } from '../global-setup.js';
import { runCommand } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  _meta?: { sampling?: { outcome?: string; budgetRemainingTokens?: number; estimatedInputTokens?: number } };
}
interface McpUseSession {
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResult>;
}
interface McpUseClient {
  createSession(name: string): Promise<McpUseSession>;
  closeAllSessions(): Promise<void>;
}
type McpUse = { MCPClient: new (config: object, options: object) => McpUseClient };

// Its client entry: the main one loads langchain, an optional peer it does not install.
const { MCPClient } = createRequire(`${toolPackage('mcp-use', 'mcp-use')}/package.json`)('mcp-use/client') as McpUse;

let project: string;
beforeAll(async () => {
  project = await generatedProject('cmss-mcp-use-', 'used', ['--tool', 'ask']);
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  if (build.code !== 0) throw new Error(`building the project failed:\n${build.output}`);
}, TIMEOUTS.projectSetup);

async function callWith(onSampling: () => Promise<object>): Promise<ToolResult> {
  const client = new MCPClient({ mcpServers: { used: { command: process.execPath, args: [`${project}/dist/index.js`] } } }, { onSampling });
  try {
    const session = await client.createSession('used');
    return await session.callTool('ask', { prompt: 'Say hello.' });
  } finally {
    await client.closeAllSessions();
  }
}

describe('mcp-use 1.34.6 as the host', () => {
  it('approves: the answer comes back through sampling', async () => {
    const result = await callWith(async () => ({ role: 'assistant', model: 'mcp-use-model', content: { type: 'text', text: 'Hello from mcp-use.' }, stopReason: 'endTurn' }));
    expect(result._meta?.sampling?.outcome).toBe('ok');
    expect(result.content[0]?.text).toBe('Hello from mcp-use.');
  }, 60_000);

  it('declines in its own words: rejected, and the budget is not charged', async () => {
    const result = await callWith(async () => {
      throw new Error('User rejected sampling request');
    });
    expect(result._meta?.sampling?.outcome).toBe('rejected');
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(/declined in the host/);
    expect(result._meta?.sampling?.budgetRemainingTokens).toBe(50_000);
  }, 60_000);
});
