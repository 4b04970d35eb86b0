import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json and templates/: `..` from dist/index.js, `../..` from src/<area>/*.ts. */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'templates'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('create-mcp-sampling-server: templates/ folder not found next to the package');
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot();
export const templatesDir = path.join(packageRoot, 'templates');

/** The scripted host `verify` runs: copied next to the bundle by the build, read from src/ when running from source. */
const bundledHost = path.join(path.dirname(fileURLToPath(import.meta.url)), 'verify-host.mjs');
export const verifyHostScript = existsSync(bundledHost) ? bundledHost : path.join(packageRoot, 'src/verify/host.mjs');
