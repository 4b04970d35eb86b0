/** The `host` command line: flags, their checks and the help text. */
import path from 'node:path';
import { parseArgs } from 'node:util';

export const HOST_ERAS = ['2025', '2026'] as const;
export type HostEra = (typeof HOST_ERAS)[number];
const ANSWERERS = ['auto', 'openai', 'anthropic', 'type'] as const;
const NEGOTIATIONS = ['pin', 'auto'] as const;

/** How sampling requests are answered: asked of a person, or decided in advance by a scripted run. */
export type Decision =
  | { kind: 'ask'; answer: (typeof ANSWERERS)[number] }
  | { kind: 'approve'; text: string }
  | { kind: 'reject' }
  | { kind: 'no-sampling' };

export interface HostOptions {
  era: HostEra;
  /** With --era 2026: pinned to 2026-07-28, or offering it and falling back to 2025-11-25 (`auto`). */
  negotiation: (typeof NEGOTIATIONS)[number];
  /** With a URL, the HTTP headers sent with every request (a bearer token, say). */
  server: { url: string; headers: Record<string, string> } | { command: string; args: string[] } | { project: true };
  decision: Decision;
  listTools: boolean;
  tool: string | undefined;
  arguments: Record<string, unknown> | undefined;
  timeoutMs: number;
  /** Absolute folders declared as the client's roots (2025 era), as an editor declares its workspace. */
  roots: string[];
}

/** Bad usage: exit 2 with the message, which names the problem and the fix. */
export class HostUsageError extends Error {
  override name = 'HostUsageError';
}

export const HOST_HELP = `Usage: create-mcp-sampling-server host [options] [tool] [arguments as JSON] [-- command args...]
       create-mcp-sampling-server host [options] --url http://127.0.0.1:3000/mcp [tool] [arguments]

A terminal MCP host for trying a server's sampling: it starts the server (or connects to it), calls
one of its tools and shows every sampling request the tool makes, for you to approve, edit or reject
before anything is sent to a model. It drives any MCP server, not only ones this generator made.
Without a tool or arguments it asks for them. Text from the server is shown with control
characters escaped (\\x1b, ...), so it cannot redraw this screen.

Server:
  -- command args...     start this command and speak MCP over its stdin/stdout
                         (default: node dist/index.js, the project in the current folder)
  --url URL              connect to a server already running over Streamable HTTP instead
  --header 'NAME: VALUE' with --url: send this HTTP header with every request (repeatable), e.g.
                         --header "Authorization: Bearer $TOKEN" for a server that wants a token
  --era 2025|2026        protocol era (default 2025: initialize, sampling as push requests;
                         2026: 2026-07-28, sampling as input_required rounds)
  --negotiate pin|auto   with --era 2026: pin 2026-07-28 (default), or auto: offer it and fall
                         back to 2025-11-25 when the server lacks it

Answering sampling requests (interactive):
  --answer WHO           auto (default), openai, anthropic or type. auto uses OPENAI_BASE_URL and/or
                         OPENAI_API_KEY + OPENAI_MODEL, else ANTHROPIC_API_KEY + ANTHROPIC_MODEL,
                         else asks you to type the answer. PROVIDER_TIMEOUT_SECONDS (default 60) and
                         PROVIDER_MAX_RETRIES (default 2) apply to both. Keys are never printed.

Scripted (no questions; prints one JSON line: era, protocol, tools, tool, sampled, result or
clientError; exits 0 when the tool succeeded, 1 otherwise). For CI smoke tests:
  --approve-with TEXT    approve every sampling request, answering TEXT as the model
  --reject               reject every request (2025: JSON-RPC error -1; 2026: the call is not retried)
  --no-sampling          declare no sampling capability
  --list-tools           print the server's tools (name, description, input schema) as JSON and exit

Other:
  --root DIR             declare DIR as one of the client's roots, as an editor declares its
                         workspace folders (repeatable; default: the current folder). Servers that
                         read files may read there; 2026-07-28 servers are not asked for roots
  --no-roots             declare no roots
  --timeout SECONDS      give up on the tool call after this long (default 600; server progress
                         notifications restart it)
  --help                 show this text

Exit codes: 0 the tool succeeded, 1 it returned an error or the call failed, 2 bad usage,
130 cancelled (Ctrl-C).

Examples:
  npm run host                                      asks for the tool and arguments, 2025 era
  npm run host -- --era 2026 --answer type ask '{"prompt":"Say hello"}'
  create-mcp-sampling-server host --url http://127.0.0.1:3000/mcp
  create-mcp-sampling-server host --approve-with ready ask '{"prompt":"Hi"}' -- node build/server.js`;

