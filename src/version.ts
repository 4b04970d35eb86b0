import { readFileSync } from 'node:fs';
import { packageRoot } from './paths.js';

// The bundle has the version baked in by scripts/build.mjs; running from source reads package.json.
declare const __GENERATOR_VERSION__: string | undefined;

export const GENERATOR_VERSION: string =
  typeof __GENERATOR_VERSION__ === 'string'
    ? __GENERATOR_VERSION__
    : (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version;

export const GENERATOR_NAME = 'create-mcp-sampling-server';
