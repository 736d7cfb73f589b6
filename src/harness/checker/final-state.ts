import type { AcknowledgedWrites } from './acknowledged-writes.ts';

// The FinalState port: what a checker may read of one node after heal and quiesce. Each engine
// implements it over its own driver (src/engines/<engine>/); checkers never see a client, so the
// same checker judges PostgreSQL rows and MongoDB documents read into these shapes. A reading an
// engine cannot answer is left out, and a checker that needs it says unknown.

/** Ids per lookup: a bigint[] parameter of this size is a few tens of kB on the wire. */
export const ORDER_ID_BATCH = 5000;

/** A table's (or collection's) fingerprint on one node: row count and a checksum over every row in key order. */
export interface TableSnapshot {
  readonly rows: number;
  readonly checksum: string;
}

/** What one node holds of the keys the run wrote (lost-writes judges every write kind with it). */
export interface FinalWrites {
  readonly orders: ReadonlySet<number>;
  /** "product:warehouse" → restocked_total; an absent key has no inventory row. */
  readonly restocked: ReadonlyMap<string, number>;
  /** "customer:product" of cart lines present. */
  readonly cartLines: ReadonlySet<string>;
  /** "customer:product" → stars. */
  readonly ratings: ReadonlyMap<string, string>;
  /** customer → recommended_products as PostgreSQL array text ("{3,7}"). */
  readonly recommendations: ReadonlyMap<number, string>;
}

export interface StockRow {
  readonly productId: number;
  readonly warehouseId: number;
  readonly onHand: number;
  readonly initialOnHand: number;
  readonly restockedTotal: number;
  /** Units in order lines of non-historical orders for this (product, warehouse). */
  readonly sold: number;
}

export interface OrderRow {
  readonly orderId: number;
  /** One total per orders row carrying this id, in cents: length 0 means no order, 2+ a duplicate. */
  readonly totalsCents: readonly number[];
  readonly items: number;
  /** One amount per payment of this order, in cents. */
  readonly paymentsCents: readonly number[];
}

export interface InvariantRows {
  readonly stock: readonly StockRow[];
  readonly orders: readonly OrderRow[];
}

/** What the final state holds of one order: rows per table. */
export interface OrderParts {
  readonly orders: number;
  readonly items: number;
  readonly payments: number;
  readonly shipments: number;
}

/** How many rows of one order a node holds: the order, its lines, its payments. */
export interface OrderCopies {
  readonly copies: number;
  readonly items: number;
  readonly payments: number;
}

/** One node's final state, read through its engine. */
export interface NodeState {
  /** Which of these order ids the node holds now. */
  presentOrderIds(orderIds: readonly number[]): Promise<ReadonlySet<number>>;
  /** Fingerprint of each table (table → key columns, the hashing order; the engine's own list when omitted), one snapshot. */
  snapshot(tables?: Readonly<Record<string, readonly string[]>>): Promise<Record<string, TableSnapshot>>;
  /** Stock per line with what the run's orders took, and each order's items and payment; one snapshot. */
  invariantRows(): Promise<InvariantRows>;
  /** Every acknowledged write's key as the node holds it now, one snapshot. */
  finalWrites?(writes: AcknowledgedWrites): Promise<FinalWrites>;
  /** Rows per table of each of these orders. */
  orderParts?(orderIds: readonly number[]): Promise<ReadonlyMap<number, OrderParts>>;
  /** Copies of each of these orders; ids not in the map have none. */
  orderCopies?(orderIds: readonly number[]): Promise<ReadonlyMap<number, OrderCopies>>;
  /** Run orders (not historical) whose id `known` rejects: count and a few ids. */
  extraRunOrders?(known: (orderId: number) => boolean): Promise<{ count: number; examples: number[] }>;
}

/** The reading a checker needs, or an error naming what this node's engine cannot read. */
export function reading<K extends keyof NodeState>(node: NodeState, name: K): NonNullable<NodeState[K]> {
  const method = node[name];
  if (method === undefined) throw new Error(`this engine's final state has no ${String(name)} reading`);
  return (method as (...args: unknown[]) => unknown).bind(node) as NonNullable<NodeState[K]>;
}
