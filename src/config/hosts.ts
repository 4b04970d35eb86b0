/**
 * Ready-to-paste configuration for the hosts people connect a server to, with the project's real path:
 * printed at the end of a run, by `config [host]` later, and in --json.
 */
import path from 'node:path';
import { shellWord } from '../render/literals.js';

export interface ServedProject {
  /** The name hosts list the server under: package.json's bin name. */
  readonly serverName: string;
  /** The project's absolute folder. */
  readonly directory: string;
  /** stdio and both connect by starting the server; http connects to one already running. */
  readonly transport: 'stdio' | 'http' | 'both';
}

/** Where the README's HTTP instructions start the server (PORT's default). */
export const DEFAULT_HTTP_URL = 'http://127.0.0.1:3000/mcp';

export interface HostConfig {
  readonly title: string;
  /** Where the text goes. */
  readonly where: string;
  /** A shell command, or a JSON document. */
  readonly kind: 'command' | 'json';
  readonly content: (project: ServedProject) => string | object;
}

const entry = (project: ServedProject) => path.join(project.directory, 'dist', 'index.js');
const overStdio = (project: ServedProject) => project.transport !== 'http';

export const HOST_CONFIGS = {
  'claude-code': {
    title: 'Claude Code',
    where: 'run in a terminal',
    kind: 'command',
    content: (project) =>
      overStdio(project)
        ? `claude mcp add ${shellWord(project.serverName)} -- node ${shellWord(entry(project))}`
        : `claude mcp add --transport http ${shellWord(project.serverName)} ${DEFAULT_HTTP_URL}`,
  },
  vscode: {
    title: 'VS Code',
    where: '.vscode/mcp.json in your workspace',
    kind: 'json',
    content: (project) => ({
      servers: {
        [project.serverName]: overStdio(project) ? { type: 'stdio', command: 'node', args: [entry(project)] } : { type: 'http', url: DEFAULT_HTTP_URL },
      },
    }),
  },
  'claude-desktop': {
    title: 'Claude Desktop',
    where: 'claude_desktop_config.json: Settings, Developer, Edit Config',
    kind: 'json',
    // Its config starts local servers only; mcp-remote bridges to one over HTTP.
    content: (project) => ({
      mcpServers: {
        [project.serverName]: overStdio(project)
          ? { command: 'node', args: [entry(project)] }
          : { command: 'npx', args: ['-y', 'mcp-remote', DEFAULT_HTTP_URL] },
      },
    }),
  },
} as const satisfies Record<string, HostConfig>;

export type HostName = keyof typeof HOST_CONFIGS;
export const HOST_NAMES = Object.keys(HOST_CONFIGS) as HostName[];

/** One host's configuration as text: pretty JSON for a file, or the command. */
export function hostConfigText(host: HostName, project: ServedProject, compact = false): string {
  const config: HostConfig = HOST_CONFIGS[host];
  const content = config.content(project);
  return typeof content === 'string' ? content : JSON.stringify(content, null, compact ? undefined : 2);
}

/** Every host's configuration, for --json. */
export function allHostConfigs(project: ServedProject): Record<HostName, string | object> {
  return Object.fromEntries(HOST_NAMES.map((host) => [host, (HOST_CONFIGS[host] as HostConfig).content(project)])) as Record<HostName, string | object>;
}
