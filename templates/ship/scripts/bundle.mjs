#!/usr/bin/env node
// Packs this server as an MCP Bundle, <name>-<version>.mcpb, which desktop hosts such as Claude Desktop
// install in one click, with a settings form built from manifest.json's user_config. It stages the built
// server with its production dependencies only, then packs the stage with mcpb, which validates
// manifest.json first. `npm run bundle` builds before it runs.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packExtension } from '@anthropic-ai/mcpb';
import { syncReleaseFiles } from './release-files.mjs';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stage = path.join(projectDir, '.bundle');
const { devDependencies, scripts, ...packageJson } = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8'));
const output = path.join(projectDir, `${packageJson.name.replace(/^@[^/]+\//, '')}-${packageJson.version}.mcpb`);

const stale = syncReleaseFiles(projectDir, { check: true });
if (stale.length > 0) {
  console.error(`${stale.join(' and ')} differ from package.json and the README's Settings: run npm run release-files first`);
  process.exit(1);
}
if (!existsSync(path.join(projectDir, 'dist/index.js'))) {
  console.error('dist/index.js is missing: build first (npm run bundle does)');
  process.exit(1);
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage);
for (const entry of ['manifest.json', 'dist', 'README.md', 'COSTS.md', 'LICENSE', 'package-lock.json']) {
  const source = path.join(projectDir, entry);
  if (existsSync(source)) cpSync(source, path.join(stage, entry), { recursive: true, filter: (file) => !file.endsWith('.map') });
}
// Without its devDependencies and scripts, the staged package installs what the server imports at run
// time and nothing else (at the lockfile's versions, when there is a package-lock.json).
writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
execFileSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: stage,
  stdio: 'inherit',
  // npm is npm.cmd on Windows, which only a shell runs.
  shell: process.platform === 'win32',
});

const packed = await packExtension({ extensionPath: stage, outputPath: output });
rmSync(stage, { recursive: true, force: true });
if (!packed) process.exit(1);
