// A scripted MCP host in its own process: connects to a built server, calls one tool, and answers
// sampling the way it is told. Prints one JSON line: { era, protocol, result } or { era, clientError }.
//
//   node scripted-host.mjs '<json spec>'
//   spec: { era: "2025" | "2026", server: { command, args, cwd, env } | { url },
//           tool, arguments, host: "approve" | "reject" | "no-sampling", negotiation?: "pin" | "auto" }
//
// The 2025 host is built on @modelcontextprotocol/sdk (v1, initialize handshake, push sampling);
// the 2026 host on @modelcontextprotocol/client, pinned to 2026-07-28 (input_required rounds), or with
// `negotiation: "auto"` offering 2026-07-28 and falling back to 2025-11-25 where the server lacks it.
const spec = JSON.parse(process.argv[2]);

const sampled = [];
function answer(params) {
  sampled.push(params);
  const text = params.messages.map((message) => message.content?.text ?? '').join(' ');
  return {
    model: 'scripted-host-model',
    role: 'assistant',
    content: { type: 'text', text: `SCRIPTED ANSWER (${text.length} chars of prompt)` },
    stopReason: 'endTurn',
  };
}

async function run2025() {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { CreateMessageRequestSchema, McpError } = await import('@modelcontextprotocol/sdk/types.js');
  const capabilities = spec.host === 'no-sampling' ? {} : { sampling: {} };
  const client = new Client({ name: 'scripted-host-2025', version: '1.0.0' }, { capabilities });
  if (spec.host !== 'no-sampling') {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      if (spec.host === 'reject') throw new McpError(-1, 'User rejected sampling request');
      return answer(request.params);
    });
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  return callTool(client, transportFor(StreamableHTTPClientTransport, StdioClientTransport));
}

async function run2026() {
  const { Client, ProtocolError, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  const capabilities = spec.host === 'no-sampling' ? {} : { sampling: {} };
  const mode = spec.negotiation === 'auto' ? 'auto' : { pin: '2026-07-28' };
  const client = new Client({ name: 'scripted-host-2026', version: '1.0.0' }, { capabilities, versionNegotiation: { mode } });
  if (spec.host !== 'no-sampling') {
    client.setRequestHandler('sampling/createMessage', async (request) => {
      if (spec.host === 'reject') {
        // In the 2026 era a declining host simply does not retry; the server is never told. After
        // falling back to 2025-11-25 it answers the push request with the spec's rejection code.
        if (client.getNegotiatedProtocolVersion() === '2026-07-28') throw new Error('The user declined the sampling request');
        throw new ProtocolError(-1, 'User rejected sampling request');
      }
      return answer(request.params);
    });
  }
  const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
  return callTool(client, transportFor(StreamableHTTPClientTransport, StdioClientTransport));
}

/** The server's transport, built from whichever SDK's classes the host uses. */
function transportFor(HttpTransport, StdioTransport) {
  return spec.server.url
    ? new HttpTransport(new URL(spec.server.url))
    : new StdioTransport({ ...spec.server, env: { ...process.env, ...spec.server.env }, stderr: 'ignore' });
}

async function callTool(client, transport) {
  await client.connect(transport);
  try {
    const tools = await client.listTools();
    const result = await client.callTool({ name: spec.tool, arguments: spec.arguments });
    const protocol = client.getNegotiatedProtocolVersion?.();
    return { ...(protocol ? { protocol } : {}), tools: tools.tools.map((tool) => tool.name), result, sampled: sampled.length };
  } finally {
    await client.close();
  }
}

try {
  const outcome = spec.era === '2026' ? await run2026() : await run2025();
  process.stdout.write(`${JSON.stringify({ era: spec.era, ...outcome })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ era: spec.era, clientError: String(error?.message ?? error), sampled: sampled.length })}\n`);
}
process.exit(0);
