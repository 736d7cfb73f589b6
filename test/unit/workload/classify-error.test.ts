import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  classifyError,
  errorClass,
  shouldRollBack,
  type ErrorStage,
} from '../../../src/harness/workload/ecommerce/classify-error.ts';

/** An error shaped exactly as node-postgres reports a server ErrorResponse. */
function pgError(code: string, message = `server error ${code}`): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  error.severity = 'ERROR';
  return error;
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe('errorClass', () => {
  it.each([
    [pgError('57014', 'canceling statement due to statement timeout'), 'timeout'],
    [new Error('Query read timeout'), 'timeout'],
    [new Error('Connection terminated due to connection timeout'), 'timeout'],
    [systemError('ECONNREFUSED'), 'connection'],
    [systemError('ECONNRESET'), 'connection'],
    [systemError('EPIPE'), 'connection'],
    [new Error('Connection terminated unexpectedly'), 'connection'],
    [new Error('Client has encountered a connection error and is not queryable'), 'connection'],
    [pgError('08006'), 'connection'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'connection'],
    [pgError('57P02'), 'connection'],
    [pgError('57P03', 'the database system is starting up'), 'connection'],
    [pgError('25006', 'cannot execute UPDATE in a read-only transaction'), 'read-only'],
    [pgError('40001'), 'serialization'],
    [pgError('40P01'), 'deadlock'],
    [pgError('23505'), 'unique-violation'],
    [pgError('42P01', 'relation "x" does not exist'), 'pg:42P01'],
    [new TypeError('oops'), 'error'],
    ['a string', 'error'],
  ])('%s → %s', (error, expected) => {
    expect(errorClass(error)).toBe(expected);
  });
});

describe('classifyError', () => {
  const outcome = (error: unknown, stage: ErrorStage) => classifyError(error, stage).type;

  it('fails every error of a read-only operation, connection loss included', () => {
    expect(outcome(systemError('ECONNRESET'), 'read')).toBe('fail');
    expect(outcome(pgError('57014'), 'read')).toBe('fail');
  });

  it('fails errors inside a transaction before COMMIT, whatever they are', () => {
    expect(outcome(systemError('ECONNRESET'), 'in-transaction')).toBe('fail');
    expect(outcome(new Error('Query read timeout'), 'in-transaction')).toBe('fail');
    expect(outcome(pgError('40P01'), 'in-transaction')).toBe('fail');
  });

  it('makes a lost connection or client timeout on an autocommit write info: it may have committed', () => {
    expect(outcome(systemError('ECONNRESET'), 'autocommit-write')).toBe('info');
    expect(outcome(new Error('Connection terminated unexpectedly'), 'autocommit-write')).toBe('info');
    expect(outcome(pgError('57P01'), 'autocommit-write')).toBe('info');
    expect(outcome(new Error('Query read timeout'), 'autocommit-write')).toBe('info');
  });

  it('fails server-reported errors on an autocommit write: the statement was rolled back', () => {
    expect(outcome(pgError('57014'), 'autocommit-write')).toBe('fail');
    expect(outcome(pgError('25006'), 'autocommit-write')).toBe('fail');
    expect(outcome(pgError('23505'), 'autocommit-write')).toBe('fail');
  });

  it('makes errors after COMMIT info, unless the server says it rolled back', () => {
    expect(outcome(systemError('ECONNRESET'), 'commit')).toBe('info');
    expect(outcome(pgError('57P01'), 'commit')).toBe('info');
    expect(outcome(pgError('57014'), 'commit')).toBe('info');
    expect(outcome(new Error('Query read timeout'), 'commit')).toBe('info');
    expect(outcome(pgError('40001'), 'commit')).toBe('fail');
    expect(outcome(pgError('23505'), 'commit')).toBe('fail');
  });

  it('keeps the message of unclassified errors and the intended value', () => {
    expect(classifyError(pgError('42P01', 'relation "x" does not exist'), 'read', { productId: 3 })).toEqual({
      type: 'fail',
      error: 'pg:42P01',
      value: { productId: 3, message: 'relation "x" does not exist' },
    });
    expect(classifyError(pgError('40001'), 'in-transaction', { orderId: 9 })).toEqual({ type: 'fail', error: 'serialization', value: { orderId: 9 } });
  });
});

describe('shouldRollBack', () => {
  it('rolls back on a healthy client and not after the connection is gone', () => {
    expect(shouldRollBack(pgError('40P01'))).toBe(true);
    expect(shouldRollBack(pgError('57014'))).toBe(true);
    expect(shouldRollBack(new TypeError('bug'))).toBe(true);
    expect(shouldRollBack(systemError('ECONNRESET'))).toBe(false);
    expect(shouldRollBack(pgError('57P01'))).toBe(false);
    expect(shouldRollBack(new Error('Query read timeout'))).toBe(false);
  });
});
