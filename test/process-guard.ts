/**
 * No process outlives the suite. Every process the tests start inherits a marker in its environment
 * (set here, before the test workers exist); when the run ends, any process still carrying it (a server,
 * host, registry or package manager a test forgot, or one left by a test that failed or timed out) is
 * listed, killed, and fails the run. The run's scratch folders go too.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';

import { runFolder } from './helpers/cli.js';

export const MARKER = 'CMSS_TEST_RUN';

interface Survivor {
  pid: number;
  command: string;
}

/** Processes whose environment carries this run's marker, except the test runner's own. */
export function survivors(run: string): Survivor[] {
  const found: Survivor[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      if (!environ.includes(`${MARKER}=${run}`)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      // vitest's own workers carry the marker too; they end with the run.
      if (/node_modules\/(vitest|tinypool)\//.test(command)) continue;
      found.push({ pid, command });
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

export default function setup(): (() => Promise<void>) | undefined {
  // Only Linux shows other processes' environments; elsewhere the guard stands aside.
  if (process.platform !== 'linux') return undefined;
  const run = randomUUID();
  process.env[MARKER] = run;
  return async () => {
    // Give processes the suite has just signalled a moment to exit on their own.
    let left = survivors(run);
    for (let waited = 0; left.length > 0 && waited < 5_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      left = survivors(run);
    }
    rmSync(runFolder(run), { recursive: true, force: true });
    if (left.length === 0) return;
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    throw new Error(`${left.length} process(es) started by the tests outlived the suite (now killed):\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`);
  };
}
