// What `update` and `add tool` cost a user, measured side by side with a generation on this machine.
//
//   npm run bench:update [-- runs]
//
// A project is made by an "older" generator: this checkout built under another version, with the first line of
// src/log.ts changed, and put in the update cache as `update` keeps a version it fetched from the registry (so
// these are warm-cache figures; the first update from a version also downloads it once, which is npm's time). The
// user's own line at the end of src/log.ts is committed, so that file is merged three ways. Interleaved, median
// of each (the applied update is undone with git between runs, untimed):
//   - a generation (--yes --no-install --no-git), the baseline;
//   - `update --dry-run`: both sides rendered, merged and diffed, nothing written;
//   - `update`: the same, written through the journal, and the record rewritten;
//   - `add tool translate --tool summarize --dry-run`.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 15);
const root = path.resolve(import.meta.dirname, '..');
const name = 'create-mcp-sampling-server';
const bin = path.join(root, 'bin', `${name}.cjs`);
const work = mkdtempSync(path.join(tmpdir(), 'cmss-bench-update-'));
const env = { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache'), NO_COLOR: '1' };
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// Built from a copy of this checkout, as a release is: the version is baked into the bundle.
const older = '0.0.1-bench';
const olderSource = path.join(work, 'older-source');
for (const entry of ['bin', 'scripts', 'src', 'templates', 'package.json', 'tsconfig.json', 'LICENSE', 'README.md']) {
  cpSync(path.join(root, entry), path.join(olderSource, entry), { recursive: true });
}
symlinkSync(path.join(root, 'node_modules'), path.join(olderSource, 'node_modules'), 'dir');
const manifestFile = path.join(olderSource, 'package.json');
writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), version: older }, null, 2));
// The older release's src/log.ts began with another line, so the update has a change to merge into the user's.
const olderLog = path.join(olderSource, 'templates', 'common', 'src', 'log.ts');
writeFileSync(olderLog, `// An older first line.\n${readFileSync(olderLog, 'utf8').split('\n').slice(1).join('\n')}`);
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: olderSource, stdio: 'ignore' });
const olderPackage = path.join(work, 'cache', name, 'generators', older, 'node_modules', name);
for (const entry of ['bin', 'dist', 'package.json']) cpSync(path.join(olderSource, entry), path.join(olderPackage, entry), { recursive: true });

function run(command, args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return ms;
}
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });

const project = path.join(work, 'my-server');
run(process.execPath, [path.join(olderPackage, 'bin', `${name}.cjs`), project, '--yes', '--no-install', '--no-git'], work);
appendFileSync(path.join(project, 'src', 'log.ts'), '\n// A line of my own.\n');
git(project, 'init', '-q');
git(project, '-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-qm', 'made by an older generator', '--allow-empty');
git(project, 'add', '-A');
git(project, '-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-qm', 'mine');

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const figures = { generate: [], 'update --dry-run': [], update: [], 'add tool --dry-run': [] };
for (let i = 0; i < runs; i++) {
  figures.generate.push(run(process.execPath, [bin, `app-${i}`, '--yes', '--no-install', '--no-git'], work));
  figures['update --dry-run'].push(run(process.execPath, [bin, 'update', '--dry-run'], project));
  figures.update.push(run(process.execPath, [bin, 'update'], project));
  // The figure is only worth printing if the update did what it says: the new first line, the user's last one.
  const merged = readFileSync(path.join(project, 'src', 'log.ts'), 'utf8');
  if (!merged.startsWith('/**') || !merged.endsWith('// A line of my own.\n')) throw new Error(`src/log.ts was not merged:\n${merged}`);
  git(project, 'reset', '-q', '--hard');
  git(project, 'clean', '-qfdx');
  figures['add tool --dry-run'].push(run(process.execPath, [bin, 'add', 'tool', 'translate', '--tool', 'summarize', '--dry-run'], project));
}

const baseline = median(figures.generate);
console.log(`${runs} runs each, interleaved; ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)} at the end`);
for (const [label, values] of Object.entries(figures)) {
  const value = median(values);
  console.log(`${label.padEnd(20)} ${value.toFixed(1).padStart(7)} ms  (${(value / baseline).toFixed(2)}x a generation)`);
}
