import { MongoError, MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError, MongoWriteConcernError } from 'mongodb';
import type { OpResult } from '../../../harness/workload/workload-types.ts';

// MongoDB errors as Jepsen outcomes. fail: the operation certainly did not happen; info: it may
// have. The line is where the request may have reached a primary that applied it: a write
// concern timeout (applied on the primary, not confirmed by w members), a connection lost
// mid-write, an election that interrupted it, a commit whose result is unknown.

export type MongoStage = 'read' | 'write' | 'commit';

/** Error classes after which the worker must look for the primary again. */
export const PRIMARY_LOST = new Set(['not-primary', 'interrupted']);

const NOT_PRIMARY = new Set([10107, 13435]); // NotWritablePrimary, NotPrimaryNoSecondaryOk: refused before running
const INTERRUPTED = new Set([11602, 189, 91, 11600]); // InterruptedDueToReplStateChange, PrimarySteppedDown, ShutdownInProgress, InterruptedAtShutdown

function outcome(certain: boolean, error: string, value: unknown): OpResult {
  return { type: certain ? 'fail' : 'info', error, ...(value === undefined ? {} : { value }) };
}

export function classifyMongoError(error: unknown, stage: MongoStage, value?: unknown): OpResult {
  const reading = stage === 'read';
  if (error instanceof MongoError && error.hasErrorLabel('UnknownTransactionCommitResult')) return outcome(false, 'commit-unknown', value);
  if (error instanceof MongoError && error.hasErrorLabel('TransientTransactionError')) return outcome(true, 'transaction-aborted', value);
  // Never sent: no server could be selected (none reachable, or none writable).
  if (error instanceof MongoServerSelectionError) return outcome(true, 'connection', value);
  if (error instanceof MongoNetworkTimeoutError) return outcome(reading, 'timeout', value);
  if (error instanceof MongoNetworkError) return outcome(reading, 'connection', value);
  if (error instanceof MongoWriteConcernError) return outcome(false, 'write-concern', value);
  if (error instanceof MongoServerError) {
    const code = Number(error.code);
    if (error.errInfo?.wtimeout === true || code === 64) return outcome(false, 'write-concern', value);
    if (NOT_PRIMARY.has(code)) return outcome(true, 'not-primary', value);
    if (INTERRUPTED.has(code)) return outcome(reading, 'interrupted', value);
    if (code === 50) return outcome(reading, 'timeout', value);
    if (code === 11000) return outcome(true, 'duplicate-key', value);
    if (code === 112) return outcome(true, 'write-conflict', value);
    if (code === 251) return outcome(true, 'transaction-aborted', value);
    // Any other answer from the server is a refusal: the operation did not run.
    return outcome(true, `mongo:${error.codeName ?? code}`, value);
  }
  return { type: 'fail', error: 'error', value: { message: error instanceof Error ? error.message : String(error) } };
}
