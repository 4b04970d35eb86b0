/**
 * Installs, once, the outside tools the end-to-end tests run against, all from the npm registry:
 * Node 22 and 24, pnpm and yarn, the MCP conformance suite, the MCP Inspector and verdaccio (the local
 * registry test/registry-setup.ts starts). They go under
 * .cache/ (kept between runs, ignored by git) and are installed one at a time, so test files that
 * run in parallel never race on the same folder. Prints how long each took.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** Folder under .cache -> packages installed there. Test files find them with `toolBin`. */
export const TOOLS = {
  'node-22': ['node@22'],
  'node-24': ['node@24'],
  'package-managers': ['pnpm@10', 'yarn@1'],
  // Yarn 2+ is published as @yarnpkg/cli-dist (its bin is also `yarn`, hence a folder of its own); bun's npm
  // package brings the native binary for this platform through an optional dependency.
  'yarn-4': ['@yarnpkg/cli-dist@4'],
  bun: ['bun@1'],
  // 0.1.13 is the last release that runs on Node 20; later ones run on Node 22.
  'conformance-0.1.13': ['@modelcontextprotocol/conformance@0.1.13'],
  'conformance-0.1.16': ['@modelcontextprotocol/conformance@0.1.16'],
  // 0.15 is the Inspector line that runs on Node 20.
  'inspector-0.15.0': ['@modelcontextprotocol/inspector@0.15.0'],
  // 2.x speaks both protocol eras and needs Node 22.19: matrix only, run with Node 22.
  'inspector-2.12.0': ['@modelcontextprotocol/inspector@2.12.0'],
  // 6.10 and later need Node 22.
  'verdaccio-6.8.0': ['verdaccio@6.8.0'],
  // Third-party clients and bridges for `npm run test:clients`, at exact versions (@ai-sdk/mcp runs on Node 22).
  clients: ['supergateway@4.0.0', 'mcp-remote@0.15.1', '@ai-sdk/mcp@2.0.99'],
  // mcp-use's client, which answers sampling (2.x is a server framework); its own folder, as it brings 360 packages.
  'mcp-use': ['mcp-use@1.34.6'],
} as const;

/**
 * The tools of the other tiers (their vitest configs set CMSS_TEST_TIER): `npm run test:matrix` and
 * `npm run test:clients` install what they use; `npm test` installs neither set.
 */
const TIER_TOOLS: Readonly<Record<string, ReadonlySet<string>>> = {
  matrix: new Set(['node-22', 'node-24', 'package-managers', 'conformance-0.1.13', 'conformance-0.1.16', 'inspector-2.12.0', 'yarn-4', 'bun']),
  clients: new Set(['node-22', 'clients', 'mcp-use', 'inspector-2.12.0']),
};

export function toolBin(name: keyof typeof TOOLS, command: string): string {
  return path.join(root, '.cache', name, 'node_modules/.bin', command);
}

/** The folder of an installed tool package, for tools used as libraries. */
export function toolPackage(name: keyof typeof TOOLS, pkg: string): string {
  return path.join(root, '.cache', name, 'node_modules', pkg);
}

export default function setup(): void {
  const timings: string[] = [];
  const tier = process.env.CMSS_TEST_TIER ?? 'everyday';
  for (const [name, packages] of Object.entries(TOOLS)) {
    const inTiers = Object.entries(TIER_TOOLS).filter(([, tools]) => tools.has(name));
    if (inTiers.length > 0 && !inTiers.some(([tierName]) => tierName === tier)) continue;
    const prefix = path.join(root, '.cache', name);
    if (existsSync(path.join(prefix, 'node_modules/.bin'))) continue;
    const started = performance.now();
    const install = spawnSync('npm', ['install', '--no-save', '--loglevel=error', '--prefix', prefix, ...packages], { cwd: root, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`installing ${packages.join(', ')} failed:\n${install.stdout}\n${install.stderr}`);
    timings.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (timings.length > 0) console.log(`test tools installed into .cache/: ${timings.join(', ')}`);
}
