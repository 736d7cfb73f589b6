import { describe, expect, it } from 'vitest';
import { TwoPhaseCommit, type Branch, type Vote } from '../../../../src/topologies/postgres/partitioned/distributed/two-phase-commit.ts';

// The transaction manager's every turn with fake branches: what it sends, in which order, and
// what it leaves to recovery.

const lost = () => Object.assign(new Error('Connection terminated unexpectedly'), {});
const refusedByServer = () => Object.assign(new Error('duplicate key'), { code: '23505' });

class FakeBranch implements Branch {
  readonly log: string[] = [];
  released = 0;
  constructor(
    readonly node: string,
    private readonly vote: Vote = { prepared: true },
    private readonly commitFails = false,
    private readonly rollbackFails = false,
  ) {}
  async prepare(gid: string): Promise<Vote> {
    this.log.push(`prepare ${gid}`);
    return this.vote;
  }
  async commitPrepared(gid: string): Promise<void> {
    this.log.push(`commit ${gid}`);
    if (this.commitFails) throw lost();
  }
  async rollbackPrepared(gid: string): Promise<void> {
    this.log.push(`rollback ${gid}`);
    if (this.rollbackFails) throw lost();
  }
  release(): void {
    this.released++;
  }
}

function harness(decide: (gid: string) => Promise<void> = async () => {}) {
  const events: string[] = [];
  const tm = new TwoPhaseCommit();
  const hooks = {
    decisions: { record: async (gid: string) => { events.push(`decide ${gid}`); await decide(gid); } },
    atCommitPoint: async (participants: readonly string[]) => {
      events.push(`commit point ${participants.join(',')} in flight=${tm.inFlight.size}`);
    },
  };
  return { tm, hooks, events };
}

describe('two-phase commit', () => {
  it('prepares every branch, reaches the commit point, logs the decision, then commits every branch', async () => {
    const { tm, hooks, events } = harness();
    const a = new FakeBranch('coordinator');
    const b = new FakeBranch('shard1');
    const outcome = await tm.run('g1', [a, b], hooks);
    expect(outcome).toEqual({ outcome: 'committed', inDoubt: [] });
    expect(a.log).toEqual(['prepare g1', 'commit g1']);
    expect(events).toEqual(['commit point coordinator,shard1 in flight=1', 'decide g1']);
    expect(tm.inFlight.size).toBe(0);
    expect([a.released, b.released]).toEqual([1, 1]);
    expect(tm.counts).toEqual({ started: 1, committed: 1, aborted: 0, undecided: 0, leftInDoubt: 0 });
  });

  it('still commits when a branch cannot be told: it stays prepared for recovery', async () => {
    const { tm, hooks } = harness();
    const outcome = await tm.run('g2', [new FakeBranch('coordinator'), new FakeBranch('shard2', { prepared: true }, true)], hooks);
    expect(outcome).toEqual({ outcome: 'committed', inDoubt: ['shard2'] });
    expect(tm.counts.leftInDoubt).toBe(1);
  });

  it('aborts on a refusal: no decision, prepared branches (and maybe-prepared ones) rolled back', async () => {
    const { tm, hooks, events } = harness();
    const coordinator = new FakeBranch('coordinator', { prepared: false, maybePrepared: false, refusal: 'out-of-stock' });
    const shard = new FakeBranch('shard1');
    const unsure = new FakeBranch('shard2', { prepared: false, maybePrepared: true, error: lost() });
    const outcome = await tm.run('g3', [coordinator, shard, unsure], hooks);
    expect(outcome).toMatchObject({ outcome: 'aborted', refusal: 'out-of-stock', inDoubt: [] });
    expect(events).toEqual([]);
    expect(coordinator.log).toEqual(['prepare g3']);
    expect(shard.log).toEqual(['prepare g3', 'rollback g3']);
    expect(unsure.log).toEqual(['prepare g3', 'rollback g3']);
    expect(tm.counts.aborted).toBe(1);
  });

  it('leaves a branch it cannot roll back to recovery (presumed abort will)', async () => {
    const { tm, hooks } = harness();
    const outcome = await tm.run('g4', [new FakeBranch('coordinator', { prepared: false, maybePrepared: false, error: lost() }), new FakeBranch('shard1', { prepared: true }, false, true)], hooks);
    expect(outcome).toMatchObject({ outcome: 'aborted', inDoubt: ['shard1'] });
  });

  it('never rolls back when the decision write may have committed: only the log can tell', async () => {
    const { tm, hooks } = harness(async () => {
      throw lost();
    });
    const a = new FakeBranch('coordinator');
    const b = new FakeBranch('shard1');
    const outcome = await tm.run('g5', [a, b], hooks);
    expect(outcome.outcome).toBe('unknown');
    expect(a.log).toEqual(['prepare g5']);
    expect(b.log).toEqual(['prepare g5']);
    expect(tm.counts).toMatchObject({ undecided: 1, leftInDoubt: 2 });
    expect(tm.inFlight.size).toBe(0);
  });

  it('rolls back when the decision write certainly failed', async () => {
    const { tm, hooks } = harness(async () => {
      throw refusedByServer();
    });
    const a = new FakeBranch('coordinator');
    const outcome = await tm.run('g6', [a], hooks);
    expect(outcome.outcome).toBe('aborted');
    expect(a.log).toEqual(['prepare g6', 'rollback g6']);
  });
});
