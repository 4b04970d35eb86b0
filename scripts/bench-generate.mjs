// Generation speed and package size, measured side by side on this machine.
//
//   node scripts/bench-generate.mjs [runs]
//
// Prints the median wall time of a bare `node -e 0` and of a generation with
// `--yes --no-install --no-git`, interleaved so both see the same machine load, and their ratio
// (target: within 1.5x). Generation is measured twice: into a RAM-backed folder (/dev/shm, where there is
// one), which is the generator's own cost, and onto the disk, where writing ~40 files also waits on the
// file system and varies from run to run with what the disk is doing. Then packs the package and prints
// the tarball size (target: at most 352 kB) and its runtime dependencies (target: none, so `npm create`
// downloads one package).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 31);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/create-mcp-sampling-server.cjs');
const work = mkdtempSync(path.join(tmpdir(), 'cmss-bench-'));
const memory = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/cmss-bench-') : undefined;

function timed(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

const bare = [];
const generate = [];
const generateInMemory = [];
const version = [];
for (let i = 0; i < runs; i++) {
  bare.push(timed(['-e', '0'], work));
  if (memory) generateInMemory.push(timed([bin, `app-${i}`, '--yes', '--no-install', '--no-git'], memory));
  generate.push(timed([bin, `app-${i}`, '--yes', '--no-install', '--no-git'], work));
  version.push(timed([bin, '--version'], work));
}
if (memory) rmSync(memory, { recursive: true, force: true });

const spawnPack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, '--loglevel=error'], { cwd: root, encoding: 'utf8' });
if (spawnPack.status !== 0) throw new Error(`npm pack failed: ${spawnPack.stderr}`);
const [pack] = JSON.parse(spawnPack.stdout);
const tarball = statSync(path.join(work, pack.filename)).size;
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
rmSync(work, { recursive: true, force: true });

const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}, ${runs} runs each (median)`);
console.log(`node -e 0                               ${fmt(median(bare))}`);
console.log(`create-mcp-sampling-server --version    ${fmt(median(version))}  (${(median(version) / median(bare)).toFixed(2)}x)`);
if (memory) {
  console.log(`generate --yes --no-install --no-git    ${fmt(median(generateInMemory))}  (${(median(generateInMemory) / median(bare)).toFixed(2)}x, target <= 1.50x) into /dev/shm`);
}
console.log(`generate --yes --no-install --no-git    ${fmt(median(generate))}  (${(median(generate) / median(bare)).toFixed(2)}x, target <= 1.50x) onto the disk`);
console.log(`tarball                                 ${(tarball / 1024).toFixed(1)} kB packed, ${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked, ${pack.entryCount} files (target <= 352 kB)`);
console.log(`runtime dependencies                    ${Object.keys(manifest.dependencies ?? {}).length} (target 0)`);
