import type pg from 'pg';
import type { NodeState } from '../../../harness/checker/final-state.ts';
import { readFinalWrites } from './final-writes-pg.ts';
import { readInvariantRows } from './invariant-rows-pg.ts';
import { readPresentOrderIds } from './order-ids-pg.ts';
import { copiesOn, extraOn, readOrderParts } from './order-rows-pg.ts';
import { snapshotNode } from './table-snapshot-pg.ts';

/** One PostgreSQL node's final state through a connection the caller owns (and closes). */
export function pgNodeState(client: pg.ClientBase): NodeState {
  return {
    presentOrderIds: (ids) => readPresentOrderIds(client, ids),
    snapshot: (tables) => snapshotNode(client, tables),
    invariantRows: () => readInvariantRows(client),
    finalWrites: (writes) => readFinalWrites(client, writes),
    orderParts: (ids) => readOrderParts(client, ids),
    orderCopies: copiesOn(client),
    extraRunOrders: extraOn(client),
  };
}
