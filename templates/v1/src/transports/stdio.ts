import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { sessionBudgets } from '../sampling/tokens.js';
import { createServer } from '../server.js';

export interface StdioServerHandle {
  close(): Promise<void>;
}

/**
 * Serves one host over stdin/stdout, in the 2025 protocol era (the only one v1 speaks). A stdio
 * process serves exactly one connection, so one budget for the process is the session budget.
 */
export function serveOverStdio(config: Config, log: Logger): StdioServerHandle {
  const server = createServer({ config, budget: sessionBudgets(config)(), log });
  const transport = new StdioServerTransport();
  transport.onerror = (error) => log({ event: 'transport_error', transport: 'stdio', message: error.message });
  server.connect(transport).catch((error: unknown) => {
    log({ event: 'transport_error', transport: 'stdio', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
  return { close: () => server.close() };
}
