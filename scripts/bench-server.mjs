// Figures for a generated server, measured on this machine.
//
//   node scripts/bench-server.mjs [calls]
//
// 1. Generate + install + build + test of a fresh project (warm npm cache; target under 20 s).
// 2. stdio cold start: spawning `node dist/index.js` to the answer of tools/list (median of 15).
// 3. Round trip of the generated `ask` tool with a host that approves instantly, against bare servers
//    whose tool does nothing but one createMessage (same SDK, transport and client): one sending the same
//    request as the generated tool (same params, timeout and abort signal; the target's baseline), one
//    sending the minimum, and, for reference, one sending the same request and returning a `_meta` like
//    the generated tool's. Target: at most 1.2x of the first, with plain code (no batching or other tricks in the user's project). Measured in ROUND_TRIP_SETS sets, each with
//    fresh server processes: which core a process lands on and when it is woken moves one set's ratio by
//    several percent, so the median set is reported with the range. Where `taskset` exists (Linux), the
//    round trips run with the bench on the first core and every server on the second, so the OS cannot
//    move them about (the steps before run unpinned, as a user would run them).
// 4. Server memory (RSS) sampled every 1,000 of `calls` (default 10,000) tool calls: the band of the first
//    half against the second half; growth would show as a higher second band.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const calls = Number(process.argv[2] ?? 10_000);
const ROUND_TRIP_SETS = 5;

// For the round trips, the bench (the client) and the servers are pinned to different cores.
const canPin = cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;
let pinServers = false;
function pinForRoundTrips() {
  if (!canPin) return;
  spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  pinServers = true;
}
const serverCommand = (script) =>
  pinServers ? { command: 'taskset', args: ['-c', '1', process.execPath, script] } : { command: process.execPath, args: [script] };
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
  generate: timedStep('generate', process.execPath, [path.join(root, 'bin/create-mcp-sampling-server.cjs'), 'bench-server', '--tool', 'ask', '--no-install', '--no-git'], work),
  install: timedStep('install', 'npm', ['install'], project),
  build: timedStep('build', 'npm', ['run', 'build'], project),
  test: timedStep('test', 'npm', ['test'], project),
};
const total = Object.values(steps).reduce((a, b) => a + b, 0);

// Bare servers for comparison: one tool, one createMessage, nothing else.
function bareServer(file, requestExtras, optionsArgument, resultExtras = '') {
  writeFileSync(
    path.join(project, file),
    `import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';
serveStdio(() => {
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  server.registerTool('ask', { inputSchema: z.object({ prompt: z.string() }) }, async ({ prompt }, ctx) => {
    const result = await ctx.mcpReq.requestSampling(
      { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 1024${requestExtras} }${optionsArgument},
    );
    return { content: [{ type: 'text', text: result.content.text }]${resultExtras} };
  });
  return server;
});
`,
  );
}
bareServer(
  'bare-same-request.mjs',
  ", modelPreferences: { hints: [], costPriority: 0.5, speedPriority: 0.5, intelligencePriority: 0.5 }, includeContext: 'none'",
  ', { timeout: 300_000, signal: ctx.mcpReq.signal }',
);
bareServer('bare-minimal.mjs', '', '');
// Not the target's baseline, a reference: the same request, and a result carrying a _meta.sampling of the
// generated tool's size and shape (the generated tool must return one; the bare ones above do not).
bareServer(
  'bare-same-request-and-meta.mjs',
  ", modelPreferences: { hints: [], costPriority: 0.5, speedPriority: 0.5, intelligencePriority: 0.5 }, includeContext: 'none'",
  ', { timeout: 300_000, signal: ctx.mcpReq.signal }',
  ", _meta: { sampling: { outcome: 'ok', reachedModel: 'yes', source: 'host', model: result.model, stopReason: result.stopReason ?? null, estimatedInputTokens: 10, estimatedOutputTokens: 1, maxTokens: 1024, budgetRemainingTokens: 99998989 } }",
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
    ...serverCommand(script),
    cwd: project,
    // The budget is lifted so thousands of calls measure the tool, not the refusal path.
    env: { ...env, SAMPLING_TOKEN_BUDGET: '100000000' },
    stderr: 'ignore',
  });
  await client.connect(transport);
  return { client, pid: transport.pid };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
// CPU time of a process's main thread, in µs (Linux only): steadier than wall time, and it leaves out
// V8's helper threads.
const mainThreadCpuUs = (pid) => {
  const stat = `/proc/${pid}/task/${pid}/stat`;
  if (!existsSync(stat)) return undefined;
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100); // utime + stime, in 1/100 s ticks
};

