/**
 * The MCP client (@modelcontextprotocol/client, which speaks both protocol eras) is not bundled: the host
 * uses the copy installed in the project it drives (generated projects list it as a devDependency), and
 * falls back to the generator's own (a checkout, or a project that installed the generator), so the
 * published package stays small and the host speaks the same SDK version as the project's tests.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { HostUsageError } from './options.js';

export type ClientSdk = typeof import('@modelcontextprotocol/client');
export type StdioSdk = typeof import('@modelcontextprotocol/client/stdio');
export interface LoadedSdk {
  client: ClientSdk;
  stdio: StdioSdk;
  /** Where it was found, for the "Connected" line. */
  from: string;
}

const PACKAGE = '@modelcontextprotocol/client';

export function loadClientSdk(projectDir: string): LoadedSdk {
  const places = [
    { require: createRequire(path.join(projectDir, 'package.json')), from: 'the project' },
    { require: createRequire(import.meta.url), from: 'create-mcp-sampling-server' },
  ];
  for (const place of places) {
    let resolved: string;
    try {
      resolved = place.require.resolve(PACKAGE);
    } catch {
      continue;
    }
    const require = createRequire(resolved);
    return { client: require(resolved) as ClientSdk, stdio: require(`${PACKAGE}/stdio`) as StdioSdk, from: `${place.from} (${path.dirname(resolved)})` };
  }
  throw new HostUsageError(
    `The host needs the MCP client package ${PACKAGE}, which is found neither in ${projectDir} nor next to create-mcp-sampling-server.\n` +
      `Install it in the project: npm install --save-dev ${PACKAGE}@^2.4.0`,
  );
}
