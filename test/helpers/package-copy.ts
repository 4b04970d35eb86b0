/**
 * The built package (bin/, dist/, package.json) copied next to a chosen templates/ folder: the real
 * binary, run against fixture built-in templates. The generator finds templates/ beside its package.json,
 * so no switch in the product is needed for this.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './cli.js';

export const builtinFixture = path.join(repoRoot, 'test/fixtures/builtin');
export const exampleTemplate = path.join(repoRoot, 'examples/team-template');

export function packageWithTemplates(templatesRoot = builtinFixture): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cmss-package-'));
  for (const entry of ['bin', 'dist', 'package.json']) cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  cpSync(templatesRoot, path.join(root, 'templates'), { recursive: true });
  return path.join(root, 'bin/create-mcp-sampling-server.js');
}
