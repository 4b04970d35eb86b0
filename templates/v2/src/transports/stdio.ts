import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';

import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { sessionBudgets } from '../sampling/tokens.js';
import { createServer } from '../server.js';

/**
 * Serves one host over stdin/stdout. `serveStdio` answers both protocol eras: the client's opening
 * message decides which one this connection speaks. A stdio process serves exactly one connection,
 * so one budget for the process is the session budget.
 */
export function serveOverStdio(config: Config, log: Logger): StdioServerHandle {
  const budget = sessionBudgets(config)();
  return serveStdio(({ era }) => createServer({ era, config, budget, log }), {
    onerror: (error) => log({ event: 'transport_error', transport: 'stdio', message: error.message }),
  });
}
