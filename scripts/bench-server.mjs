// Figures for a generated server, measured on this machine.
//
//   node scripts/bench-server.mjs [calls]
//
// 1. Generate + install + build + test of a fresh project (warm npm cache; target under 20 s).
// 2. stdio cold start: spawning `node dist/index.js` to the answer of tools/list (median of 15).
// 3. Round trip of the generated `ask` tool with a host that approves instantly, against a bare server
//    whose tool does nothing but one createMessage (same SDK, same transport, same client); target < 1.1x.
// 4. Server memory (RSS) after 1,000 and after `calls` (default 10,000) tool calls: no growth expected.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const calls = Number(process.argv[2] ?? 10_000);
const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'cmss-bench-server-'));
const project = path.join(work, 'bench-server');
const env = { ...process.env, npm_config_loglevel: 'error', NO_COLOR: '1' };
delete env.CI;

function timedStep(label, command, args, cwd) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${label} failed:\n${result.stdout}\n${result.stderr}`);
  return performance.now() - started;
}

// 1. The whole first-run experience a user (or a CI job) has.
const steps = {
  generate: timedStep('generate', process.execPath, [path.join(root, 'bin/create-mcp-sampling-server.js'), 'bench-server', '--tool', 'ask', '--no-install', '--no-git'], work),
  install: timedStep('install', 'npm', ['install'], project),
  build: timedStep('build', 'npm', ['run', 'build'], project),
  test: timedStep('test', 'npm', ['test'], project),
};
const total = Object.values(steps).reduce((a, b) => a + b, 0);

// A bare server for comparison: one tool, one createMessage, nothing else.
writeFileSync(
  path.join(project, 'bare-server.mjs'),
  `import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';
serveStdio(() => {
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  server.registerTool('ask', { inputSchema: z.object({ prompt: z.string() }) }, async ({ prompt }, ctx) => {
    const result = await ctx.mcpReq.requestSampling({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 1024 });
    return { content: [{ type: 'text', text: result.content.text }] };
  });
  return server;
});
`,
);

async function connect(script) {
  const client = new Client({ name: 'bench-host', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler('sampling/createMessage', async () => ({
    model: 'instant',
    role: 'assistant',
    content: { type: 'text', text: 'ok' },
    stopReason: 'endTurn',
  }));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [script],
    cwd: project,
    // The budget is lifted so thousands of calls measure the tool, not the refusal path.
    env: { ...env, SAMPLING_TOKEN_BUDGET: '100000000' },
    stderr: 'ignore',
  });
  await client.connect(transport);
  return { client, pid: transport.pid };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

// 2. Cold start to the first tools/list answer.
const coldStarts = [];
for (let i = 0; i < 15; i++) {
  const started = performance.now();
  const { client } = await connect('dist/index.js');
  await client.listTools();
  coldStarts.push(performance.now() - started);
  await client.close();
}

// 3. Round trips, interleaved in rounds so both servers see the same machine load.
async function roundTrips(client, count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await client.callTool({ name: 'ask', arguments: { prompt: 'Say ok.' } });
    times.push(performance.now() - started);
  }
  return times;
}
const generated = await connect('dist/index.js');
const bare = await connect('bare-server.mjs');
const generatedTimes = [];
const bareTimes = [];
for (let round = 0; round < 10; round++) {
  generatedTimes.push(...(await roundTrips(generated.client, 100)));
  bareTimes.push(...(await roundTrips(bare.client, 100)));
}
await bare.client.close();

// 4. Memory of the generated server over many calls.
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const rssAfter1000 = rssKb(generated.pid);
await roundTrips(generated.client, calls - 1000);
const rssAfterAll = rssKb(generated.pid);
await generated.client.close();

const ms = (value) => `${value.toFixed(1)} ms`;
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}`);
console.log(`generate + install + build + test    ${(total / 1000).toFixed(1)} s (generate ${ms(steps.generate)}, install ${(steps.install / 1000).toFixed(1)} s, build ${(steps.build / 1000).toFixed(1)} s, test ${(steps.test / 1000).toFixed(1)} s; target < 20 s)`);
console.log(`stdio cold start to tools/list       ${ms(median(coldStarts))} (median of ${coldStarts.length})`);
console.log(`ask round trip, instant approval     ${ms(median(generatedTimes))} vs bare createMessage ${ms(median(bareTimes))}: ${(median(generatedTimes) / median(bareTimes)).toFixed(2)}x (median of ${generatedTimes.length}; target < 1.1x)`);
console.log(`server RSS after 1,000 calls         ${(rssAfter1000 / 1024).toFixed(1)} MB`);
console.log(`server RSS after ${calls.toLocaleString('en-US')} calls        ${(rssAfterAll / 1024).toFixed(1)} MB (${rssAfterAll >= rssAfter1000 ? '+' : ''}${((rssAfterAll - rssAfter1000) / 1024).toFixed(1)} MB)`);
