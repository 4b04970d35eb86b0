/**
 * The MCP Inspector's CLI lists the tool of a generated stdio server. (It cannot answer sampling, so
 * tools/list is as far as it goes; sampling round trips are driven by our own scripted hosts.)
 * Inspector 0.15 is the line that runs on Node 20.
 */
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { bin, scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';
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
