/**
 * The host configurations the generator prints (at the end of a run, in --json, and later with
 * `npm run host-config`), used as hosts use them: started from another folder, by a real MCP client, which
 * must find the server and list its tool. Claude Desktop's HTTP entry goes through mcp-remote, for real.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ClientCredentialsProvider, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratch } from '../helpers/cli.js';
import { runCommand, startHttpServer } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';
import { startLocalIssuer } from '../../src/verify/issuer.js';

interface StdioEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** The words a POSIX shell makes of a command line, with `env` set. */
function shellSplit(line: string, env: NodeJS.ProcessEnv = {}): string[] {
  return execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8', env: { ...process.env, ...env } }).split('\0').slice(0, -1);
}

async function listTools(transport: StdioClientTransport | StreamableHTTPClientTransport): Promise<string[]> {
  const client = new Client({ name: 'host-config-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

/** Starts an entry the way a host does: from its own folder, not the project's, with the entry's environment. */
function fromElsewhere(entry: StdioEntry): StdioClientTransport {
  const env = entry.env && { ...getDefaultEnvironment(), ...entry.env };
  return new StdioClientTransport({ command: entry.command, args: entry.args, env, cwd: scratch('cmss-host-cwd-'), stderr: 'ignore' });
}

/** An HTTP transport that sends `headers`, as a host configured with them does. */
function httpWith(url: string, headers: Record<string, string> = {}): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
}

async function configsOf(project: string): Promise<Record<string, string>> {
  const all = await runCommand('npm', ['run', 'host-config'], { cwd: project });
  expect(all.code, all.output).toBe(0);
  for (const heading of ['Claude Code (run in a terminal):', 'VS Code (.vscode/mcp.json in your workspace):', 'Claude Desktop (claude_desktop_config.json:']) {
    expect(all.stdout).toContain(heading);
  }
  const configs: Record<string, string> = {};
  for (const host of ['claude-code', 'vscode', 'claude-desktop']) {
    // The script the README and the end of a run name, as written; --silent keeps npm's banner out of stdout.
    const run = await runCommand('npm', ['run', '--silent', 'host-config', '--', host], { cwd: project });
    expect(run.code, run.output).toBe(0);
    configs[host] = run.stdout.trim();
  }
  return configs;
}

describe('a stdio project in a folder with a space in its name', () => {
  it('gives every host an entry that starts the server from anywhere, the same as printed at the end and in --json', async () => {
    const project = await generatedProject('cmss-host-config-', 'my server', ['--name', 'weather', '--tool', 'ask']);
    const build = await runCommand('npm', ['run', 'build'], { cwd: project });
    expect(build.code, build.output).toBe(0);
    const configs = await configsOf(project);

    const claudeCode = shellSplit(configs['claude-code']!);
    expect(claudeCode.slice(0, 5)).toEqual(['claude', 'mcp', 'add', 'weather', '--']);
    expect(await listTools(fromElsewhere({ command: claudeCode[5]!, args: claudeCode.slice(6) }))).toEqual(['ask']);

    const vscode = JSON.parse(configs.vscode!) as { servers: Record<string, StdioEntry & { type: string }> };
    expect(vscode.servers.weather!.type).toBe('stdio');
    expect(vscode.servers.weather!.args).toEqual([path.join(project, 'dist/index.js')]);
    expect(await listTools(fromElsewhere(vscode.servers.weather!))).toEqual(['ask']);

    const desktop = JSON.parse(configs['claude-desktop']!) as { mcpServers: Record<string, StdioEntry> };
    expect(await listTools(fromElsewhere(desktop.mcpServers.weather!))).toEqual(['ask']);

    // The same entries as a run's --json summary gives, for a project written to the same path.
    const again = runCli(['my server', '--name', 'weather', '--tool', 'ask', '--no-install', '--no-git', '--force', '--json'], { cwd: path.dirname(project) });
    expect(again.status, again.stderr).toBe(0);
    const { hostConfigs } = JSON.parse(again.stdout) as { hostConfigs: Record<string, unknown> };
    expect(hostConfigs).toEqual({ 'claude-code': configs['claude-code'], vscode, 'claude-desktop': desktop });
    // And as the end of a run prints them: one line each, under the host's name.
    const printed = runCli(['my server', '--name', 'weather', '--tool', 'ask', '--no-install', '--no-git', '--force'], { cwd: path.dirname(project) });
    const lines = printed.stdout.split('\n');
    const after = (title: string) => lines[lines.findIndex((line) => line.startsWith(`  ${title}`)) + 1]!.trim();
    expect(printed.stdout).toContain("Connect it to a host (once built); `npm run host-config` prints these again:");
    expect(after('Claude Code:')).toBe(configs['claude-code']);
    expect(JSON.parse(after('VS Code, in .vscode/mcp.json'))).toEqual(vscode);
    expect(JSON.parse(after('Claude Desktop, in claude_desktop_config.json'))).toEqual(desktop);
  }, TIMEOUTS.projectSetup);
});

it('an HTTP-only project: the URL every host gets reaches the server its README starts, mcp-remote included', async () => {
  const project = await generatedProject('cmss-host-config-', 'web', ['--tool', 'ask', '--transport', 'http']);
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  expect(build.code, build.output).toBe(0);
  const configs = await configsOf(project);
  const server = await startHttpServer(project, { PORT: '3000' });
  try {
    const url = 'http://127.0.0.1:3000/mcp';
    expect(server.url).toBe(url);
    expect(shellSplit(configs['claude-code']!)).toEqual(['claude', 'mcp', 'add', '--transport', 'http', 'web', url]);
    const vscode = JSON.parse(configs.vscode!) as { servers: { web: { type: string; url: string } } };
    expect(vscode.servers.web).toEqual({ type: 'http', url });
    expect(await listTools(new StreamableHTTPClientTransport(new URL(vscode.servers.web.url)))).toEqual(['ask']);
    const desktop = JSON.parse(configs['claude-desktop']!) as { mcpServers: { web: StdioEntry } };
    expect(desktop.mcpServers.web).toEqual({ command: 'npx', args: ['-y', 'mcp-remote', url] });
    expect(await listTools(fromElsewhere(desktop.mcpServers.web))).toEqual(['ask']);
  } finally {
    await server.stop();
  }
}, TIMEOUTS.projectSetup);

it('an HTTP-only project with --auth token: each host presents the token its own way, and the server never logs it', async () => {
  const project = await generatedProject('cmss-host-config-', 'vault', ['--tool', 'ask', '--transport', 'http', '--auth', 'token']);
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  expect(build.code, build.output).toBe(0);
  const configs = await configsOf(project);
  const all = await runCommand('npm', ['run', 'host-config'], { cwd: project });
  expect(all.stdout).toContain('export AUTH_TOKEN=<token> before the Claude Code command');
  const token = randomBytes(32).toString('hex');
  const server = await startHttpServer(project, { PORT: '3000', AUTH_TOKENS: `me:${token}` });
  try {
    const url = 'http://127.0.0.1:3000/mcp';
    await expect(listTools(httpWith(url))).rejects.toThrow(/401|Unauthorized/);

    // Claude Code: the shell puts AUTH_TOKEN into the header as the command is run.
    const claudeCode = shellSplit(configs['claude-code']!, { AUTH_TOKEN: token });
    expect(claudeCode).toEqual(['claude', 'mcp', 'add', '--transport', 'http', 'vault', url, '--header', `Authorization: Bearer ${token}`]);
    const [name, value] = claudeCode[8]!.split(/: (.*)/);
    expect(await listTools(httpWith(url, { [name!]: value! }))).toEqual(['ask']);

    // VS Code: the header names the input it asks for.
    const vscode = JSON.parse(configs.vscode!) as { inputs: { id: string; password: boolean }[]; servers: { vault: { url: string; headers: Record<string, string> } } };
    expect(vscode.inputs).toEqual([expect.objectContaining({ type: 'promptString', id: 'vault-token', password: true })]);
    const asked = Object.fromEntries(Object.entries(vscode.servers.vault.headers).map(([header, text]) => [header, text.replace('${input:vault-token}', token)]));
    expect(await listTools(httpWith(vscode.servers.vault.url, asked))).toEqual(['ask']);

    // Claude Desktop: mcp-remote, with the token put in place of the placeholder.
    const desktop = (JSON.parse(configs['claude-desktop']!) as { mcpServers: { vault: StdioEntry } }).mcpServers.vault;
    expect(desktop.env).toEqual({ AUTH_HEADER: 'Bearer <your token>' });
    expect(await listTools(fromElsewhere({ ...desktop, env: { AUTH_HEADER: `Bearer ${token}` } }))).toEqual(['ask']);

    // The README's terminal-host command, answering the one sampling request itself.
    const readme = readFileSync(path.join(project, 'README.md'), 'utf8');
    const hostLine = /`(npm run host -- --url \S+ --header "Authorization: Bearer \$AUTH_TOKEN")`/.exec(readme)?.[1];
    expect(hostLine).toBeDefined();
    const hosted = await runCommand('sh', ['-c', `${hostLine} --approve-with Hello ask '{"prompt":"Hi"}'`], { cwd: project, env: { ...process.env, AUTH_TOKEN: token } });
    expect(hosted.code, hosted.output).toBe(0);
    expect(hosted.stdout).toContain('Hello');
    const anonymous = await runCommand('npm', ['run', 'host', '--', '--url', url, '--approve-with', 'Hello', 'ask', '{"prompt":"Hi"}'], { cwd: project });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stdout).toContain('it wants credentials. Give them with --header');
  } finally {
    await server.stop();
  }
  expect(server.log()).toContain('"caller":"me"');
  expect(server.log()).not.toContain(token);
}, TIMEOUTS.projectSetup);

it('an HTTP-only project with --auth oauth: hosts find the authorization server from the 401, and the README commands work', async () => {
  const project = await generatedProject('cmss-host-config-', 'gate', ['--tool', 'ask', '--transport', 'http', '--auth', 'oauth']);
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  expect(build.code, build.output).toBe(0);
  const configs = await configsOf(project);
  const all = await runCommand('npm', ['run', 'host-config'], { cwd: project });
  expect(all.stdout).toContain("find it from the server's 401 and sign in there");
  const url = 'http://127.0.0.1:3000/mcp';
  const readme = readFileSync(path.join(project, 'README.md'), 'utf8');
  // The README starts it with an example issuer; a user puts theirs, here a local one.
  const startLine = /Start the server with `(OAUTH_ISSUER=\S+ MCP_PUBLIC_URL=\S+ npm run start)`/.exec(readme)?.[1];
  expect(startLine).toBe(`OAUTH_ISSUER=https://auth.example.com MCP_PUBLIC_URL=${url} npm run start`);
  const issuer = await startLocalIssuer(project, url);
  const server = await startHttpServer(project, { PORT: '3000', OAUTH_ISSUER: issuer.issuer, MCP_PUBLIC_URL: url });
  try {
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('resource_metadata="http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp"');

    // Every host entry is the plain URL: the host signs in by itself.
    expect(shellSplit(configs['claude-code']!)).toEqual(['claude', 'mcp', 'add', '--transport', 'http', 'gate', url]);
    const vscode = JSON.parse(configs.vscode!) as { inputs?: unknown; servers: { gate: { url: string; headers?: unknown } } };
    expect(vscode).toEqual({ servers: { gate: { type: 'http', url } } });
    expect((JSON.parse(configs['claude-desktop']!) as { mcpServers: { gate: StdioEntry } }).mcpServers.gate.args).toEqual(['-y', 'mcp-remote', url]);
    // A client that speaks MCP authorization, as those hosts do: it follows the 401 to the issuer and gets in.
    const authProvider = new ClientCredentialsProvider({ clientId: 'verify', clientSecret: issuer.clientSecret, scope: 'mcp', expectedIssuer: issuer.issuer });
    expect(await listTools(new StreamableHTTPClientTransport(new URL(vscode.servers.gate.url), { authProvider }))).toEqual(['ask']);

    // The README's terminal-host command, with an access token from the issuer.
    const hostLine = /`(npm run host -- --url \S+ --header "Authorization: Bearer \$ACCESS_TOKEN")`/.exec(readme)?.[1];
    expect(hostLine).toBeDefined();
    const hosted = await runCommand('sh', ['-c', `${hostLine} --approve-with Hello ask '{"prompt":"Hi"}'`], { cwd: project, env: { ...process.env, ACCESS_TOKEN: issuer.token } });
    expect(hosted.code, hosted.output).toBe(0);
    expect(hosted.stdout).toContain('Hello');
  } finally {
    await server.stop();
    issuer.close();
  }
  expect(server.log()).toContain('"caller":"verify"');
  expect(server.log()).not.toContain(issuer.token);
}, TIMEOUTS.projectSetup);

describe('config', () => {
  it('refuses an unknown host with a suggestion, and a folder that is not a generated project', () => {
    const cwd = scratch();
    const typo = runCli(['config', 'vscod'], { cwd });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('config: unknown host "vscod" (did you mean vscode?). Hosts: claude-code, vscode, claude-desktop.');
    const notProject = runCli(['config', '--dir', cwd], { cwd });
    expect(notProject.status).toBe(2);
    expect(notProject.stderr).toContain('has no .create-mcp-sampling-server.json, so it is not a project made by create-mcp-sampling-server');
    expect(runCli(['config', '--help'], { cwd }).stdout).toContain('Usage: create-mcp-sampling-server config [host] [--dir <project>]');
  });
});
