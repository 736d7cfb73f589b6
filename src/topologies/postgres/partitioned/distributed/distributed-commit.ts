import type pg from 'pg';
import { checkoutPg } from '../../../../harness/workload/ecommerce/checkout-pg.ts';
import { CHECKOUT_TABLES } from '../../../../harness/workload/ecommerce/checkout-rows.ts';
import { OP_ARG_SCHEMAS, type CheckoutArgs } from '../../../../harness/workload/ecommerce/op-args.ts';
import type { OpResult, Workload } from '../../../../harness/workload/workload-types.ts';
import type { Endpoint } from '../../../topology.ts';
import type { PgServerNode } from '../../pg-server-node.ts';
import { checkoutTwoPhase } from './checkout-2pc.ts';
import { CommitPointTrap, type CommitPointKill } from './commit-point.ts';
import { DECISION_DDL } from './decision-log.ts';
import type { DistributedCommitMode, DistributedCommitResults } from '../../../../harness/results/distributed-commit-results.ts';
import { InDoubtRecovery } from './in-doubt-recovery.ts';
import { NodeProbes } from './node-probes.ts';
import { ParticipantPool, type SessionTimeouts } from './participant-pool.ts';
import { pgRecoverySource } from './pg-recovery-source.ts';
import { plainCommitStep } from './plain-commit.ts';
import { readRoutedTables, ShardRouter } from './shard-router.ts';
import { TwoPhaseCommit } from './two-phase-commit.ts';
import type { VerticalLayout } from '../vertical-ddl.ts';
import { errorMessage } from '../../../../harness/output/errors.ts';

// How pg-partitioned commits a checkout whose rows span several nodes, in one of two modes:
// plain, one transaction through the coordinator's postgres_fdw (not atomic if something fails
// during commit), or 2pc, the harness coordinating PREPARE / COMMIT PREPARED on every node with a
// decision log and recovery. It also aims `kill ... during: commit` at the commit point.

/** How long a `kill ... during: commit` waits for a checkout to aim at. */
export const COMMIT_POINT_WAIT_MS = 5_000;

export interface DistributedNodes {
  readonly coordinator: string;
  node(name: string): PgServerNode;
  nodes(): readonly PgServerNode[];
  /** Where the transaction manager reaches a node (as clients do: through its link when proxied). */
  clientEndpoint(name: string): Endpoint;
  /** Tables split by columns: each group's columns of a row are written on its own node. */
  vertical?(): readonly VerticalLayout[];
}

export class DistributedCommit implements AsyncDisposable {
  private readonly trap = new CommitPointTrap();
  private readonly tm = new TwoPhaseCommit();
  private readonly probes: NodeProbes;
  private readonly recovery: InDoubtRecovery;
  private readonly kills: CommitPointKill[] = [];
  private routing: Promise<ShardRouter> | undefined;
  private pool: ParticipantPool | undefined;
  private aimed = false;

  constructor(
    readonly mode: DistributedCommitMode,
    private readonly nodes: DistributedNodes,
  ) {
    this.probes = new NodeProbes((name) => nodes.node(name));
    const coordinator = () => nodes.node(nodes.coordinator);
    this.recovery = new InDoubtRecovery(pgRecoverySource(() => nodes.nodes(), coordinator), this.tm.inFlight);
  }

  /** After the workload's DDL, on the coordinator: the decision log (2pc only). */
  async afterSchema(coordinator: pg.ClientBase): Promise<void> {
    if (this.mode === '2pc') await coordinator.query(DECISION_DDL);
  }

  /** The partitioned checkout tables as the catalog has them; read once, on first use. */
  private router(): Promise<ShardRouter> {
    this.routing ??= (async () => {
      const probe = await this.probes.get(this.nodes.coordinator);
      return new ShardRouter(await readRoutedTables(probe, CHECKOUT_TABLES), this.nodes.vertical?.() ?? []);
    })();
    this.routing.catch(() => (this.routing = undefined));
    return this.routing;
  }

  /** The workload with checkout replaced by this mode's distributed checkout; other operations untouched. */
  wrap(workload: Workload, timeouts: SessionTimeouts): Workload {
    const checkout = this.checkoutFor(timeouts);
    return {
      ...workload,
      execute: async (op, client) => {
        const parsed = op.f === 'checkout' ? OP_ARG_SCHEMAS.checkout.safeParse(op.args) : undefined;
        if (!parsed?.success) return workload.execute(op, client);
        try {
          return await checkout(parsed.data, client);
        } catch (error) {
          return { type: 'fail', error: 'error', value: { message: errorMessage(error) } };
        }
      },
    };
  }

  private checkoutFor(timeouts: SessionTimeouts): (args: CheckoutArgs, client: pg.ClientBase) => Promise<OpResult> {
    const coordinator = this.nodes.coordinator;
    const router = () => this.router();
    if (this.mode === 'plain') {
      const commit = plainCommitStep({ trap: this.trap, coordinator, router, probes: this.probes, node: (name) => this.nodes.node(name) });
      return (args, client) => checkoutPg(args, client, commit);
    }
    this.pool ??= new ParticipantPool((name) => this.nodes.clientEndpoint(name), timeouts);
    const deps = { coordinator, router, pool: this.pool, tm: this.tm, atCommitPoint: (orderId: number, participants: readonly string[]) => this.killAtPrepared(orderId, participants) };
    return (args, client) => checkoutTwoPhase(args, client, deps);
  }

  /** 2pc: every branch is prepared and nothing is decided yet. */
  private async killAtPrepared(orderId: number, participants: readonly string[]): Promise<void> {
    const claim = this.trap.request && this.trap.claim((r) => participants.includes(r.target) && this.nodes.node(r.target).state === 'running');
    if (!claim) return;
    try {
      await this.nodes.node(claim.target).kill();
      claim.done({ target: claim.target, orderId, participants });
    } catch (error) {
      claim.failed(error);
    }
  }

  /** The nemesis' `kill ... during: commit`: resolves once `target` died at a checkout's commit point. */
  async killAtCommitPoint(target: string): Promise<void> {
    this.aimed = true;
    this.kills.push(await this.trap.arm(target, COMMIT_POINT_WAIT_MS));
  }

  /** 2pc: finishes what nodes still hold prepared. Runs when a node comes back and before the checks. */
  async resolveInDoubt(): Promise<void> {
    if (this.mode === '2pc') await this.recovery.run();
  }

  /** For results.json; nothing for a plain run that aimed no fault at a commit. */
  report(): DistributedCommitResults | undefined {
    if (this.mode === 'plain' && !this.aimed) return undefined;
    const { inDoubt, committed, rolledBack, unresolved, passes } = this.recovery.counts();
    return {
      mode: this.mode,
      inDoubt,
      committed,
      rolledBack,
      unresolved,
      recoveryPasses: passes,
      ...(this.mode === '2pc' ? { transactions: { ...this.tm.counts } } : {}),
      commitPointKills: [...this.kills],
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.trap.cancel();
    await this.pool?.[Symbol.asyncDispose]();
    await this.probes[Symbol.asyncDispose]();
  }
}
