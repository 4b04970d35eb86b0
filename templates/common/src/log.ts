/**
 * Structured logging to stderr, one JSON object per line. stdout belongs to the stdio transport, so
 * nothing else may ever be written there.
 */
export type LogRecord = { event: string } & Record<string, unknown>;
export type Logger = (record: LogRecord) => void;

export const stderrLogger: Logger = (record) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
};
