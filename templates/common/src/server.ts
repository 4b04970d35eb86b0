import { readFileSync } from 'node:fs';

import type { Config } from './config.js';
import { stderrLogger, type Logger } from './log.js';
import { Sampler, type Era } from './sampling/sampler.js';
import type { TokenBudget } from './sampling/tokens.js';
import { McpServer } from './sdk.js';
{{#if (eq tool "ask")}}
import { registerAskTool, TOOL_NAME } from './tools/ask.js';
{{/if}}
{{#if (eq tool "summarize")}}
import { registerSummarizeTool, TOOL_NAME } from './tools/summarize.js';
{{/if}}
{{#if (eq tool "code-patterns")}}
import { registerCodePatternsTool, TOOL_NAME } from './tools/codePatterns.js';
{{/if}}
{{> extra-imports}}

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

export interface CreateServerOptions {
  /** The protocol era this instance serves; the serving entry (stdio or HTTP) decides it per connection. */
  era: Era;
  config: Config;
  /** Shared by every instance of one session, so the budget spans the session rather than one request. */
  budget: TokenBudget;
  log?: Logger;
}

/** Builds one server instance. Both transports call this, for every era, so the eras cannot drift apart. */
export function createServer({ era, config, budget, log = stderrLogger }: CreateServerOptions): McpServer {
  const server = new McpServer({ name: packageJson.name, version: packageJson.version }, { capabilities: { tools: {} } });
  const sampler = new Sampler({ server, era, config, budget, log, toolName: TOOL_NAME });
{{#if (eq tool "ask")}}
  registerAskTool(server, sampler);
{{/if}}
{{#if (eq tool "summarize")}}
  registerSummarizeTool(server, sampler, config);
{{/if}}
{{#if (eq tool "code-patterns")}}
  registerCodePatternsTool(server, sampler, config);
{{/if}}
  {{> extra-tools}}
  return server;
}
