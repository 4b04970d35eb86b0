import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './paths.js';

// The bundle has the version baked in by scripts/build.mjs; running from source reads package.json.
declare const __GENERATOR_VERSION__: string | undefined;

export const GENERATOR_VERSION: string =
  typeof __GENERATOR_VERSION__ === 'string'
    ? __GENERATOR_VERSION__
    : (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version;

export const GENERATOR_NAME = 'create-mcp-sampling-server';

/**
 * How a generated project names this generator in its devDependencies (its `host` script runs it).
 * Installed from a registry, the package sits in a node_modules folder and the project pins the exact
 * version; run from a checkout (a version that may not be on any registry yet), the project installs
 * the generator from that checkout.
 */
export const GENERATOR_DEPENDENCY: string = packageRoot.split(path.sep).includes('node_modules')
  ? GENERATOR_VERSION
  : `file:${packageRoot}`;

/** True when the project will install the generator from this checkout rather than a registry. */
export const GENERATOR_FROM_CHECKOUT = GENERATOR_DEPENDENCY.startsWith('file:');

/**
 * Set to 1 in the environment of a generator that `update` or `add` runs to render a project: it writes the
 * files and skips install, --verify and git, whatever the answers say. Every version from 0.1.0 reads it.
 */
export const RENDER_ONLY = 'CREATE_MCP_SAMPLING_SERVER_RENDER_ONLY';
