import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError, Timestamp } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { CausalToken } from '../../../../../src/engines/mongo/driver/causal-token.ts';
import { classifyMongoError } from '../../../../../src/engines/mongo/workload/classify-mongo-error.ts';
import { orderDocument } from '../../../../../src/engines/mongo/workload/order-document.ts';
import { centsOf } from '../../../../../src/engines/mongo/workload/order-document.ts';

const args = { orderId: 501, customerId: 9, warehouseId: 2, items: [{ productId: 3, quantity: 2 }, { productId: 8, quantity: 1 }], paymentMethod: 'card', carrier: 'DHL' };

function serverError(code: number, labels: string[] = [], extra: Record<string, unknown> = {}): MongoServerError {
  const error = new MongoServerError({ message: `code ${code}`, code, errorLabels: labels, ...extra });
  return error;
}

describe('checkout order document', () => {
  it('embeds lines priced from the products, a payment equal to the total, and a pending shipment', () => {
    const now = new Date('2025-03-01T00:00:00Z');
    const { doc, totalCents } = orderDocument(args, { region: 'EMEA', address: '1 Road, Town' }, new Map([[3, 1_250], [8, 999]]), now);
    expect(totalCents).toBe(2 * 1_250 + 999);
    expect(doc).toMatchObject({ _id: 501, customerId: 9, region: 'EMEA', status: 'placed', historical: false, createdAt: now });
    expect(doc.items.map((i) => [i.line, i.productId, i.warehouseId, i.quantity, centsOf(i.unitPrice)])).toEqual([[1, 3, 2, 2, 1_250], [2, 8, 2, 1, 999]]);
    expect(centsOf(doc.total)).toBe(3_499);
    expect(centsOf(doc.payment.amount)).toBe(3_499);
    expect(doc.shipment).toEqual({ carrier: 'DHL', address: '1 Road, Town', status: 'pending', createdAt: now });
  });

  it('refuses to price a product it has no price for', () => {
    expect(() => orderDocument(args, { region: 'NA', address: 'x' }, new Map([[3, 100]]), new Date())).toThrow(/product 8/);
  });
});

describe('MongoDB errors as outcomes', () => {
  it('calls a write that may have been applied info, and one that certainly was not fail', () => {
    expect(classifyMongoError(new MongoNetworkError('reset'), 'write')).toMatchObject({ type: 'info', error: 'connection' });
    expect(classifyMongoError(new MongoNetworkError('reset'), 'read')).toMatchObject({ type: 'fail', error: 'connection' });
    expect(classifyMongoError(new MongoNetworkTimeoutError('slow'), 'commit')).toMatchObject({ type: 'info', error: 'timeout' });
    expect(classifyMongoError(new MongoServerSelectionError('none', { type: 'Unknown' } as never), 'write')).toMatchObject({ type: 'fail', error: 'connection' });
  });

  it('treats a write concern timeout as applied-but-unconfirmed, and a refused write on a secondary as not applied', () => {
    expect(classifyMongoError(serverError(64, [], { errInfo: { wtimeout: true } }), 'write')).toMatchObject({ type: 'info', error: 'write-concern' });
    expect(classifyMongoError(serverError(10107), 'write')).toMatchObject({ type: 'fail', error: 'not-primary' });
    expect(classifyMongoError(serverError(11602), 'write')).toMatchObject({ type: 'info', error: 'interrupted' });
    expect(classifyMongoError(serverError(11602), 'read')).toMatchObject({ type: 'fail', error: 'interrupted' });
  });

  it('reads transaction labels: unknown commit result is info, a transient abort is fail', () => {
    expect(classifyMongoError(serverError(50, ['UnknownTransactionCommitResult']), 'commit')).toMatchObject({ type: 'info', error: 'commit-unknown' });
    expect(classifyMongoError(serverError(112, ['TransientTransactionError']), 'write')).toMatchObject({ type: 'fail', error: 'transaction-aborted' });
    expect(classifyMongoError(serverError(11000), 'write', { orderId: 1 })).toEqual({ type: 'fail', error: 'duplicate-key', value: { orderId: 1 } });
    expect(classifyMongoError(serverError(2), 'write')).toMatchObject({ type: 'fail', error: 'mongo:2' });
  });
});

describe('causal token', () => {
  it('carries the latest operation and cluster time from one session to another', () => {
    const seen: Timestamp[] = [];
    const session = (time?: Timestamp) => ({
      operationTime: time,
      clusterTime: time ? { clusterTime: time, signature: { hash: Buffer.alloc(0), keyId: 0 } } : undefined,
      advanceOperationTime: (t: Timestamp) => seen.push(t),
      advanceClusterTime: () => {},
    });
    const token = new CausalToken();
    token.capture(session(new Timestamp({ t: 10, i: 1 })) as never);
    token.capture(session(new Timestamp({ t: 9, i: 5 })) as never);
    token.advance(session() as never);
    expect(seen.map((t) => t.toString())).toEqual([new Timestamp({ t: 10, i: 1 }).toString()]);
  });
});
