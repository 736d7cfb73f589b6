import type { OpResult } from '../workload-types.ts';

// Turning an error into a history outcome. `fail` claims the operation certainly had no effect,
// so it is only used when PostgreSQL's protocol guarantees that; anything less certain is `info`
// (Jepsen's "indeterminate"), which checkers must treat as "may have happened".

export type ErrorClass =
  | 'out-of-stock'
  | 'timeout'
  | 'connection'
  | 'read-only'
  | 'serialization'
  | 'deadlock'
  | 'unique-violation'
  | `pg:${string}`
  | 'error';

/**
 * Where the error surfaced:
 * - read: a read-only operation (nothing to undo whatever happened);
 * - autocommit-write: a single-statement write outside a transaction, which commits on its own
 *   when it finishes, so a lost connection leaves its fate unknown;
 * - in-transaction: inside BEGIN, before COMMIT was sent: the server cannot commit without it;
 * - commit: COMMIT was sent; the server may have committed before the reply was lost.
 */
export type ErrorStage = 'read' | 'autocommit-write' | 'in-transaction' | 'commit';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const CONNECTION_MESSAGES = /connection terminated|not queryable|connection (?:is )?closed|socket hang up|terminating connection/i;
/** node-postgres's query_timeout and connectionTimeoutMillis, and AbortSignal.timeout(). */
const CLIENT_TIMEOUT_MESSAGES = /query read timeout|connection timeout|timeout expired|timed out/i;
/** admin_shutdown, crash_shutdown, cannot_connect_now: the server is going or not yet there. */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);

function field(error: unknown, name: 'code' | 'message' | 'name'): string | undefined {
  if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
  const value: unknown = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The SQLSTATE the server sent, if the error came from the server. Node's own codes start with E. */
export function sqlState(error: unknown): string | undefined {
  const code = field(error, 'code');
  return code !== undefined && /^[0-9A-DF-Z][0-9A-Z]{4}$/.test(code) ? code : undefined;
}

function isClientTimeout(error: unknown): boolean {
  if (sqlState(error) !== undefined) return false;
  return (
    field(error, 'code') === 'ETIMEDOUT' ||
    field(error, 'name') === 'TimeoutError' ||
    CLIENT_TIMEOUT_MESSAGES.test(field(error, 'message') ?? '')
  );
}

function isConnectionLoss(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined) return state.startsWith('08') || SHUTDOWN_STATES.has(state);
  const code = field(error, 'code');
  return (code !== undefined && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGES.test(field(error, 'message') ?? '');
}

/**
 * True when the client cannot know what the server did with what it sent: the connection went
 * away, or the client gave up waiting while the statement may still be running.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  return isConnectionLoss(error) || isClientTimeout(error);
}

export function errorClass(error: unknown): ErrorClass {
  const state = sqlState(error);
  if (state === '57014' || isClientTimeout(error)) return 'timeout';
  if (isConnectionLoss(error)) return 'connection';
  switch (state) {
    case undefined:
      return 'error';
    case '25006':
      return 'read-only';
    case '40001':
      return 'serialization';
    case '40P01':
      return 'deadlock';
    case '23505':
      return 'unique-violation';
    default:
      return `pg:${state}`;
  }
}

/**
 * After COMMIT, a reply carrying a rollback-class SQLSTATE (40: serialization failure at commit,
 * 23: a deferred constraint) is the server saying it rolled back, which is as certain as an error
 * before COMMIT. Every other post-COMMIT error leaves the outcome unknown.
 */
function commitCertainlyFailed(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('40') || state.startsWith('23'));
}

function isCertainFailure(error: unknown, stage: ErrorStage): boolean {
  switch (stage) {
    case 'read':
    case 'in-transaction':
      return true;
    case 'autocommit-write':
      return !isOutcomeUnknown(error);
    case 'commit':
      return commitCertainlyFailed(error);
  }
}

/** `value` is what the operation wanted to do, kept so checkers can reason about info results. */
export function classifyError(error: unknown, stage: ErrorStage, value?: Record<string, unknown>): OpResult {
  const cls = errorClass(error);
  const type = isCertainFailure(error, stage) ? 'fail' : 'info';
  // Unclassified errors keep their message: without it nobody could tell what went wrong.
  if (cls === 'error' || cls.startsWith('pg:')) {
    return { type, error: cls, value: { ...value, message: field(error, 'message') ?? String(error) } };
  }
  return value === undefined ? { type, error: cls } : { type, error: cls, value };
}

/**
 * Whether a ROLLBACK is worth sending after an error inside a transaction: only when the client
 * is still talking to the server. After a connection loss or client timeout it would fail or
 * queue behind the statement still running; the server aborts the transaction on disconnect.
 */
export function shouldRollBack(error: unknown): boolean {
  return !isOutcomeUnknown(error);
}
