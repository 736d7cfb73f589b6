import { errorMessage, FaultlineError, UsageError } from './errors.ts';

export { UsageError };

// The one place that decides what a failure means for the exit code and what the user sees.
// Problems the user can fix (bad arguments, bad scenarios, missing files) exit 2 with a message
// and never a stack trace; anything else is a bug in faultline and exits 1.

export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/** A matrix's or a set's exit code from its runs: 0 all completed, 130 interrupted, else 1. */
export function runsExitCode(statuses: readonly string[], notRun: number, aborted: boolean): number {
  if (aborted || statuses.includes('interrupted')) return ExitCode.interrupted;
  return notRun === 0 && statuses.every((status) => status === 'completed') ? ExitCode.ok : ExitCode.internal;
}

export interface Failure {
  readonly code: number;
  /** Lines for stderr. */
  readonly lines: readonly string[];
}

export function describeFailure(error: unknown, debug: boolean): Failure {
  // Scenario, usage and environment problems (an image to build or pull, no container engine):
  // each error says what to do, so no stack trace.
  if (error instanceof FaultlineError) return { code: error.exitCode, lines: error.userLines() };
  const message = errorMessage(error);
  const firstLine = message.split('\n')[0] ?? '';
  if (debug && error instanceof Error && error.stack) return { code: ExitCode.internal, lines: [error.stack] };
  return {
    code: ExitCode.internal,
    lines: [`faultline: internal error: ${firstLine} (set FAULTLINE_DEBUG=1 to see the stack trace)`],
  };
}

export function isDebug(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FAULTLINE_DEBUG === '1' || env.FAULTLINE_DEBUG === 'true';
}
