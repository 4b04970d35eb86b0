/**
 * The MCP Inspector's CLI lists the tool of a generated stdio server. (It cannot answer sampling, so
 * tools/list is as far as it goes; sampling round trips are driven by our own scripted hosts.)
 * Inspector 0.15 is the line that runs on Node 20: the project's `inspect:node20` script. Inspector 2.x
 * (`inspect`) needs Node 22.19, so test/matrix/inspector.test.ts runs it.
 */
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { bin, scratch } from '../helpers/cli.js';
import { freePort, runCommand, startUntil } from '../helpers/processes.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const inspector = toolBin('inspector-0.15.0', 'mcp-inspector');
let project: string;

beforeAll(async () => {
  const work = scratch('cmss-inspector-');
  const generate = await runCommand(process.execPath, [bin, 'inspected', '--tool', 'code-patterns', '--no-git'], { cwd: work });
  if (generate.code !== 0) throw new Error(`generating failed:\n${generate.output}`);
  project = path.join(work, 'inspected');
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  if (build.code !== 0) throw new Error(`building failed:\n${build.output}`);
}, TIMEOUTS.installedSetup);

it('MCP Inspector 0.15.0 --cli lists the tool of a generated stdio server', async () => {
  const run = await runCommand(inspector, ['--cli', process.execPath, 'dist/index.js', '--method', 'tools/list'], { cwd: project });
  expect(run.code, run.output).toBe(0);
  const { tools } = JSON.parse(run.stdout) as { tools: { name: string; outputSchema?: object; description: string }[] };
  expect(tools.map((tool) => tool.name)).toEqual(['code_patterns']);
  expect(tools[0]!.outputSchema).toBeDefined();
  expect(tools[0]!.description).toMatch(/sampling/);
}, 60_000);

it("the project's inspect:node20 script, as written, opens Inspector 0.15's web UI on the server", async () => {
  const [client, server] = [await freePort(), await freePort()];
  const inspector = await startUntil(
    'npm',
    ['run', 'inspect:node20'],
    { cwd: project, env: { CLIENT_PORT: String(client), SERVER_PORT: String(server), MCP_AUTO_OPEN_ENABLED: 'false', npm_config_yes: 'true' } },
    /MCP Inspector is up and running at/,
    TIMEOUTS.inspectorWebStart,
  );
  try {
    expect(inspector.output()).toContain(`http://localhost:${client}`);
    // The proxy it starts answers: the UI would connect through it to `node dist/index.js`.
    const health = await fetch(`http://localhost:${server}/health`);
    expect(health.status).toBe(200);
  } finally {
    await inspector.stop();
  }
}, TIMEOUTS.inspectorWebStart + 10_000);
