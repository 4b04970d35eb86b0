#!/usr/bin/env node
import { ConfigError, loadConfig, type Config } from './config.js';
import { stderrLogger } from './log.js';
{{#if http}}
import { serveOverHttp } from './transports/http.js';
{{/if}}
{{#if stdio}}
import { serveOverStdio } from './transports/stdio.js';
{{/if}}

/** Shutdown waits this long for open requests{{#if http}} (after the HTTP server's SHUTDOWN_GRACE_SECONDS){{/if}} before exiting anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

function readConfig(): Config {
  try {
    return loadConfig({{#if readsFiles}}process.env, process.argv.slice(2){{/if}});
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee the README's "Settings" section.\n`);
    process.exit(1);
  }
}

const config = readConfig();
{{#if (eq transport "both")}}
const server = config.transport === 'http' ? await serveOverHttp(config, stderrLogger) : serveOverStdio(config, stderrLogger);
{{/if}}
{{#if (eq transport "stdio")}}
const server = serveOverStdio(config, stderrLogger);
{{/if}}
{{#if (eq transport "http")}}
const server = await serveOverHttp(config, stderrLogger);
{{/if}}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stderrLogger({ event: 'shutdown', signal });
    setTimeout(() => process.exit(1), {{#if http}}config.shutdownGraceMs + {{/if}}SHUTDOWN_GRACE_MS).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
