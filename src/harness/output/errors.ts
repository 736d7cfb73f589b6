// The typed errors a user may see. Each says what is wrong and what to do; the CLI prints its
// lines (never a stack trace) and exits with its code. Anything else that reaches the CLI is a
// bug in faultline: "internal error", exit 1 (describeFailure in exit-codes.ts).

/** The exit code of a problem the user can fix (bad argument, bad scenario, missing image). */
export const USER_ERROR_EXIT = 2;

/** The message of anything thrown (an Error's message, anything else as text): for one line in a report or on stderr. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Base of every error meant for the user's eyes. */
export abstract class FaultlineError extends Error {
  /** Process exit code when this error ends a command. */
  readonly exitCode: number = USER_ERROR_EXIT;

  /** What stderr shows, one line each. */
  userLines(): string[] {
    return [`faultline: ${this.message}`];
  }
}

/** A command-line argument is wrong: the message names it and says what to give instead. */
export class UsageError extends FaultlineError {
  override readonly name: string = 'UsageError';
}

/**
 * The machine lacks something a run needs (a binary, a container engine, an image, a free
 * port, a writable folder): the message says which and the command that provides it.
 */
export class EnvironmentError extends FaultlineError {
  override readonly name: string = 'EnvironmentError';
}

/** A database server did not do what the scenario asked of it (refused a setting, would not start). */
export class EngineError extends FaultlineError {
  override readonly name: string = 'EngineError';
  /** The run failed, as when a run ends failed (not the user's input: no 2). */
  override readonly exitCode: number = 1;
}
