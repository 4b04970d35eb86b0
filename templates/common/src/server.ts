import { readFileSync } from 'node:fs';

import type { Config } from './config.js';
import { stderrLogger, type Logger } from './log.js';
{{#if bothEras}}
import type { Era } from './sampling/protocol.js';
{{/if}}
{{#if hasFallback}}
import { FallbackSampler } from './sampling/fallback.js';
{{else}}
import { Sampler } from './sampling/sampler.js';
{{/if}}
import type { Budget } from './sampling/tokens.js';
import { McpServer } from './sdk.js';
{{#each tools}}
import { {{registerTool}} } from './tools/{{toolModule}}.js';
{{/each}}
{{> extra-imports}}

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export interface CreateServerOptions {
{{#if bothEras}}
  /** The protocol era this instance serves; the serving entry (stdio or HTTP) decides it per connection. */
  era: Era;
{{/if}}
  config: Config;
  /** Shared by every instance of one session, so the budget spans the session rather than one request. */
  budget: Budget;
  log?: Logger;
{{#if http}}
  /** Aborted when the HTTP server, shutting down, stops waiting for the calls still in flight. */
  shutdown?: AbortSignal;
{{/if}}
}

/** Builds one server instance. Both transports call this{{#if bothEras}}, for every era, so the eras cannot drift apart{{/if}}. */
export function createServer({ {{#if bothEras}}era, {{/if}}config, budget, log = stderrLogger{{#if http}}, shutdown{{/if}} }: CreateServerOptions): McpServer {
  const server = new McpServer({ name: packageJson.name, version: packageJson.version }, { capabilities: { tools: {} } });
  // Each tool gets its own Sampler, so its name goes into its log lines and results.
{{#if hasFallback}}
  // Where the client cannot sample, the Sampler calls the model provider directly (src/sampling/fallback.ts).
  const samplerFor = (toolName: string) => new FallbackSampler({ server, {{#if bothEras}}era, {{/if}}config, budget, log{{#if http}}, shutdown{{/if}} }, toolName);
{{else}}
  const samplerFor = (toolName: string) => new Sampler({ server, {{#if bothEras}}era, {{/if}}config, budget, log{{#if http}}, shutdown{{/if}} }, toolName);
{{/if}}
{{#each tools}}
  {{registerTool}}(server, samplerFor{{#if readsFiles}}, config{{/if}});
{{/each}}
  {{> extra-tools}}
  return server;
}
