import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { flushLog, stderrLogger, type LogRecord } from '../src/log.js';

describe('stderrLogger', () => {
  let write: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 2, 3, 4, 5, 6) });
    write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    flushLog();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('writes the lines of a short burst together, each stamped with the time it was logged', () => {
    stderrLogger({ event: 'sampling', outcome: 'ok', nested: { a: [1, 'two'] }, missing: undefined });
    vi.advanceTimersByTime(10);
    stderrLogger({ event: 'shutdown', signal: 'SIGTERM' });
    expect(write).not.toHaveBeenCalled();

    vi.advanceTimersByTime(50);
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]![0]).toBe(
      '{"time":"2026-01-02T03:04:05.006Z","event":"sampling","outcome":"ok","nested":{"a":[1,"two"]}}\n' +
        '{"time":"2026-01-02T03:04:05.016Z","event":"shutdown","signal":"SIGTERM"}\n',
    );
  });

  it('does not wait for the timer once many lines are queued', () => {
    for (let i = 0; i < 256; i++) stderrLogger({ event: 'sampling', i });
    expect(write).toHaveBeenCalledTimes(1);
    expect((write.mock.calls[0]![0] as string).split('\n')).toHaveLength(257);
  });
});
