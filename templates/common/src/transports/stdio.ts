import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';

{{#if (eq sdk "v1")}}
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
{{else}}
import { serveStdio, StdioServerTransport, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
{{/if}}

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { PARSE_ERROR, readableAnswer } from '../sampling/outcomes.js';
import { sessionBudgets } from '../sampling/tokens.js';
import { createServer } from '../server.js';

{{#if (eq sdk "v1")}}
export interface StdioServerHandle {
  close(): Promise<void>;
}

{{/if}}
/** The largest message passed on from the host: the SDK's own reader would close the connection at 10 MB. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
{{#if (eq sdk "v1")}}
 * Serves one host over stdin/stdout, in the 2025 protocol era (the only one v1 speaks). A stdio
 * process serves exactly one connection, so one budget for the process is the session budget.
{{else}}
 * Serves one host over stdin/stdout. `serveStdio` answers both protocol eras: the client's opening
 * message decides which one this connection speaks. A stdio process serves exactly one connection,
 * so one budget for the process is the session budget.
{{/if}}
 */
export function serveOverStdio(config: Config, log: Logger): StdioServerHandle {
  const onerror = (error: Error) => {
    log({ event: 'transport_error', transport: 'stdio', message: error.message });
    // The process ends when the host closes stdin; its exit code must not then say that all went well.
    process.exitCode = 1;
  };
  const transport = new StdioServerTransport(readableInput(process.stdin, log), process.stdout);
{{#if (eq sdk "v1")}}
  const server = createServer({ config, budget: sessionBudgets(config)(), log });
  transport.onerror = onerror;
  server.connect(transport).catch((error: unknown) => {
    onerror(error instanceof Error ? error : new Error(String(error)));
    process.exit(1);
  });
  return { close: () => server.close() };
{{else}}
  const budget = sessionBudgets(config)();
  return serveStdio(({ era }) => createServer({ era, config, budget, log }), { transport, onerror });
{{/if}}
}

/**
 * stdin as the SDK reads it: one message per line, blank ones dropped. The SDK drops an answer it cannot parse
 * and stops at one over its size limit; either way the tool call waiting for it would hang until the approval
 * timeout. Here both become an error answer to the same request (JSON-RPC's parse error): the call ends at once.
 */
function readableInput(input: Readable, log: Logger): Readable {
  const output = new PassThrough();
  createInterface({ input, crlfDelay: Infinity })
    .on('line', (line) => {
      const message = line.trim() === '' ? undefined : Buffer.byteLength(line) > MAX_MESSAGE_BYTES ? tooLarge(line, log) : readable(line);
      if (message !== undefined) output.write(`${message}\n`);
    })
    .on('close', () => output.end());
  return output;
}

function readable(line: string): string {
  try {
    const message: unknown = line.includes('"error"') ? JSON.parse(line) : undefined;
    const answer = readableAnswer(message);
    return answer === message ? line : JSON.stringify(answer);
  } catch {
    return line;
  }
}

/** A message over the limit, by its id (at one end of it): an answer becomes an error answer, a request gets one. */
function tooLarge(line: string, log: Logger): string | undefined {
  const id = (/^\s*\{(?:\s*"jsonrpc"\s*:\s*"2\.0"\s*,)?\s*"id"\s*:\s*(-?\d+|"[^"\\]{0,100}")/.exec(line.slice(0, 256)) ??
    /"id"\s*:\s*(-?\d+|"[^"\\]{0,100}")\s*\}\s*$/.exec(line.slice(-256)))?.[1];
  const bytes = Buffer.byteLength(line);
  log({ event: 'message_too_large', transport: 'stdio', bytes, id });
  if (id === undefined) return undefined;
  const reason = `it is ${(bytes / 2 ** 20).toFixed(1)} MB, over the ${MAX_MESSAGE_BYTES / 2 ** 20} MB this server reads`;
  const error = JSON.stringify({ jsonrpc: '2.0', id: JSON.parse(id), error: { code: PARSE_ERROR, message: reason } });
  if (!/^\s*\{[^{[]*?"method"\s*:/.test(line.slice(0, 256))) return error;
  process.stdout.write(`${error}\n`);
  return undefined;
}
