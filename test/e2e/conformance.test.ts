/**
 * The official MCP conformance suite against a generated HTTP server: a reference we did not write.
 * `--tool ask --tool-name test_sampling` is the shape its tools-call-sampling scenario expects.
 * Two releases: 0.1.13, the last that runs on Node 20, and 0.1.16 on Node 22 (installed from the
 * npm registry by test/global-setup.ts).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { bin, repoRoot, scratch } from '../helpers/cli.js';
import { runCommand, startHttpServer, type RunningServer } from '../helpers/processes.js';

const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'tools-call-sampling', 'dns-rebinding-protection'];
const SUITES = [
  { version: '0.1.13', node: process.execPath, conformance: toolBin('conformance-0.1.13', 'conformance') },
  { version: '0.1.16', node: toolBin('node-22', 'node'), conformance: toolBin('conformance-0.1.16', 'conformance') },
];

let server: RunningServer;

beforeAll(async () => {
  const work = scratch('cmss-conformance-');
  const generate = await runCommand(process.execPath, [bin, 'conformance-server', '--tool', 'ask', '--tool-name', 'test_sampling', '--transport', 'http', '--no-git'], { cwd: work });
  if (generate.code !== 0) throw new Error(`generating failed:\n${generate.output}`);
  const project = path.join(work, 'conformance-server');
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  if (build.code !== 0) throw new Error(`building failed:\n${build.output}`);
  server = await startHttpServer(project);
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

describe.each(SUITES)('@modelcontextprotocol/conformance $version', ({ node, conformance }) => {
  it.each(SCENARIOS)('passes %s', async (scenario) => {
    const run = await runCommand(node, [conformance, 'server', '--url', server.url, '--scenario', scenario], { cwd: repoRoot });
    expect(run.output).toMatch(/Passed: (\d+)\/\1, 0 failed/);
    expect(run.code, run.output).toBe(0);
  });
});
