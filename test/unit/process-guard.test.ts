import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MARKER, survivors } from '../process-guard.js';

describe.runIf(process.platform === 'linux')('the process guard', () => {
  it('finds a process left running with the run marker, and nothing once it is gone', async () => {
    const run = randomUUID();
    const child = spawn('sleep', ['30'], { env: { ...process.env, [MARKER]: run }, stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    try {
      expect(survivors(run).map((survivor) => survivor.pid)).toEqual([child.pid]);
      expect(survivors(run)[0]?.command).toBe('sleep 30');
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(survivors(run)).toEqual([]);
  });
});
