/**
 * The official MCP conformance suite against generated HTTP servers, on both SDK lines: a reference we
 * did not write.
 * `--tool ask --tool-name test_sampling` is the shape its tools-call-sampling scenario expects.
 * Two releases: 0.1.13, the last that runs on Node 20, and 0.1.16 on Node 22 (installed from the
 * npm registry by test/global-setup.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { repoRoot } from '../helpers/cli.js';
import { runCommand, startHttpServer, type RunningServer } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'tools-call-sampling', 'dns-rebinding-protection'];
const SUITES = [
  { version: '0.1.13', node: process.execPath, conformance: toolBin('conformance-0.1.13', 'conformance') },
  { version: '0.1.16', node: toolBin('node-22', 'node'), conformance: toolBin('conformance-0.1.16', 'conformance') },
];

const SDKS = ['v2', 'v1'] as const;
const servers = new Map<string, RunningServer>();

beforeAll(async () => {
  for (const sdk of SDKS) {
    const args = ['--sdk', sdk, '--tool', 'ask', '--tool-name', 'test_sampling', '--transport', 'http'];
    const project = await generatedProject('cmss-conformance-', `conformance-${sdk}`, args);
    const build = await runCommand('npm', ['run', 'build'], { cwd: project });
    if (build.code !== 0) throw new Error(`building failed:\n${build.output}`);
    servers.set(sdk, await startHttpServer(project));
  }
}, TIMEOUTS.installedSetup);

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()));
});

describe.each(SDKS.flatMap((sdk) => SUITES.map((suite) => ({ sdk, ...suite }))))('$sdk server, @modelcontextprotocol/conformance $version', ({ sdk, node, conformance }) => {
  it.each(SCENARIOS)('passes %s', async (scenario) => {
    const run = await runCommand(node, [conformance, 'server', '--url', servers.get(sdk)!.url, '--scenario', scenario], { cwd: repoRoot });
    expect(run.output).toMatch(/Passed: (\d+)\/\1, 0 failed/);
    expect(run.code, run.output).toBe(0);
  });
});
