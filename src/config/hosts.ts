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
  /** How HTTP callers authenticate (--auth): a bearer token of AUTH_TOKENS, or an OAuth access token hosts get themselves. */
  readonly auth: 'none' | 'token' | 'oauth';
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
/** Over HTTP to a server that wants a token: each host takes it its own way (Claude Code and Claude Desktop keep it in their config; VS Code in its secret storage). */
const wantsToken = (project: ServedProject) => !overStdio(project) && project.auth === 'token';
/** The environment variable the Claude Code command reads the token from. */
export const TOKEN_VARIABLE = 'AUTH_TOKEN';
/** What the Claude Desktop entry holds until the user puts their token in. */
export const TOKEN_PLACEHOLDER = 'Bearer <your token>';

/** VS Code's way to a token: an input it asks for once and keeps secret, and the header that names it. */
export function vscodeTokenInput(serverName: string) {
  const id = `${serverName}-token`;
  return {
    input: { type: 'promptString', id, description: `Bearer token for ${serverName}`, password: true },
    header: { Authorization: `Bearer \${input:${id}}` },
  };
}

export const HOST_CONFIGS = {
  'claude-code': {
    title: 'Claude Code',
    where: 'run in a terminal',
    kind: 'command',
    content: (project) =>
      overStdio(project)
        ? `claude mcp add ${shellWord(project.serverName)} -- node ${shellWord(entry(project))}`
        : `claude mcp add --transport http ${shellWord(project.serverName)} ${DEFAULT_HTTP_URL}` +
          (wantsToken(project) ? ` --header "Authorization: Bearer $${TOKEN_VARIABLE}"` : ''),
  },
  vscode: {
    title: 'VS Code',
    where: '.vscode/mcp.json in your workspace',
    kind: 'json',
    content: (project) => ({
      // VS Code asks for the token once and keeps it in its secret storage.
      ...(wantsToken(project) && { inputs: [vscodeTokenInput(project.serverName).input] }),
      servers: {
        [project.serverName]: overStdio(project)
          ? { type: 'stdio', command: 'node', args: [entry(project)] }
          : {
              type: 'http',
              url: DEFAULT_HTTP_URL,
              ...(wantsToken(project) && { headers: vscodeTokenInput(project.serverName).header }),
            },
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
          : wantsToken(project)
            ? // mcp-remote puts the variable's value into the header (no space after the colon, as its README advises).
              { command: 'npx', args: ['-y', 'mcp-remote', DEFAULT_HTTP_URL, '--header', 'Authorization:${AUTH_HEADER}'], env: { AUTH_HEADER: TOKEN_PLACEHOLDER } }
            : { command: 'npx', args: ['-y', 'mcp-remote', DEFAULT_HTTP_URL] },
      },
    }),
  },
} as const satisfies Record<string, HostConfig>;

export type HostName = keyof typeof HOST_CONFIGS;
export const HOST_NAMES = Object.keys(HOST_CONFIGS) as HostName[];

/** What to do with the credentials the configurations leave out, for a server that wants them. */
export function authNote(project: ServedProject): string | undefined {
  if (!overStdio(project) && project.auth === 'oauth') {
    return (
      'The server wants OAuth access tokens from your authorization server (OAUTH_ISSUER): Claude Code, VS Code and ' +
      "mcp-remote find it from the server's 401 and sign in there when they first connect."
    );
  }
  if (!wantsToken(project)) return undefined;
  return (
    `The server wants a bearer token, one listed in its AUTH_TOKENS: export ${TOKEN_VARIABLE}=<token> before the Claude Code ` +
    `command, VS Code asks for it, and Claude Desktop's entry takes it in place of "<your token>".`
  );
}

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
