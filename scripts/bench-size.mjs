// The size of what a user gets: for every --tool x --fallback (stdio, v2, the defaults otherwise),
// generates the project with the built CLI and prints its files, lines of TypeScript in src/ and test/,
// and runtime dependencies. Targets for the default project (--yes): at most 30 files and 1,200 lines
// in src/, runtime dependencies @modelcontextprotocol/server and zod only.
//
//   npm run build && node scripts/bench-size.mjs [--sdk v1] [--transport both] [--ship]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { sdk: { type: 'string', default: 'v2' }, transport: { type: 'string', default: 'stdio' }, ship: { type: 'boolean', default: false } },
});
const ship = values.ship ? ['--ship', '--repository', 'bench/size'] : [];
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/create-mcp-sampling-server.cjs');
const work = mkdtempSync(path.join(tmpdir(), 'cmss-size-'));

const files = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
const lines = (paths, extension = '.ts') => paths.filter((file) => file.endsWith(extension)).reduce((sum, file) => sum + readFileSync(file, 'utf8').split('\n').length - 1, 0);

const rows = [];
for (const tool of ['summarize', 'code-patterns', 'ask']) {
  for (const fallback of ['none', 'openai-compatible', 'anthropic']) {
    const name = `${tool}-${fallback}`;
    const args = [bin, name, '--yes', '--no-install', '--no-git', '--tool', tool, '--fallback', fallback, '--sdk', values.sdk, '--transport', values.transport, ...ship];
    const run = spawnSync(process.execPath, args, { cwd: work, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`generating ${name} failed:\n${run.stderr}`);
    const dir = path.join(work, name);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    rows.push({
      tool,
      fallback,
      files: files(dir).length,
      src: lines(files(path.join(dir, 'src'))),
      test: lines(files(path.join(dir, 'test'))),
      scripts: values.ship ? lines(files(path.join(dir, 'scripts')), '.mjs') : 0,
      dependencies: Object.keys(pkg.dependencies ?? {}).join(', '),
    });
  }
}
rmSync(work, { recursive: true, force: true });

console.log(`Generated projects, --sdk ${values.sdk} --transport ${values.transport}${values.ship ? ' --ship' : ''} (target for the default, summarize/none: <= 30 files, <= 1,200 lines in src/)\n`);
const scripts = values.ship ? ' scripts/ lines |' : '';
console.log(`| --tool | --fallback | files | src/ lines | test/ lines |${scripts} runtime dependencies |`);
console.log(`| --- | --- | ---: | ---: | ---: |${values.ship ? ' ---: |' : ''} --- |`);
for (const row of rows) {
  console.log(`| ${row.tool} | ${row.fallback} | ${row.files} | ${row.src} | ${row.test} |${values.ship ? ` ${row.scripts} |` : ''} ${row.dependencies} |`);
}
