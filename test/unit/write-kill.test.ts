/**
 * SIGKILL at random moments while writing into an existing folder (--force), 100 times: after each kill the
 * next run's recovery must leave the folder exactly as it was, or the write must have completed. The driver
 * (the real plan and write modules, bundled with esbuild) writes 1,500 files so the moves last long enough
 * to be hit; kill times spread over a whole unkilled run.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, lstatSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { recoverInterruptedWrite } from '../../src/write/write.js';
import { repoRoot, scratch } from '../helpers/cli.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const FILES = 1_500;
const KILLS = 100;
let driver: string;

beforeAll(async () => {
  driver = path.join(scratch('cmss-kill-driver-'), 'driver.mjs');
  await build({ entryPoints: [path.join(repoRoot, 'test/fixtures/kill/write-driver.ts')], bundle: true, platform: 'node', format: 'esm', outfile: driver, logLevel: 'error' });
});

/** Every file under `dir` with its content; folders implied. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true }).map(String)) {
    const full = path.join(dir, entry);
    if (lstatSync(full).isFile()) files.set(entry, readFileSync(full, 'utf8'));
  }
  return files;
}

function userFolder(): string {
  const dir = scratch('cmss-kill-');
  mkdirSync(path.join(dir, 'notes'));
  writeFileSync(path.join(dir, 'README.md'), '# mine\n');
  writeFileSync(path.join(dir, 'notes/todo.txt'), 'keep me\n');
  return dir;
}

/** Runs the driver; kills it after `afterMs` (never when undefined). Resolves with whether it finished. */
function runDriver(target: string, afterMs: number | undefined, mode: Mode): Promise<{ finished: boolean; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [driver, target, String(FILES), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  if (afterMs !== undefined) {
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
  }
  return new Promise((resolve) => child.on('exit', () => resolve({ finished: output.includes('done'), ms: performance.now() - started })));
}

const isBackup = (file: string) => file.startsWith('.create-mcp-sampling-server-backup-');

/** The folder as it was before the write, as a finished write leaves it (backup folder names aside), or neither. */
function classify(dir: string, before: Map<string, string>, complete: Map<string, string>): 'asItWas' | 'complete' | 'partial' {
  const after = snapshot(dir);
  const matches = (expected: Map<string, string>) => {
    const expectedFiles = [...expected].filter(([file]) => !isBackup(file));
    const afterFiles = [...after.keys()].filter((file) => !isBackup(file));
    const backups = (files: Iterable<string>) => [...files].filter(isBackup).length;
    return (
      afterFiles.length === expectedFiles.length &&
      expectedFiles.every(([file, content]) => after.get(file) === content) &&
      backups(after.keys()) === backups(expected.keys())
    );
  };
  if (matches(before)) return 'asItWas';
  return matches(complete) ? 'complete' : 'partial';
}

type Mode = 'generate' | 'update';

// `update` also removes a file, and its backup lives only in the staging folder.
describe.each<Mode>(['generate', 'update'])('a kill while writing into an existing folder (%s)', (mode) => {
  it(`leaves it as it was or complete, after the next run's recovery, in ${KILLS} kills`, async () => {
    const probe = userFolder();
    const { finished, ms } = await runDriver(probe, undefined, mode);
    expect(finished).toBe(true);
    const complete = snapshot(probe);
    const outcomes = { asItWas: 0, complete: 0, partial: 0, undone: 0 };
    // The classifier knows a finished write when it sees one.
    const unkilled = userFolder();
    await runDriver(unkilled, undefined, mode);
    expect(classify(unkilled, snapshot(userFolder()), complete)).toBe('complete');

    for (let kill = 0; kill < KILLS; kill++) {
      const dir = userFolder();
      const before = snapshot(dir);
      // Spread over an unkilled run and a little past it, so kills land before, during and after the moves.
      const run = await runDriver(dir, ((kill + Math.random()) / KILLS) * 1.2 * ms, mode);
      if (recoverInterruptedWrite(dir) !== undefined) outcomes.undone++;
      outcomes[classify(dir, before, complete)]++;
      // Nothing of ours is left lying about, finished or not.
      expect(readdirSync(dir).filter((name) => /staging|journal|lock/.test(name)), `kill ${kill}, finished: ${run.finished}`).toEqual([]);
    }

    console.log(`kills: ${KILLS}, as it was: ${outcomes.asItWas}, complete: ${outcomes.complete}, partial: ${outcomes.partial} (undone by recovery: ${outcomes.undone})`);
    expect(outcomes.partial).toBe(0);
    // Kills landed mid-write (the ones recovery undid), or the test proved nothing.
    expect(outcomes.undone).toBeGreaterThan(0);
  }, TIMEOUTS.killTest);
});