// 2. Cold start to the first tools/list answer.
const coldStarts = [];
for (let i = 0; i < 15; i++) {
  const started = performance.now();
  const { client } = await connect('dist/index.js');
  await client.listTools();
  coldStarts.push(performance.now() - started);
  await client.close();
}

// 3. Round trips, interleaved in rounds so all servers see the same machine load.
pinForRoundTrips();
async function roundTrips(client, count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await client.callTool({ name: 'ask', arguments: { prompt: 'Say ok.' } });
    times.push(performance.now() - started);
  }
  return times;
}
const servers = { generated: 'dist/index.js', sameRequest: 'bare-same-request.mjs', minimal: 'bare-minimal.mjs', sameMeta: 'bare-same-request-and-meta.mjs' };
const sets = [];
for (let set = 0; set < ROUND_TRIP_SETS; set++) {
  const connected = Object.fromEntries(await Promise.all(Object.entries(servers).map(async ([key, script]) => [key, await connect(script)])));
  const times = Object.fromEntries(Object.keys(servers).map((key) => [key, []]));
  const cpuUs = Object.fromEntries(Object.keys(servers).map((key) => [key, 0]));
  for (const { client } of Object.values(connected)) await roundTrips(client, 200); // warm-up, not counted
  for (let round = 0; round < 20; round++) {
    for (const key of Object.keys(servers)) {
      const before = mainThreadCpuUs(connected[key].pid);
      times[key].push(...(await roundTrips(connected[key].client, 100)));
      cpuUs[key] += (mainThreadCpuUs(connected[key].pid) ?? NaN) - (before ?? NaN);
    }
  }
  sets.push({ times, cpuUs });
  await Promise.all(Object.values(connected).map(({ client }) => client.close()));
}

// 4. Memory of the generated server over many calls (the first 2,000 are the warm-up of the band).
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const generated = await connect(servers.generated);
await roundTrips(generated.client, 2000);
const rss = [];
for (let done = 2000; done < calls; done += 1000) {
  await roundTrips(generated.client, 1000);
  rss.push(rssMb(generated.pid));
}
await generated.client.close();
const half = Math.floor(rss.length / 2);
const band = (values) => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)} MB`;

const ms = (value) => `${value.toFixed(1)} ms`;
const us = (value) => `${(value * 1000).toFixed(0)} µs`;
const callsPerSet = sets[0].times.generated.length;
// Per set: the median round trip of each server; then the median set, and the range over sets.
const medianOf = (key) => median(sets.map((set) => median(set.times[key])));
const ratios = (key) => sets.map((set) => median(set.times.generated) / median(set.times[key]));
const ratioSummary = (key) => {
  const values = ratios(key);
  return `${median(values).toFixed(2)}x (sets: ${values.map((value) => value.toFixed(2)).join(', ')})`;
};
const cpuPerCall = (key) => median(sets.map((set) => set.cpuUs[key] / callsPerSet));
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}${canPin ? ', bench on core 0 and servers on core 1' : ', not pinned to cores'}`);
console.log(`generate + install + build + test    ${(total / 1000).toFixed(1)} s (generate ${ms(steps.generate)}, install ${(steps.install / 1000).toFixed(1)} s, build ${(steps.build / 1000).toFixed(1)} s, test ${(steps.test / 1000).toFixed(1)} s; target < 20 s)`);
console.log(`stdio cold start to tools/list       ${ms(median(coldStarts))} (median of ${coldStarts.length})`);
console.log(`round trips: ${ROUND_TRIP_SETS} sets of fresh servers, ${callsPerSet.toLocaleString('en-US')} calls each per server; medians`);
console.log(`  ask, instant approval              ${us(medianOf('generated'))}`);
console.log(`  bare, same request                 ${us(medianOf('sameRequest'))}: generated is ${ratioSummary('sameRequest')} (target <= 1.2x)`);
console.log(`  bare, minimal request              ${us(medianOf('minimal'))}: generated is ${ratioSummary('minimal')}`);
console.log(`  bare, same request and _meta       ${us(medianOf('sameMeta'))}: generated is ${ratioSummary('sameMeta')} (reference)`);
if (!Number.isNaN(cpuPerCall('generated'))) {
  console.log(`  server main-thread CPU per call    generated ${cpuPerCall('generated').toFixed(0)} µs, bare same request ${cpuPerCall('sameRequest').toFixed(0)} µs, bare minimal ${cpuPerCall('minimal').toFixed(0)} µs, bare with _meta ${cpuPerCall('sameMeta').toFixed(0)} µs`);
}
console.log(`server RSS, calls 2,000-${(2000 + half * 1000).toLocaleString('en-US')}         ${band(rss.slice(0, half))}`);
console.log(`server RSS, calls ${(2000 + half * 1000).toLocaleString('en-US')}-${calls.toLocaleString('en-US')}        ${band(rss.slice(half))}`);
