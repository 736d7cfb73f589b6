import type pg from 'pg';
import type { CheckoutArgs } from '../../../../harness/workload/ecommerce/op-args.ts';
import type { CommitStep } from '../../../../harness/workload/ecommerce/checkout-pg.ts';
import { ORDER_COLUMN } from '../../../../harness/workload/ecommerce/checkout-rows.ts';
import type { PgServerNode } from '../../pg-server-node.ts';
import { quoteIdent } from '../partition-ddl.ts';
import { placeCheckout, type NodeRows } from './checkout-placement.ts';
import type { Claim, CommitPointKill, CommitPointRequest, CommitPointTrap } from './commit-point.ts';
import type { NodeProbes } from './node-probes.ts';
import type { ShardRouter } from './shard-router.ts';

// The plain distributed checkout's COMMIT, and how a kill is aimed into it. postgres_fdw has no
// two-phase commit: at pre-commit the coordinator sends COMMIT to each shard's remote
// transaction one after another (in the order postgres_fdw_get_connections() lists them), then
// commits its own tables. A shard that dies in that loop leaves the shards before it committed
// and everything after it (the coordinator's own rows included) rolled back.
//
// To land inside the loop every time: the shard to wait on is stopped (SIGSTOP) before COMMIT is
// sent; once the shards before it have visibly committed and the coordinator is blocked on it,
// the target dies: that shard itself (its COMMIT never read), or the coordinator (the stopped
// shard, resumed, then reads the COMMIT already in its socket and commits too).

/** A shard listed first by postgres_fdw can never leave others committed; after this long one is killed anyway. */
export const FIRST_SHARD_FALLBACK_MS = 2_000;
/** How long to wait for the shards before the stalled one to show their part. */
const SETTLE_MS = 3_000;
const POLL_MS = 5;

export interface PlainCommitDeps {
  readonly trap: CommitPointTrap;
  readonly coordinator: string;
  readonly router: () => Promise<ShardRouter>;
  readonly probes: NodeProbes;
  readonly node: (name: string) => PgServerNode;
}

interface StallPlan {
  /** Shards holding rows of this order, in postgres_fdw's commit order. */
  readonly order: readonly string[];
  readonly rows: NodeRows;
  readonly pid: number;
}

/** Which shard to hold stopped for a request, or undefined when this checkout cannot serve it. */
export function chooseStall(order: readonly string[], coordinator: string, request: CommitPointRequest): string | undefined {
  if (request.target === coordinator) return order.at(-1);
  const index = order.indexOf(request.target);
  if (index < 0) return undefined;
  return index > 0 || request.waitedMs >= FIRST_SHARD_FALLBACK_MS ? request.target : undefined;
}

export function plainCommitStep(deps: PlainCommitDeps): CommitStep {
  // One checkout at a time looks into aiming the fault; the others commit as usual meanwhile.
  let planning = false;
  const plan = async (client: pg.ClientBase, args: CheckoutArgs): Promise<StallPlan | undefined> => {
    if (!deps.trap.request || planning) return undefined;
    planning = true;
    try {
      return await planStall(client, args, deps);
    } catch {
      return undefined;
    } finally {
      planning = false;
    }
  };
  return async (client, args) => {
    const stallPlan = await plan(client, args);
    const running = (name: string) => deps.node(name).state === 'running';
    const claim = stallPlan && deps.trap.claim((request) => {
      const stall = chooseStall(stallPlan.order, deps.coordinator, request);
      return stall !== undefined && running(stall) && running(request.target);
    });
    if (!stallPlan || !claim) return void (await client.query('COMMIT'));
    return stallAndKill(client, args, stallPlan, claim, deps);
  };
}

async function planStall(client: pg.ClientBase, args: CheckoutArgs, deps: PlainCommitDeps): Promise<StallPlan | undefined> {
  const placed = await placeCheckout(await deps.probes.get(deps.coordinator), args, await deps.router(), deps.coordinator);
  if (typeof placed === 'string') return undefined;
  // Inside the checkout's own session: its connection cache is what the commit loop walks.
  const fdw = await client.query<{ servers: string[] | null; pid: number }>(
    `SELECT (SELECT array_agg(server_name ORDER BY n) FROM postgres_fdw_get_connections() WITH ORDINALITY AS c(server_name, valid, n)) AS servers,
            pg_backend_pid() AS pid`,
  );
  const shards = [...placed.rows.keys()].filter((node) => node !== deps.coordinator);
  const order = (fdw.rows[0]?.servers ?? []).filter((server) => shards.includes(server));
  if (order.length !== shards.length) return undefined;
  return { order, rows: placed.rows, pid: fdw.rows[0]!.pid };
}

async function stallAndKill(client: pg.ClientBase, args: CheckoutArgs, plan: StallPlan, claim: Claim, deps: PlainCommitDeps): Promise<void> {
  const target = claim.target;
  const stall = target === deps.coordinator ? plan.order.at(-1)! : target;
  const before = plan.order.slice(0, plan.order.indexOf(stall));
  let settled = false;
  let commit: Promise<unknown> | undefined;
  try {
    await deps.node(stall).pause();
    commit = client.query('COMMIT').finally(() => (settled = true));
    commit.catch(() => undefined);
    const waiting = await waitFor(async () => settled || ((await committedOn(before, args.orderId, plan.rows, deps)) && (await blocked(plan.pid, deps))));
    if (settled || !waiting) {
      // COMMIT did not wait for the stopped shard after all: this checkout cannot serve the fault.
      await deps.node(stall).resume();
      claim.release();
      await commit;
      return;
    }
    await deps.node(target).kill();
    if (stall !== target) await deps.node(stall).resume();
    const kill: CommitPointKill = {
      target,
      orderId: args.orderId,
      participants: [deps.coordinator, ...plan.order],
      stalled: stall,
      committedBeforeKill: before,
    };
    claim.done(kill);
  } catch (error) {
    if (deps.node(stall).state === 'paused') await deps.node(stall).resume().catch(() => undefined);
    claim.failed(error);
  }
  await (commit ?? client.query('COMMIT'));
}

async function committedOn(shards: readonly string[], orderId: number, rows: NodeRows, deps: PlainCommitDeps): Promise<boolean> {
  for (const shard of shards) {
    const table = [...(rows.get(shard)?.keys() ?? [])][0];
    if (!table) continue;
    const probe = await deps.probes.get(shard);
    const sql = `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)} WHERE ${quoteIdent(ORDER_COLUMN[table])} = $1) AS present`;
    const result = await probe.query<{ present: boolean }>(sql, [orderId]);
    if (!result.rows[0]?.present) return false;
  }
  return true;
}

/** The coordinator backend is waiting on a remote server (postgres_fdw waits as "Extension"). */
async function blocked(pid: number, deps: PlainCommitDeps): Promise<boolean> {
  const probe = await deps.probes.get(deps.coordinator);
  const result = await probe.query<{ waiting: boolean }>("SELECT wait_event_type = 'Extension' AS waiting FROM pg_stat_activity WHERE pid = $1", [pid]);
  return result.rows[0]?.waiting === true;
}

async function waitFor(condition: () => Promise<boolean>): Promise<boolean> {
  const deadline = performance.now() + SETTLE_MS;
  while (performance.now() < deadline) {
    if (await condition().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
