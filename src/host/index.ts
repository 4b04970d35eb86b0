/**
 * `create-mcp-sampling-server host`: a terminal MCP host that calls one tool of a server and answers its
 * sampling requests. The flow:
 *   options.ts   the command line (bad usage exits 2)
 *   sdk.ts       the MCP client, from the driven project or the generator's own install
 *   session.ts   start the server (stdio) or reach it (--url) with a client of the chosen era
 *   approval.ts  a person approves, edits or rejects each request (terminal.ts, providers.ts)
 *   scripted.ts  or every request is decided in advance, and one JSON line reports the result
 * Text the server sent is shown through visible.ts.
 */
import { approvalHandler, chooseAnswerer, describeAnswerer, type Answerer } from './approval.js';
import { HOST_HELP, HostUsageError, parseHostArgs, type HostOptions } from './options.js';
import { safeJsonLine, scriptedHandler, type ScriptedReport } from './scripted.js';
import { loadClientSdk, type LoadedSdk } from './sdk.js';
import { describeCallError, errorText, isOwnRejection, openSession, type CallToolResult, type Session, type Tool } from './session.js';
import { Interrupted, Terminal } from './terminal.js';
import { visible } from './visible.js';

const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** Runs the host and resolves with its exit code. */
export async function runHost(argv: readonly string[], projectDir = process.cwd()): Promise<number> {
  let options: HostOptions | 'help';
  let answerer: Answerer | undefined;
  let sdk: LoadedSdk;
  try {
    options = parseHostArgs(argv);
    if (options === 'help') {
      process.stdout.write(`${HOST_HELP}\n`);
      return EXIT.ok;
    }
    if (options.decision.kind === 'ask' && !options.listTools) answerer = chooseAnswerer(options.decision.answer, process.env);
    sdk = loadClientSdk(projectDir);
  } catch (error) {
    if (!(error instanceof HostUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  if (options.listTools) return listTools(sdk, options, projectDir);
  return answerer ? interactive(sdk, options, projectDir, answerer) : scripted(sdk, options, projectDir);
}

async function listTools(sdk: LoadedSdk, options: HostOptions, projectDir: string): Promise<number> {
  let session: Session | undefined;
  try {
    session = await openSession(sdk, options, projectDir, undefined);
    const { tools } = await session.client.listTools();
    const listed = tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
    process.stdout.write(`${safeJsonLine(listed)}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error);
  } finally {
    await session?.close();
  }
}

function reportFailure(error: unknown): number {
  process.stderr.write(`${error instanceof HostUsageError ? error.message : visible(errorText(error))}\n`);
  return error instanceof HostUsageError ? EXIT.usage : EXIT.failed;
}

function findTool(tools: Tool[], wanted: string): Tool {
  const tool = tools.find((candidate) => candidate.name === wanted);
  if (!tool) throw new HostUsageError(`The server has no tool ${JSON.stringify(wanted)}; it has ${tools.map((t) => visible(t.name)).join(', ') || 'none'}.`);
  return tool;
}

async function scripted(sdk: LoadedSdk, options: HostOptions, projectDir: string): Promise<number> {
  const decision = options.decision;
  const report: ScriptedReport = { era: options.era, sampled: 0 };
  const countRequest = () => void report.sampled++;
  const handler = decision.kind === 'approve' || decision.kind === 'reject' ? scriptedHandler(sdk, decision, countRequest) : undefined;
  // Ctrl-C (or a CI job's SIGTERM) cancels the call, so the server hears of it and stops.
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  let session: Session | undefined;
  let exit: number = EXIT.failed;
  try {
    session = await openSession(sdk, options, projectDir, handler);
    const protocol = session.client.getNegotiatedProtocolVersion();
    if (protocol) report.protocol = protocol;
    const { tools } = await session.client.listTools();
    report.tools = tools.map((tool) => tool.name);
    const tool = options.tool === undefined ? onlyTool(tools) : findTool(tools, options.tool);
    report.tool = tool.name;
    const result = (await session.client.callTool(
      { name: tool.name, arguments: options.arguments ?? {} },
      { signal: cancel.signal, timeout: options.timeoutMs, resetTimeoutOnProgress: true, onprogress: () => {} },
    )) as CallToolResult;
    report.result = result;
    exit = result.isError ? EXIT.failed : EXIT.ok;
  } catch (error) {
    if (error instanceof HostUsageError) {
      process.stderr.write(`${error.message}\n`);
      exit = EXIT.usage;
    } else if (cancel.signal.aborted) {
      report.clientError = 'Cancelled before the tool call finished.';
      exit = EXIT.cancelled;
    } else {
      report.clientError = isOwnRejection(sdk, error)
        ? 'The host declined the sampling request, so it did not call the tool again (2026-07-28: the server is never told).'
        : errorText(error);
    }
  } finally {
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
    await session?.close();
  }
  if (exit !== EXIT.usage) process.stdout.write(`${safeJsonLine(report)}\n`);
  return exit;
}

function onlyTool(tools: Tool[]): Tool {
  if (tools.length === 1) return tools[0]!;
  throw new HostUsageError(`The server has ${tools.length} tools (${tools.map((t) => visible(t.name)).join(', ')}): name the one to call, e.g. host --reject ${visible(tools[0]?.name ?? 'tool')} '{}'`);
}

async function interactive(sdk: LoadedSdk, options: HostOptions, projectDir: string, answerer: Answerer): Promise<number> {
  const terminal = new Terminal();
  let session: Session | undefined;
  try {
    session = await openSession(sdk, options, projectDir, approvalHandler(sdk, terminal, answerer));
    const protocol = session.client.getNegotiatedProtocolVersion() ?? `${options.era} era`;
    terminal.print(`Connected (protocol ${visible(protocol)}). Sampling requests are answered by ${describeAnswerer(answerer)}.`);
    const { tools } = await session.client.listTools();
    terminal.print(`Tools: ${tools.map((tool) => visible(tool.name)).join(', ')}`);
    const tool = await chooseTool(terminal, tools, options.tool);
    const args = options.arguments ?? (await askArguments(terminal, tool));

    terminal.print(`Calling ${visible(tool.name)} ${visible(JSON.stringify(args))}`);
    const result = (await session.client.callTool(
      { name: tool.name, arguments: args },
      { signal: terminal.signal, timeout: options.timeoutMs, resetTimeoutOnProgress: true, onprogress: () => {} },
    )) as CallToolResult;
    printResult(terminal, result);
    return result.isError ? EXIT.failed : EXIT.ok;
  } catch (error) {
    if (terminal.interrupted || error instanceof Interrupted) {
      terminal.print('\nCancelled: the tool call was cancelled and nothing more will be sent.');
      return EXIT.cancelled;
    }
    if (error instanceof HostUsageError) {
      terminal.print(error.message);
      return EXIT.usage;
    }
    terminal.print(session ? describeCallError(sdk, error, options.timeoutMs) : errorText(error));
    return EXIT.failed;
  } finally {
    terminal.close();
    await session?.close();
  }
}

async function chooseTool(terminal: Terminal, tools: Tool[], wanted: string | undefined): Promise<Tool> {
  if (wanted !== undefined) return findTool(tools, wanted);
  if (tools.length === 1) return tools[0]!;
  for (;;) {
    const name = await terminal.ask('Tool to call: ');
    const tool = tools.find((candidate) => candidate.name === name);
    if (tool) return tool;
    terminal.print(`No tool named ${JSON.stringify(name)}.`);
  }
}

/** Asks for each argument the tool's input schema declares; strings as typed, anything else as JSON. */
async function askArguments(terminal: Terminal, tool: Tool): Promise<Record<string, unknown>> {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string; description?: string }>;
  const required = new Set(tool.inputSchema.required ?? []);
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const hint = [schema.description, required.has(name) ? undefined : 'optional, Enter skips'].filter(Boolean).join('; ');
    for (;;) {
      const reply = await terminal.ask(visible(`${name}${hint ? ` (${hint})` : ''}: `));
      if (reply === '' && !required.has(name)) break;
      if (reply === '') continue;
      if (schema.type === 'string') {
        args[name] = reply;
        break;
      }
      try {
        args[name] = JSON.parse(reply);
        break;
      } catch {
        terminal.print(visible(`${name} takes a ${schema.type ?? 'JSON'} value, written as JSON.`));
      }
    }
  }
  return args;
}

function printResult(terminal: Terminal, result: CallToolResult): void {
  terminal.print();
  terminal.print(result.isError ? '── The tool returned an error ──' : '── Tool result ──');
  for (const block of result.content) terminal.print(block.type === 'text' ? visible(block.text) : `[${block.type} content]`);
  // Servers made by this generator say how sampling went; other servers' _meta is theirs to define.
  const meta = result._meta?.sampling;
  if (meta && typeof meta === 'object') {
    const parts = Object.entries(meta)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => visible(`${key}=${String(value)}`));
    terminal.print(`(${parts.join(' ')})`);
  }
}
