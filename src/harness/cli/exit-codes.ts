import { EngineUnavailableError, ImageBuildError, ImageMissingError } from '../../topologies/postgres/containers/image/image-errors.ts';
import { ScenarioError } from '../scenario/scenario-error.ts';

// The one place that decides what a failure means for the exit code and what the user sees.
// Problems the user can fix (bad arguments, bad scenarios, missing files) exit 2 with a message
// and never a stack trace; anything else is a bug in faultline and exits 1.

export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
} as const;

/** Throw for anything the user got wrong and can fix; the message must say what to do. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Failure {
  readonly code: number;
  /** Lines for stderr. */
  readonly lines: readonly string[];
}

export function describeFailure(error: unknown, debug: boolean): Failure {
  if (error instanceof ScenarioError) return { code: ExitCode.usage, lines: error.format().split('\n') };
  if (error instanceof UsageError) return { code: ExitCode.usage, lines: [`faultline: ${error.message}`] };
  // Image problems the user fixes with one command (build or pull it), named in the message.
  if (error instanceof ImageMissingError) return { code: ExitCode.usage, lines: [`faultline: ${error.message}`] };
  if (error instanceof ImageBuildError || error instanceof EngineUnavailableError) return { code: ExitCode.usage, lines: [`faultline: ${error.message}`] };
  const message = error instanceof Error ? error.message : String(error);
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
