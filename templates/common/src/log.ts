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

/** Alternating timestamps (ms since the epoch) and records, written in this order. */
let queued: unknown[] = [];
let timer: NodeJS.Timeout | undefined;

let lastTime = NaN;
let lastIso = '';

/** `{"time":"…",` and then the record's own fields, as `JSON.stringify({ time, ...record })` would write them. */
function format(time: number, record: LogRecord): string {
  if ('time' in record) return `${JSON.stringify({ time: new Date(time).toISOString(), ...record })}\n`;
  // Lines logged in the same millisecond share one timestamp string.
  if (time !== lastTime) {
    lastTime = time;
    lastIso = new Date(time).toISOString();
  }
  // The record is a non-empty object (it has `event`), so its JSON starts with `{"`.
  return `{"time":"${lastIso}",${JSON.stringify(record).slice(1)}\n`;
}

/** Writes every queued line now. */
export function flushLog(): void {
  if (timer !== undefined) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (queued.length === 0) return;
  const records = queued;
  queued = [];
  let lines = '';
  for (let i = 0; i < records.length; i += 2) lines += format(records[i] as number, records[i + 1] as LogRecord);
  process.stderr.write(lines);
}

process.on('exit', flushLog);

export const stderrLogger: Logger = (record) => {
  queued.push(Date.now(), record);
  if (queued.length >= 2 * MAX_QUEUED) flushLog();
  else if (timer === undefined) timer = setTimeout(flushLog, FLUSH_INTERVAL_MS).unref();
};
