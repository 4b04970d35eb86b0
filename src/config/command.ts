/**
 * `config [host] [--dir <project>]`: the host configuration of a generated project, with its real path.
 * Without a host it lists every host's; with one it prints only that one's text, so it can be redirected
 * into the file it belongs in.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { closest } from '../options/validate.js';
import { binNameOf } from '../render/context.js';
import { RECORD_FILE } from '../template-source/record.js';
import { HOST_CONFIGS, HOST_NAMES, hostConfigText, authNote, type HostName, type ServedProject } from './hosts.js';

export const CONFIG_USAGE = [
  'Usage: create-mcp-sampling-server config [host] [--dir <project>]',
  '',
  'Prints how to connect a generated server to a host, with the project\'s absolute path filled in.',
  `host: ${HOST_NAMES.join(', ')}; without one, every host's configuration is listed.`,
  '--dir: the project folder (default: the current folder).',
  '',
  'Examples:',
  '  create-mcp-sampling-server config',
  '  create-mcp-sampling-server config vscode > .vscode/mcp.json',
].join('\n');

interface ConfigRequest {
  readonly host: HostName | undefined;
  readonly directory: string;
  readonly help: boolean;
}

function parseConfigArgs(argv: readonly string[], cwd: string): ConfigRequest {
  let host: HostName | undefined;
  let directory = cwd;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--dir' || arg.startsWith('--dir=')) {
      const value = arg === '--dir' ? argv[++index] : arg.slice('--dir='.length);
      if (!value) throw new UsageError('--dir needs the project folder, e.g. config --dir my-server');
      directory = path.resolve(cwd, value);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`config: unknown option ${arg}. It takes a host name and --dir.\n\n${CONFIG_USAGE}`);
    } else if (host !== undefined) {
      throw new UsageError(`config takes one host name, got ${JSON.stringify(host)} and ${JSON.stringify(arg)}.`);
    } else if (!(HOST_NAMES as string[]).includes(arg)) {
      const suggestion = closest(arg.toLowerCase(), HOST_NAMES);
      throw new UsageError(`config: unknown host ${JSON.stringify(arg)}${suggestion ? ` (did you mean ${suggestion}?)` : ''}. Hosts: ${HOST_NAMES.join(', ')}.`);
    } else host = arg as HostName;
  }
  return { host, directory, help };
}

/** The served project, from its package.json and the generator's record. */
export function readServedProject(directory: string): ServedProject {
  if (!existsSync(directory)) throw new UsageError(`The folder ${directory} does not exist. Run config inside a generated project, or pass --dir.`);
  const recordFile = path.join(directory, RECORD_FILE);
  if (!existsSync(recordFile)) {
    throw new UsageError(`${directory} has no ${RECORD_FILE}, so it is not a project made by create-mcp-sampling-server. Run config inside one, or pass --dir.`);
  }
  const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: string; bin?: string | Record<string, string> };
  const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { answers?: { transport?: unknown; auth?: unknown } };
  const transport = record.answers?.transport;
  if (transport !== 'stdio' && transport !== 'http' && transport !== 'both') {
    throw new UsageError(`${recordFile} names no transport (stdio, http or both); was it edited? Make the project again with --from, or fix "transport".`);
  }
  const serverName = typeof manifest.bin === 'object' ? Object.keys(manifest.bin)[0] : manifest.name && binNameOf(manifest.name);
  if (!serverName) throw new UsageError(`${path.join(directory, 'package.json')} has neither "bin" nor "name": hosts need a name for the server.`);
  return { serverName, directory, transport, auth: authOf(record.answers?.auth) };
}

/** How the project's HTTP callers authenticate, as its record says; records from before --auth had none. */
function authOf(recorded: unknown): ServedProject['auth'] {
  return recorded === 'token' || recorded === 'oauth' ? recorded : 'none';
}

/** Runs the command; returns the exit code. */
export function runConfig(argv: readonly string[], cwd: string, out: (text: string) => void, warn: (text: string) => void): number {
  const request = parseConfigArgs(argv, cwd);
  if (request.help) {
    out(CONFIG_USAGE);
    return 0;
  }
  const project = readServedProject(request.directory);
  if (project.transport !== 'http' && !existsSync(path.join(project.directory, 'dist', 'index.js'))) {
    warn(`${path.join(project.directory, 'dist', 'index.js')} does not exist yet: build the project before a host starts it.`);
  }
  if (request.host) {
    out(hostConfigText(request.host, project));
    return 0;
  }
  const blocks = HOST_NAMES.map((host) => {
    const { title, where } = HOST_CONFIGS[host];
    const text = hostConfigText(host, project).split('\n').map((line) => `  ${line}`).join('\n');
    return `${title} (${where}):\n${text}`;
  });
  if (project.transport === 'http') blocks.unshift('Start the server first (it listens on 127.0.0.1:3000 unless PORT says otherwise).');
  const note = authNote(project);
  if (note !== undefined) blocks.push(note);
  out(blocks.join('\n\n'));
  return 0;
}
