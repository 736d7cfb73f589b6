import type pg from 'pg';
import { classifyError } from '../../../../harness/workload/ecommerce/classify-error.ts';
import { RESERVE_STOCK } from '../../../../harness/workload/ecommerce/checkout-pg.ts';
import { insertRowsSql, insertRowsValues, type CheckoutRow, type CheckoutTable } from '../../../../harness/workload/ecommerce/checkout-rows.ts';
import type { CheckoutArgs } from '../../../../harness/workload/ecommerce/op-args.ts';
import { parseCents } from '../../../../harness/workload/ecommerce/seeded-facts.ts';
import type { OpResult } from '../../../../harness/workload/workload-types.ts';
import { statementName } from '../../../../harness/workload/statements/statement-name.ts';
import { placeCheckout } from './checkout-placement.ts';
import { decisionLogOn } from './decision-log.ts';
import { gidFor } from './gid.ts';
import type { ParticipantPool } from './participant-pool.ts';
import { pgBranch, type BranchWork } from './pg-branch.ts';
import type { ShardRouter } from './shard-router.ts';
import type { Branch, TwoPhaseCommit } from './two-phase-commit.ts';

// The checkout as a two-phase transaction the harness coordinates. The coordinator node is a
// participant like the shards (it holds inventory, which cannot be partitioned, and every
// table left unpartitioned); the worker's own coordinator session runs its branch and then
// writes the decision. Each shard's branch writes straight into the shard's real tables.
//
// Outcomes, as the history records them: committed (decision logged) is ok even when a branch
// could not be told yet, because recovery will finish it; any "no" vote is a certain fail
// (nothing was decided, so everything is rolled back, presumed abort); a decision write whose
// reply was lost is info.

export interface TwoPhaseCheckoutDeps {
  readonly coordinator: string;
  readonly router: () => Promise<ShardRouter>;
  readonly pool: ParticipantPool;
  readonly tm: TwoPhaseCommit;
  atCommitPoint(orderId: number, participants: readonly string[]): Promise<void>;
}

function insertAll(tables: ReadonlyMap<CheckoutTable, readonly CheckoutRow[]> | undefined): BranchWork {
  return async (client) => {
    for (const [table, rows] of tables ?? []) {
      // A vertical group's rows carry only its columns: one statement per column set.
      const columns = Object.keys(rows[0] ?? {});
      // The name grows with the column set: hashed beyond PostgreSQL's 63 bytes (statement-name.ts).
      const name = statementName(`faultline.2pc.insert.${table}.${columns.join('.')}`);
      await client.query({ name, text: insertRowsSql(table, columns), values: insertRowsValues(table, rows, columns) });
    }
    return undefined;
  };
}

/** The coordinator's branch: take the stock (as the one-statement checkout does), then its own rows. */
function coordinatorWork(args: CheckoutArgs, tables: ReadonlyMap<CheckoutTable, readonly CheckoutRow[]> | undefined): BranchWork {
  return async (client) => {
    const reserved = await client.query({
      name: 'faultline.checkout.reserve',
      text: RESERVE_STOCK,
      values: [args.items.map((i) => i.productId), args.items.map((i) => i.quantity), args.warehouseId],
    });
    if (reserved.rowCount !== args.items.length) return 'out-of-stock';
    return insertAll(tables)(client);
  };
}

export async function checkoutTwoPhase(args: CheckoutArgs, client: pg.ClientBase, deps: TwoPhaseCheckoutDeps): Promise<OpResult> {
  const value = { orderId: args.orderId, customerId: args.customerId };
  let placed: Awaited<ReturnType<typeof placeCheckout>>;
  try {
    placed = await placeCheckout(client, args, await deps.router(), deps.coordinator);
  } catch (error) {
    return classifyError(error, 'read', value);
  }
  if (typeof placed === 'string') return { type: 'fail', error: placed, value };
  const shards = [...placed.rows.keys()].filter((node) => node !== deps.coordinator);
  const sessions = await Promise.allSettled(shards.map((node) => deps.pool.acquire(node)));
  const unreachable = sessions.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (unreachable) {
    sessions.forEach((s, i) => {
      if (s.status === 'fulfilled') deps.pool.release(shards[i]!, s.value, true);
    });
    return classifyError(unreachable.reason, 'in-transaction', value);
  }
  const branches: Branch[] = [pgBranch(deps.coordinator, client, coordinatorWork(args, placed.rows.get(deps.coordinator)), () => {})];
  shards.forEach((node, i) => {
    const session = (sessions[i] as PromiseFulfilledResult<pg.Client>).value;
    branches.push(pgBranch(node, session, insertAll(placed.rows.get(node)), (healthy) => deps.pool.release(node, session, healthy)));
  });
  const outcome = await deps.tm.run(gidFor(args.orderId), branches, {
    decisions: decisionLogOn(client),
    atCommitPoint: (participants) => deps.atCommitPoint(args.orderId, participants),
  });
  const total = parseCents(placed.quote.total) / 100;
  switch (outcome.outcome) {
    case 'committed':
      return { type: 'ok', value: { ...value, total } };
    case 'aborted':
      if (outcome.refusal !== undefined) return { type: 'fail', error: outcome.refusal, value };
      return classifyError(outcome.error, 'in-transaction', value);
    case 'unknown':
      return classifyError(outcome.error, 'commit', { ...value, total });
  }
}
