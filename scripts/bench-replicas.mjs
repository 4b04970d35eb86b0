// Figures for budgets kept in Redis (--store redis), measured on this machine; redis-server and haproxy installed.
//
//   node scripts/bench-replicas.mjs [calls]
//
// 1. The per-call cost of the budget: reserve then settle, one call after another, with the project's own
//    TokenBudget (memory) against its RedisBudget (a local redis-server, one Lua script each way).
// 2. Calls per second over HTTP with a host that approves at once (the SDK's client answering sampling with a
//    fixed text), `calls` calls (default 600) from 8 clients at once, 2025-era sessions and 2026-07-28 calls
//    half and half: one replica with its budgets in memory, one with them in Redis, and three behind HAProxy
//    (deploy/haproxy.cfg) sharing Redis. All three setups run side by side in one run, in turns.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const calls = Number(process.argv[2] ?? 600);
const CLIENTS = 8;
const ROUNDS = 3;
const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'cmss-bench-replicas-'));
const env = { ...process.env, npm_config_loglevel: 'error', NO_COLOR: '1' };

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Spawns `command` and resolves once its output says `ready`. */
function started(command, args, options, ready) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${output}`)), 15_000);
    const read = (chunk) => {
      output += chunk;
      if (!output.includes(ready)) return;
      clearTimeout(timer);
      resolve(child);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
  });
}

// The project: the ask tool over HTTP, budgets in Redis (its memory twin differs only in that file).
const project = path.join(work, 'bench-replicas');
run(process.execPath, [path.join(root, 'bin/create-mcp-sampling-server.cjs'), 'bench-replicas', '--tool', 'ask', '--transport', 'http', '--store', 'redis', '--no-git'], work);
const memoryProject = path.join(work, 'bench-memory');
run(process.execPath, [path.join(root, 'bin/create-mcp-sampling-server.cjs'), 'bench-memory', '--tool', 'ask', '--transport', 'http', '--no-git', '--no-install'], work);
spawnSync('ln', ['-s', path.join(project, 'node_modules'), path.join(memoryProject, 'node_modules')]);
run('npm', ['run', 'build'], project);
run('npm', ['run', 'build'], memoryProject);

const redisPort = await freePort();
const redis = await started('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, 'Ready to accept connections');
const redisUrl = `redis://127.0.0.1:${redisPort}`;
const children = [redis];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

// 1. Per-call cost of the budget.
const { TokenBudget } = await import(pathToFileURL(path.join(project, 'dist/sampling/tokens.js')).href);
const { RedisBudget, defineBudgetScripts } = await import(pathToFileURL(path.join(project, 'dist/transports/redisBudget.js')).href);
const { Redis } = await import(pathToFileURL(createRequire(path.join(project, 'package.json')).resolve('ioredis')).href);
const client = new Redis(redisUrl);
defineBudgetScripts(client);
const limit = Number.MAX_SAFE_INTEGER;
const scopes = () => [
  { key: 'bench:session', name: 'session', limit },
  { key: 'bench:caller', name: 'caller', limit },
  { key: 'bench:daily', name: 'daily', limit },
];
const redisBudget = new RedisBudget({ redis: client, scopes, reservationMs: 60_000, keepMs: 60_000, stateSecret: 'x'.repeat(32), log: () => {} });
const memoryBudget = new TokenBudget(limit, 'session', new TokenBudget(limit, 'caller', new TokenBudget(limit, 'daily')));
async function perCall(budget, n) {
  const startedAt = performance.now();
  for (let i = 0; i < n; i++) (await budget.reserve(100)).settle(50);
  // Settling in Redis runs in the background: wait for the last one too.
  await client.ping();
  return ((performance.now() - startedAt) * 1000) / n;
}
const costs = { memory: [], redis: [] };
for (let round = 0; round < ROUNDS; round++) {
  costs.memory.push(await perCall(memoryBudget, 20_000));
  costs.redis.push(await perCall(redisBudget, 5_000));
}
client.disconnect();

// 2. Calls per second.
const { Client, StreamableHTTPClientTransport } = createRequire(path.join(project, 'package.json'))('@modelcontextprotocol/client');
async function replica(dir, extra) {
  const port = await freePort();
  const child = await started(process.execPath, ['dist/index.js'], {
    cwd: dir,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', SAMPLING_TOKEN_BUDGET: String(limit), SAMPLING_DAILY_TOKEN_BUDGET: String(limit), ...extra },
  }, '"listening"');
  children.push(child);
  return { port, child };
}

async function callsPerSecond(url) {
  const perClient = Math.ceil(calls / CLIENTS);
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const modern = i % 2 === 1;
      const host = new Client({ name: 'bench-host', version: '1' }, { capabilities: { sampling: {} }, ...(modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) });
      host.setRequestHandler('sampling/createMessage', async () => ({ role: 'assistant', model: 'bench', content: { type: 'text', text: 'ready' } }));
      await host.connect(new StreamableHTTPClientTransport(new URL(url)));
      for (let call = 0; call < perClient; call++) {
        const result = await host.callTool({ name: 'ask', arguments: { prompt: 'Reply with one word.' } });
        if (result.isError) throw new Error(JSON.stringify(result));
      }
      await host.close();
    }),
  );
  return (CLIENTS * perClient) / ((performance.now() - startedAt) / 1000);
}

const keyPrefix = `bench-${Date.now()}`;
const single = await replica(memoryProject, {});
const singleRedis = await replica(project, { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, REQUEST_STATE_SECRET: 's'.repeat(32) });
const three = await Promise.all([1, 2, 3].map(() => replica(project, { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, REQUEST_STATE_SECRET: 's'.repeat(32) })));
const proxyPort = await freePort();
const proxy = spawn('haproxy', ['-db', '-f', 'deploy/haproxy.cfg'], {
  cwd: project,
  env: { ...env, HAPROXY_BIND: `127.0.0.1:${proxyPort}`, ...Object.fromEntries(three.map((r, i) => [`MCP_REPLICA_${i + 1}`, `127.0.0.1:${r.port}`])) },
  stdio: 'ignore',
});
children.push(proxy);
for (let tries = 0; ; tries++) {
  const ok = await fetch(`http://127.0.0.1:${proxyPort}/readyz`).then((response) => response.ok, () => false);
  if (ok) break;
  if (tries > 100) throw new Error('HAProxy did not come up');
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const setups = {
  'one replica, budgets in memory': `http://127.0.0.1:${single.port}/mcp`,
  'one replica, budgets in Redis': `http://127.0.0.1:${singleRedis.port}/mcp`,
  'three replicas behind HAProxy, Redis': `http://127.0.0.1:${proxyPort}/mcp`,
};
const rates = Object.fromEntries(Object.keys(setups).map((name) => [name, []]));
await callsPerSecond(setups['one replica, budgets in memory']); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, url] of Object.entries(setups)) rates[name].push(await callsPerSecond(url));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (values, digits) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)} to ${Math.max(...values).toFixed(digits)})`;
console.log(`Machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown'}; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}; Node ${process.version}`);
console.log(`Budget, reserve then settle (3 scopes), µs per call, median of ${ROUNDS} rounds (range):`);
console.log(`  memory (TokenBudget)   ${fmt(costs.memory, 2)}`);
console.log(`  Redis (RedisBudget)    ${fmt(costs.redis, 1)}`);
console.log(`Tool calls per second, ${CLIENTS} clients at once (2025 and 2026-07-28 half and half), ${calls} calls, median of ${ROUNDS} rounds (range):`);
for (const [name, values] of Object.entries(rates)) console.log(`  ${name.padEnd(40)} ${fmt(values, 0)}`);
process.exit(0);
