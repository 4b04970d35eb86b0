/**
 * Inspector 2.x, the line the generated `inspect` script pins: it needs Node 22.19, so it runs here with
 * Node 22. Its CLI lists the tool over stdio and HTTP (it cannot answer sampling), and the project's
 * `inspect` script, as written, opens its web UI, for a stdio project and for an HTTP-only one on the
 * port its README names.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toolBin } from '../global-setup.js';
import { scratch } from '../helpers/cli.js';
import { freePort, runCommand, startHttpServer, startUntil } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const node22 = toolBin('node-22', 'node');
const inspector = toolBin('inspector-2.12.0', 'mcp-inspector');
const onNode22 = { PATH: `${path.dirname(node22)}${path.delimiter}${process.env.PATH}` };

async function builtProject(name: string, transport: string): Promise<string> {
  const project = await generatedProject('cmss-inspector2-', name, ['--tool', 'ask', '--transport', transport]);
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  if (build.code !== 0) throw new Error(`building ${name} failed:\n${build.output}`);
  return project;
}

/** The web UI's ports and state, away from the defaults and from the user's home. */
async function webEnv(): Promise<NodeJS.ProcessEnv> {
  const home = scratch('cmss-inspector-home-');
  return {
    ...onNode22,
    CLIENT_PORT: String(await freePort()),
    MCP_SANDBOX_PORT: String(await freePort()),
    MCP_AUTO_OPEN_ENABLED: 'false',
    HOME: home,
    npm_config_cache: path.join(process.env.HOME ?? home, '.npm'),
    npm_config_yes: 'true',
  };
}

function toolNames(stdout: string): string[] {
  return (JSON.parse(stdout) as { tools: { name: string }[] }).tools.map((tool) => tool.name);
}

describe('a project with both transports', () => {
  let project: string;
  beforeAll(async () => {
    project = await builtProject('both', 'both');
  }, TIMEOUTS.installedSetup);

  it('Inspector 2.12 --cli on Node 22 lists the tool over stdio and over HTTP', async () => {
    const stdio = await runCommand(node22, [inspector, '--cli', 'node', 'dist/index.js', '--method', 'tools/list'], { cwd: project, env: onNode22 });
    expect(stdio.code, stdio.output).toBe(0);
    expect(toolNames(stdio.stdout)).toEqual(['ask']);
    const server = await startHttpServer(project, { MCP_TRANSPORT: 'http' });
    try {
      const http = await runCommand(node22, [inspector, '--cli', '--transport', 'http', '--server-url', server.url, '--method', 'tools/list'], {
        cwd: project,
        env: onNode22,
      });
      expect(http.code, http.output).toBe(0);
      expect(toolNames(http.stdout)).toEqual(['ask']);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("the inspect script, as written, opens Inspector 2.12's web UI", async () => {
    const env = await webEnv();
    const web = await startUntil('npm', ['run', 'inspect'], { cwd: project, env }, /MCP Inspector Web is up and running at/, TIMEOUTS.inspectorWebStart);
    try {
      expect(web.output()).toContain(`http://127.0.0.1:${env.CLIENT_PORT}`);
      expect((await fetch(`http://127.0.0.1:${env.CLIENT_PORT}/`)).status).toBe(200);
    } finally {
      await web.stop();
    }
  }, TIMEOUTS.inspectorWebStart + 10_000);
});

it("an HTTP-only project's inspect script opens the web UI on the server its README starts (port 3000)", async () => {
  const project = await builtProject('web', 'http');
  const server = await startHttpServer(project, { PORT: '3000' });
  try {
    expect(server.url).toBe('http://127.0.0.1:3000/mcp');
    const env = await webEnv();
    const web = await startUntil('npm', ['run', 'inspect'], { cwd: project, env }, /MCP Inspector Web is up and running at/, TIMEOUTS.inspectorWebStart);
    try {
      expect((await fetch(`http://127.0.0.1:${env.CLIENT_PORT}/`)).status).toBe(200);
    } finally {
      await web.stop();
    }
  } finally {
    await server.stop();
  }
}, TIMEOUTS.installedSetup + TIMEOUTS.inspectorWebStart);
