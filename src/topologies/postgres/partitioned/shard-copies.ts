import type { CopyComparison } from '../../../harness/checker/checker-types.ts';
import { TABLE_KEYS } from '../final-state/table-snapshot-pg.ts';
import type { LagEvent } from '../../../harness/history/history-types.ts';
import type { EcommerceTable } from '../../../harness/workload/ecommerce/schema-pg.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import { FreshnessRecord } from '../regional/regional-results.ts';
import { CopyFreshnessSampler, referenceDirection, type CopyGroup } from './copy-freshness-sampler.ts';
import { layoutReport } from './layout-report.ts';
import type { PartitionedLayoutResults } from '../../../harness/results/partitioned-layout-results.ts';
import { copiesCaughtUp } from './reference-replication.ts';
import { shardReplicasCaughtUp } from './shard-replicas.ts';
import type { VerticalLayout } from './vertical-ddl.ts';

// Every copy pg-partitioned keeps, each judged against its own source only: each shard's
// reference tables against the coordinator's, each shard replica against its shard (never a
// shard against the coordinator: they hold different rows by design). Waiting for them
// (quiesce), their staleness (the lag sampler), convergence's comparisons and the layout report.

export interface CopiesLayout {
  readonly coordinator: () => PgServerNode;
  /** Shard primaries. */
  readonly shards: () => readonly PgServerNode[];
  readonly replicasOf: (shard: PgServerNode) => readonly PgServerNode[];
  readonly reference: readonly string[];
  /** Horizontally partitioned tables. */
  readonly partitioned: readonly string[];
  /** Known once the tables moved (afterSchema). */
  readonly vertical: () => readonly VerticalLayout[];
}

export class ShardCopies {
  private readonly freshness = new FreshnessRecord();

  constructor(private readonly layout: CopiesLayout) {}

  get any(): boolean {
    return this.groups().length > 0;
  }

  /** Sources and their copies, each copy under the key its staleness samples carry. */
  groups(): CopyGroup[] {
    const { coordinator, shards, replicasOf, reference } = this.layout;
    const groups: CopyGroup[] = [];
    if (reference.length > 0) {
      groups.push({ source: coordinator(), copies: shards().map((node) => ({ node, key: referenceDirection(coordinator().name, node.name) })) });
    }
    for (const shard of shards()) {
      const replicas = replicasOf(shard);
      if (replicas.length > 0) groups.push({ source: shard, copies: replicas.map((node) => ({ node, key: node.name })) });
    }
    return groups;
  }

  /** For convergence: each source's own tables (a shard's: its partitions, reference copies and column groups). */
  comparisons(): CopyComparison[] {
    const { coordinator, shards, replicasOf, reference, partitioned, vertical } = this.layout;
    const keyed = (tables: readonly string[]) => Object.fromEntries(tables.map((t) => [t, TABLE_KEYS[t as EcommerceTable]]));
    const comparisons: CopyComparison[] = [];
    if (reference.length > 0) comparisons.push({ source: coordinator().name, copies: shards().map((s) => s.name), tables: keyed(reference) });
    for (const shard of shards()) {
      const copies = replicasOf(shard).map((r) => r.name);
      const split = vertical().filter((v) => v.groups.some((g) => g.node === shard.name)).map((v) => v.table);
      if (copies.length > 0) comparisons.push({ source: shard.name, copies, tables: keyed([...partitioned, ...reference, ...split]) });
    }
    return comparisons;
  }

  /** Reference copies caught up with the coordinator, then shard replicas with their shard (bounded). */
  async caughtUp(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const coordinator = this.layout.coordinator();
    const running = this.layout.shards().filter((s) => s.state === 'running');
    let ok = true;
    if (this.layout.reference.length > 0) ok = coordinator.state === 'running' && (await copiesCaughtUp(coordinator, running, timeoutMs));
    const replicated = await shardReplicasCaughtUp(running, this.layout.replicasOf, Math.max(1_000, deadline - Date.now()));
    return ok && replicated;
  }

  /** The run's lag sampler: samples go to the history as `lag` events and are kept for the report. */
  sampler(sink: (event: LagEvent) => void, now: () => number): CopyFreshnessSampler {
    return new CopyFreshnessSampler(
      () => this.groups(),
      (sample) => {
        this.freshness.add(sample);
        const { key, time, stalenessMs, replayLagMs } = sample;
        sink({ type: 'lag', node: key, time, stalenessMs, ...(replayLagMs === undefined ? {} : { replayLagMs }) });
      },
      now,
    );
  }

  /** After the final quiesce; nothing when the layout has no copies and no column groups. */
  async report(): Promise<PartitionedLayoutResults | undefined> {
    const vertical = this.layout.vertical();
    if (!this.any && vertical.length === 0) return undefined;
    const keys = this.groups().flatMap((g) => g.copies.map((c) => c.key));
    return layoutReport({
      coordinator: this.layout.coordinator(),
      shards: this.layout.shards(),
      replicasOf: this.layout.replicasOf,
      reference: this.layout.reference,
      partitioned: this.layout.partitioned,
      vertical,
      stalenessMs: this.freshness.spreads(keys),
    });
  }
}