export function parseHostArgs(argv: readonly string[]): HostOptions | 'help' {
  const separator = argv.indexOf('--');
  const ours = separator === -1 ? [...argv] : argv.slice(0, separator);
  const command = separator === -1 ? undefined : argv.slice(separator + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: ours,
      allowPositionals: true,
      strict: true,
      options: {
        era: { type: 'string' },
        negotiate: { type: 'string' },
        answer: { type: 'string' },
        url: { type: 'string' },
        header: { type: 'string', multiple: true },
        'approve-with': { type: 'string' },
        reject: { type: 'boolean' },
        'no-sampling': { type: 'boolean' },
        'list-tools': { type: 'boolean' },
        timeout: { type: 'string' },
        root: { type: 'string', multiple: true },
        'no-roots': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    // node:util's first sentence names the problem ("Unknown option '--x'"); its advice about '--' does not
    // apply here, where -- starts the server's command.
    const problem = (error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
    throw new HostUsageError(`${problem}. See create-mcp-sampling-server host --help for the options.`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';

  const era = oneOf('--era', values.era ?? '2025', HOST_ERAS, '--era 2026');
  if (values.negotiate !== undefined && era !== '2026') {
    throw new HostUsageError('--negotiate applies to --era 2026 only (a 2025-era host always speaks 2025-11-25). Add --era 2026 or drop --negotiate.');
  }
  const negotiation = oneOf('--negotiate', values.negotiate ?? 'pin', NEGOTIATIONS, '--negotiate auto');

  const scripted = [
    values['approve-with'] !== undefined && '--approve-with',
    values.reject && '--reject',
    values['no-sampling'] && '--no-sampling',
  ].filter((flag): flag is string => typeof flag === 'string');
  if (scripted.length > 1) throw new HostUsageError(`${scripted.join(' and ')} exclude each other: give one.`);
  if (scripted.length === 1 && values.answer !== undefined) {
    throw new HostUsageError(`--answer is for a person answering; ${scripted[0]} decides without asking. Give one of them.`);
  }
  const decision: Decision =
    values['approve-with'] !== undefined
      ? { kind: 'approve', text: values['approve-with'] }
      : values.reject
        ? { kind: 'reject' }
        : values['no-sampling']
          ? { kind: 'no-sampling' }
          : { kind: 'ask', answer: oneOf('--answer', values.answer ?? 'auto', ANSWERERS, '--answer type') };

  if (values.url !== undefined && command !== undefined) {
    throw new HostUsageError('--url connects to a running server and -- starts one: give one of them.');
  }
  if (values.url !== undefined && !(/^https?:\/\//.test(values.url) && URL.canParse(values.url))) {
    throw new HostUsageError(`--url must be an http(s) URL such as http://127.0.0.1:3000/mcp (got ${JSON.stringify(values.url)}).`);
  }
  if (command !== undefined && command.length === 0) {
    throw new HostUsageError('-- must be followed by the command that starts the server, e.g. -- node dist/index.js');
  }
  if (values.header !== undefined && values.url === undefined) {
    throw new HostUsageError('--header is sent to a server reached with --url: add --url, or set what a started server needs in its environment.');
  }
  const headers = Object.fromEntries((values.header ?? []).map(parseHeader));
  const server: HostOptions['server'] =
    values.url !== undefined
      ? { url: values.url, headers }
      : command !== undefined
        ? { command: command[0]!, args: command.slice(1) }
        : { project: true };

  if (positionals.length > 2) {
    throw new HostUsageError(`Give at most a tool name and its arguments as one JSON object (got ${positionals.length} words; quote the JSON).`);
  }
  const [tool, json] = positionals;
  if (values['no-roots'] && values.root !== undefined) throw new HostUsageError('--root and --no-roots exclude each other: give one.');
  const roots = values['no-roots'] ? [] : (values.root ?? ['.']).map((root) => path.resolve(root));
  const timeoutSeconds = Number(values.timeout ?? 600);
  if (!(timeoutSeconds > 0)) throw new HostUsageError(`--timeout must be a positive number of seconds (got ${JSON.stringify(values.timeout)}).`);

  return {
    era,
    negotiation,
    server,
    decision,
    listTools: values['list-tools'] === true,
    roots,
    tool,
    arguments: json === undefined ? undefined : parseToolArguments(json),
    timeoutMs: timeoutSeconds * 1000,
  };
}

function oneOf<const T extends string>(flag: string, value: string, choices: readonly T[], example: string): T {
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) throw new HostUsageError(`${flag} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)}). Example: ${example}`);
  return choice;
}

/** `Name: value`, as curl takes it. The value is not echoed back: it is often a secret. */
function parseHeader(header: string): [string, string] {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(header);
  if (!match || /[\r\n]/.test(header)) {
    const got = header.includes(':') ? `a header named ${JSON.stringify(header.slice(0, header.indexOf(':')))}` : 'no colon after a name';
    throw new HostUsageError(`--header must be NAME: VALUE on one line, e.g. --header "Authorization: Bearer $TOKEN" (got ${got}).`);
  }
  return [match[1]!, match[2]!];
}

function parseToolArguments(json: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new HostUsageError(`The tool arguments must be one JSON object, e.g. '{"prompt":"Say hello"}' (got ${json}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HostUsageError(`The tool arguments must be a JSON object, e.g. '{"prompt":"Say hello"}' (got ${json}).`);
  }
  return parsed as Record<string, unknown>;
}
