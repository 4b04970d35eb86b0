// The scripted host behind `create-mcp-sampling-server verify`. Copied into the generated project and
// run there, so it uses the project's own MCP SDK: for a v2 project @modelcontextprotocol/client, as a
// 2025-era host and as a 2026-07-28 host; for a v1 project @modelcontextprotocol/sdk, as a 2025-era
// host (the only era v1 speaks). Each host approves, rejects and lacks sampling; it calls the
// project's tool and prints one JSON line per scenario.
//
//   node host.mjs '{"sdk": "v1" | "v2", "server": {"command": "node", "args": ["dist/index.js"]} | {"url": "http://..."}}'
const { sdk, server } = JSON.parse(process.argv[2]);

/** Arguments for the built-in tools, recognised by their input schema. */
function argumentsFor(tool) {
  const properties = Object.keys(tool.inputSchema?.properties ?? {});
  if (properties.includes('prompt')) return { prompt: 'Reply with the single word: ready.' };
  if (properties.includes('text')) return { text: 'Sampling lets an MCP server use the host model. The host pays.' };
  if (properties.includes('path')) return { path: 'src' };
  throw new Error(`cannot build arguments for tool ${tool.name}: verify knows the generated tools only`);
}

/** What one SDK's client needs to play a host: a client answering sampling with `answer`, and a transport. */
const HOSTS = {
  async v2(era, capabilities, answer) {
    const { Client, ProtocolError, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    const versionNegotiation = era === '2026-07-28' ? { mode: { pin: '2026-07-28' } } : { mode: 'legacy' };
    const client = new Client({ name: 'create-mcp-sampling-server-verify', version: '1.0.0' }, { capabilities, versionNegotiation });
    if (answer) client.setRequestHandler('sampling/createMessage', () => answer((code, message) => new ProtocolError(code, message)));
    return { client, HttpTransport: StreamableHTTPClientTransport, StdioTransport: StdioClientTransport };
  },
  async v1(_era, capabilities, answer) {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { CreateMessageRequestSchema, McpError } = await import('@modelcontextprotocol/sdk/types.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const client = new Client({ name: 'create-mcp-sampling-server-verify', version: '1.0.0' }, { capabilities });
    if (answer) client.setRequestHandler(CreateMessageRequestSchema, () => answer((code, message) => new McpError(code, message)));
    return { client, HttpTransport: StreamableHTTPClientTransport, StdioTransport: StdioClientTransport };
  },
};

/** The protocol eras each SDK's host speaks. */
const ERAS = { v2: ['2025-11-25', '2026-07-28'], v1: ['2025-11-25'] };

async function scenario(era, behaviour) {
  const capabilities = behaviour === 'no-sampling' ? {} : { sampling: {} };
  let sampled = 0;
  const answer =
    behaviour === 'no-sampling'
      ? undefined
      : async (hostError) => {
          sampled++;
          // A 2025 host answers a rejection with the spec's code -1; a 2026 host simply does not retry.
          if (behaviour === 'reject') throw hostError(-1, 'User rejected sampling request');
          return { model: 'verify-host', role: 'assistant', content: { type: 'text', text: 'ready' }, stopReason: 'endTurn' };
        };
  const { client, HttpTransport, StdioTransport } = await HOSTS[sdk](era, capabilities, answer);
  const transport = server.url
    ? new HttpTransport(new URL(server.url))
    : new StdioTransport({ command: server.command, args: server.args, cwd: process.cwd(), stderr: 'ignore' });
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

for (const era of ERAS[sdk]) {
  for (const behaviour of ['approve', 'reject', 'no-sampling']) {
    process.stdout.write(`${JSON.stringify(await scenario(era, behaviour))}\n`);
  }
}
