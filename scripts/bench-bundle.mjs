// The size of the MCP Bundle a --ship project makes with `npm run bundle`, for each SDK: the .mcpb's size,
// and unpacked, its files and bytes (the built server and its production dependencies only). Each project
// is generated with the built CLI, installed with npm (warm cache) and bundled for real.
//
//   npm run build && node scripts/bench-bundle.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/create-mcp-sampling-server.cjs');
const work = mkdtempSync(path.join(tmpdir(), 'cmss-bundle-'));

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

const files = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

const rows = [];
try {
  for (const sdk of ['v2', 'v1']) {
    const name = `bundle-${sdk}`;
    const dir = path.join(work, name);
    run(process.execPath, [bin, name, '--yes', '--ship', '--repository', 'bench/bundle', '--sdk', sdk, '--no-install', '--no-git'], work);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir);
    run('npm', ['run', 'bundle', '--silent'], dir);
    const bundle = path.join(dir, `${name}-0.1.0.mcpb`);
    const unpacked = path.join(work, `${name}-unpacked`);
    run(path.join(dir, 'node_modules/.bin/mcpb'), ['unpack', bundle, unpacked], dir);
    const contents = files(unpacked);
    rows.push({
      sdk,
      packed: statSync(bundle).size,
      files: contents.length,
      unpacked: contents.reduce((sum, file) => sum + statSync(file).size, 0),
      dependencies: files(path.join(unpacked, 'node_modules')).length,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('npm run bundle, --yes --ship (stdio, summarize, no fallback)\n');
console.log('| --sdk | .mcpb | files | unpacked | of which in node_modules |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.sdk} | ${megabytes(row.packed)} | ${row.files} | ${megabytes(row.unpacked)} | ${row.dependencies} files |`);
