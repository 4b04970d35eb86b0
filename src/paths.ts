import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding our package.json (and templates/): `..` from dist/index.cjs, `../..` from src/<area>/*.ts.
 * Found by package.json rather than by templates/, so that a checkout without built-in templates still starts
 * and says which template is missing instead of failing on import.
 */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'create-mcp-sampling-server') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('create-mcp-sampling-server: its package.json was not found above the running code');
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();

/**
 * The built-in templates. The published package has them in dist/templates: manifests and plain files,
 * which the bundle reads, while files with expressions are precompiled into the bundle itself. Running
 * from source, they are read from templates/.
 */
const builtTemplates = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');
export const templatesDir = existsSync(builtTemplates) ? builtTemplates : path.join(packageRoot, 'templates');

/** This package's command, which `verify` runs as `host` to drive a project's server. */
export const generatorBin = path.join(packageRoot, 'bin/create-mcp-sampling-server.cjs');
