/**
 * Another version of the generator for the update tests: a copy of this checkout's sources with its version
 * changed and its templates edited as a release would edit them, built with the real build script and packed.
 */
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, scratch } from './cli.js';
import { pack } from './registry.js';
import { runCommand } from './processes.js';

/** Builds a generator at `version` whose templates `edit` changed; returns its `npm pack` tarball. */
export async function buildGeneratorVersion(version: string, edit: (templates: string) => void): Promise<string> {
  const root = scratch('cmss-generator-version-');
  for (const entry of ['bin', 'scripts', 'src', 'templates', 'package.json', 'tsconfig.json', 'LICENSE', 'README.md']) {
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const manifestFile = path.join(root, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version: string };
  writeFileSync(manifestFile, `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
  edit(path.join(root, 'templates'));
  const built = await runCommand(process.execPath, ['scripts/build.mjs'], { cwd: root });
  if (built.code !== 0) throw new Error(`building generator ${version} failed:\n${built.output}`);
  return pack(root, root).tarball;
}

/** Replaces `from` with `to` in a file, failing loudly when `from` is not there (the templates moved on). */
export function replaceIn(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}: update this test's edit`);
  writeFileSync(file, text.replace(from, to));
}
