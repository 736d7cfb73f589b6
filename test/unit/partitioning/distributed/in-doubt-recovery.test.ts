import { describe, expect, it } from 'vitest';
import { InDoubtRecovery, planRecovery, type PreparedXact, type RecoverySource } from '../../../../src/topologies/postgres/partitioned/distributed/in-doubt-recovery.ts';

// Recovery's decisions from what nodes hold prepared and what the log says, with a fake cluster.

const x = (node: string, gid: string): PreparedXact => ({ node, gid });

class FakeCluster implements RecoverySource {
  prepared: PreparedXact[] = [];
  decisions = new Set<string>();
  logReadable = true;
  down = new Set<string>();
  /** Transactions finished by someone else after the listing. */
  vanished = new Set<string>();
  readonly finished: string[] = [];
  async listPrepared() {
    return this.prepared.filter((p) => !this.down.has(p.node));
  }
  async decided(gids: readonly string[]) {
    if (!this.logReadable) throw new Error('coordinator down');
    return new Set(gids.filter((g) => this.decisions.has(g)));
  }
  async finish(xact: PreparedXact, commit: boolean) {
    if (this.down.has(xact.node)) throw new Error('node down');
    if (this.vanished.has(xact.gid)) return false;
    this.finished.push(`${commit ? 'commit' : 'rollback'} ${xact.node} ${xact.gid}`);
    this.prepared = this.prepared.filter((p) => p !== xact);
    return true;
  }
}

describe('in-doubt recovery', () => {
  it('commits what the log decided, rolls back the rest, skips transactions still in flight', () => {
    const plan = planRecovery([x('shard1', 'a'), x('shard2', 'b'), x('coordinator', 'c')], new Set(['c']), new Set(['a']));
    expect(plan).toEqual({ commit: [x('shard1', 'a')], rollback: [x('shard2', 'b')] });
  });

  it('counts each prepared transaction once, across passes, and how it ended', async () => {
    const cluster = new FakeCluster();
    cluster.prepared = [x('shard1', 'a'), x('shard2', 'a'), x('shard3', 'b')];
    cluster.decisions.add('a');
    cluster.down.add('shard3');
    const recovery = new InDoubtRecovery(cluster, new Set());
    await recovery.run();
    expect(recovery.counts()).toEqual({ inDoubt: 2, committed: 2, rolledBack: 0, unresolved: 0, passes: 1 });
    cluster.down.clear();
    await recovery.run();
    await recovery.run();
    expect(cluster.finished).toEqual(['commit shard1 a', 'commit shard2 a', 'rollback shard3 b']);
    expect(recovery.counts()).toEqual({ inDoubt: 3, committed: 2, rolledBack: 1, unresolved: 0, passes: 3 });
  });

  it('leaves everything prepared when the decision log cannot be read, and reports it unresolved', async () => {
    const cluster = new FakeCluster();
    cluster.prepared = [x('shard1', 'a')];
    cluster.logReadable = false;
    const recovery = new InDoubtRecovery(cluster, new Set());
    await expect(recovery.run()).resolves.toBeUndefined();
    expect(cluster.finished).toEqual([]);
    expect(recovery.counts()).toMatchObject({ inDoubt: 1, unresolved: 1 });
  });

  it('does not count a transaction its manager finished after the listing', async () => {
    const cluster = new FakeCluster();
    cluster.prepared = [x('shard1', 'a')];
    cluster.vanished.add('a');
    const recovery = new InDoubtRecovery(cluster, new Set());
    await recovery.run();
    expect(recovery.counts()).toMatchObject({ inDoubt: 0, unresolved: 0 });
  });

  it('never touches a gid whose transaction manager is at work', async () => {
    const cluster = new FakeCluster();
    cluster.prepared = [x('shard1', 'busy')];
    const recovery = new InDoubtRecovery(cluster, new Set(['busy']));
    await recovery.run();
    expect(cluster.finished).toEqual([]);
    expect(recovery.counts().inDoubt).toBe(0);
  });
});
