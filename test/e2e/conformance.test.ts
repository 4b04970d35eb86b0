/**
 * The official MCP conformance suite against a generated HTTP server: a reference we did not write.
 * `--tool ask --tool-name test_sampling` is the shape its tools-call-sampling scenario expects.
 * 0.1.13 is the newest release that runs on Node 20 (later ones need Node 22).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, repoRoot, scratch } from '../helpers/cli.js';
import { runCommand, startHttpServer, type RunningServer } from '../helpers/processes.js';

const CONFORMANCE_VERSION = '0.1.13';
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'tools-call-sampling', 'dns-rebinding-protection'];
const toolDir = path.join(repoRoot, '.cache', `conformance-${CONFORMANCE_VERSION}`);
const conformance = path.join(toolDir, 'node_modules/.bin/conformance');

let server: RunningServer;

beforeAll(async () => {
  if (!existsSync(conformance)) {
    const install = await runCommand('npm', ['install', '--no-save', '--prefix', toolDir, `@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`], { cwd: repoRoot });
    if (install.code !== 0) throw new Error(`installing the conformance suite failed:\n${install.output}`);
  }
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

describe(`@modelcontextprotocol/conformance ${CONFORMANCE_VERSION}`, () => {
  it.each(SCENARIOS)('passes %s', async (scenario) => {
    const run = await runCommand(conformance, ['server', '--url', server.url, '--scenario', scenario], { cwd: repoRoot });
    expect(run.output).toMatch(/Passed: (\d+)\/\1, 0 failed/);
    expect(run.code, run.output).toBe(0);
  });
});
