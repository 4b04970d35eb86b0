// The scripted host behind `create-mcp-sampling-server verify`. Copied into the generated project and
// run there, so it uses the project's own @modelcontextprotocol/client. For one transport it connects
// as a 2025-era host and as a 2026-07-28 host, each approving, rejecting and lacking sampling, calls
// the project's tool, and prints one JSON line per scenario.
//
//   node host.mjs '{"server": {"command": "node", "args": ["dist/index.js"]} | {"url": "http://..."}}'
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const { server } = JSON.parse(process.argv[2]);

/** Arguments for the built-in tools, recognised by their input schema. */
function argumentsFor(tool) {
  const properties = Object.keys(tool.inputSchema?.properties ?? {});
  if (properties.includes('prompt')) return { prompt: 'Reply with the single word: ready.' };
  if (properties.includes('text')) return { text: 'Sampling lets an MCP server use the host model. The host pays.' };
  if (properties.includes('path')) return { path: 'src' };
  throw new Error(`cannot build arguments for tool ${tool.name}: verify knows the generated tools only`);
}

async function scenario(era, behaviour) {
  const capabilities = behaviour === 'no-sampling' ? {} : { sampling: {} };
  const versionNegotiation = era === '2026-07-28' ? { mode: { pin: '2026-07-28' } } : { mode: 'legacy' };
  const client = new Client({ name: 'create-mcp-sampling-server-verify', version: '1.0.0' }, { capabilities, versionNegotiation });
  let sampled = 0;
  if (behaviour !== 'no-sampling') {
    client.setRequestHandler('sampling/createMessage', async () => {
      sampled++;
      // A 2025 host answers a rejection with the spec's code -1; a 2026 host simply does not retry.
      if (behaviour === 'reject') throw new ProtocolError(-1, 'User rejected sampling request');
      return { model: 'verify-host', role: 'assistant', content: { type: 'text', text: 'ready' }, stopReason: 'endTurn' };
    });
  }
  const transport = server.url
    ? new StreamableHTTPClientTransport(new URL(server.url))
    : new StdioClientTransport({ command: server.command, args: server.args, cwd: process.cwd(), stderr: 'ignore' });
  const report = { era, behaviour, sampled: 0 };
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const [tool] = tools;
    report.tool = tool?.name;
    const result = await client.callTool({ name: tool.name, arguments: argumentsFor(tool) });
    report.isError = result.isError === true;
    report.outcome = result._meta?.sampling?.outcome;
    report.text = result.content?.[0]?.text;
  } catch (error) {
    report.clientError = String(error?.message ?? error);
  } finally {
    report.sampled = sampled;
    await client.close().catch(() => {});
  }
  return report;
}

for (const era of ['2025-11-25', '2026-07-28']) {
  for (const behaviour of ['approve', 'reject', 'no-sampling']) {
    process.stdout.write(`${JSON.stringify(await scenario(era, behaviour))}\n`);
  }
}
