/** Errors that end a run with a message meant for the user (never a stack trace). */

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** The command line or an answer is wrong; the message names the option, the bad value and a good example. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  override readonly name = 'UsageError';
}

/** The user pressed Ctrl-C or Esc at a question. */
export class CancelledError extends Error {
  readonly exitCode = EXIT.cancelled;
  override readonly name = 'CancelledError';
  constructor() {
    super('Cancelled. Nothing was written.');
  }
}

/** A step failed for a reason outside the command line (disk, install); the message says what to do. */
export class StepError extends Error {
  readonly exitCode = EXIT.failed;
  override readonly name = 'StepError';
  constructor(
    message: string,
    /** Tail of a failed command's output, shown under the message. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export type UserFacingError = UsageError | CancelledError | StepError;

export function isUserFacing(error: unknown): error is UserFacingError {
  return error instanceof UsageError || error instanceof CancelledError || error instanceof StepError;
}
