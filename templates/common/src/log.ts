/**
 * Structured logging to stderr, one JSON object per line. stdout belongs to the stdio transport,
 * so nothing else may ever be written there.
 *
 * Lines are queued and written together once the current turn of the event loop ends, so a tool's
 * response goes out before its log line rather than waiting on a write to stderr. Anything still
 * queued is written before the process exits.
 */
export type LogRecord = { event: string } & Record<string, unknown>;
export type Logger = (record: LogRecord) => void;

let queued = '';

function flush(): void {
  if (queued === '') return;
  const lines = queued;
  queued = '';
  process.stderr.write(lines);
}

process.on('exit', flush);

export const stderrLogger: Logger = (record) => {
  if (queued === '') setImmediate(flush);
  queued += `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`;
};
