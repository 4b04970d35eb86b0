/**
 * Structured logging to stderr, one JSON object per line. stdout belongs to the stdio transport,
 * so nothing else may ever be written there.
 *
 * Logging stays off a tool call's critical path: a call only records the time and its record; the
 * lines are formatted and written together on a short timer (at most FLUSH_INTERVAL_MS later, or at
 * once when MAX_QUEUED records are waiting), so a busy server makes one stderr write per batch rather
 * than one per call. The timer does not keep the process alive, and anything still queued is written
 * before the process exits. Records must not be changed after they are logged.
 */
export type LogRecord = { event: string } & Record<string, unknown>;
export type Logger = (record: LogRecord) => void;

const FLUSH_INTERVAL_MS = 50;
const MAX_QUEUED = 256;

let queued: { time: number; record: LogRecord }[] = [];
let timer: NodeJS.Timeout | undefined;

/** Writes every queued line now. */
export function flushLog(): void {
  if (timer !== undefined) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (queued.length === 0) return;
  const lines = queued.map(({ time, record }) => `${JSON.stringify({ time: new Date(time).toISOString(), ...record })}\n`).join('');
  queued = [];
  process.stderr.write(lines);
}

process.on('exit', flushLog);

export const stderrLogger: Logger = (record) => {
  queued.push({ time: Date.now(), record });
  if (queued.length >= MAX_QUEUED) flushLog();
  else if (timer === undefined) timer = setTimeout(flushLog, FLUSH_INTERVAL_MS).unref();
};
