import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { getMcpConfigForManifest, validateManifest, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { describe, expect, it } from 'vitest';

import { answer, type CallToolResult, createClient, {{#if (ne tool "ask")}}fixtureRoot, {{/if}}getDefaultEnvironment, samplingMeta, StdioClientTransport, TOOL_NAME, textOf, toolArguments } from './harness.js';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const manifestFile = path.join(projectDir, 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as McpbManifestAny;
{{#if (eq tool "summarize")}}
/** The tool's arguments for a file in the fixture folder, so the call reads the disk. */
const fileArguments = () => ({ path: path.join(fixtureRoot(), 'notes.txt') });
{{/if}}
{{#if (eq tool "code-patterns")}}
/** The tool reads the fixture folder. */
const fileArguments = toolArguments;
{{/if}}

/**
 * Starts the built server from manifest.json's mcp_config as a desktop host does: mcpb's own substitution of
 * `${__dirname}` (here the project, which holds dist/ as the bundle does) and of the settings form's values.
 */
async function callThroughManifest(userConfig: Record<string, string | number | string[]>, args = toolArguments()): Promise<CallToolResult> {
  const config = await getMcpConfigForManifest({ manifest, extensionPath: projectDir, systemDirs: {}, userConfig, pathSeparator: path.sep });
  if (config === undefined) throw new Error('manifest.json gave no mcp_config for these settings');
  const transport = new StdioClientTransport({
    command: config.command === 'node' ? process.execPath : config.command,
    args: config.args ?? [],
    env: { ...getDefaultEnvironment(), ...config.env },
    stderr: 'ignore',
  });
  const client = createClient('legacy', async () => answer('Hello from the desktop host.'));
  await client.connect(transport);
  try {
    return (await client.callTool({ name: TOOL_NAME, arguments: args })) as CallToolResult;
  } finally {
    await client.close();
  }
}

describe('the MCP Bundle manifest', () => {
  it('is valid for mcpb', () => {
    expect(validateManifest(manifestFile)).toBe(true);
  });

  it('starts the server as a desktop host would, with the settings form filled in', async () => {
{{#if (eq tool "ask")}}
    const result = await callThroughManifest({ token_budget: 50_000 });
{{else}}
    const result = await callThroughManifest({ allowed_folders: [fixtureRoot()], token_budget: 50_000 }, fileArguments());
{{/if}}
    expect(samplingMeta(result)).toMatchObject({ outcome: 'ok' });
    expect(textOf(result)).toContain('Hello from the desktop host.');
  });

  it("passes the form's token budget to the server", async () => {
    const result = await callThroughManifest({ {{#if (ne tool "ask")}}allowed_folders: [fixtureRoot()], {{/if}}token_budget: 1 });
    expect(samplingMeta(result)).toMatchObject({ outcome: 'budget_exhausted' });
  });
{{#if (ne tool "ask")}}

  it('reads no folder the form does not list', async () => {
    const result = await callThroughManifest({ allowed_folders: [], token_budget: 50_000 }, fileArguments());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Set ALLOWED_ROOTS');
  });
{{/if}}
});
