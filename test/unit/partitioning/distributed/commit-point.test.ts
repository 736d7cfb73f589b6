import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommitPointTrap } from '../../../../src/topologies/postgres/partitioned/distributed/commit-point.ts';
import { chooseStall, FIRST_SHARD_FALLBACK_MS } from '../../../../src/topologies/postgres/partitioned/distributed/plain-commit.ts';

afterEach(() => vi.useRealTimers());

describe('commit-point trap', () => {
  it('is taken by the first checkout that accepts it, once', async () => {
    const trap = new CommitPointTrap();
    const armed = trap.arm('shard2', 1_000);
    expect(trap.request?.target).toBe('shard2');
    expect(trap.claim(() => false)).toBeUndefined();
    const claim = trap.claim((r) => r.target === 'shard2')!;
    expect(trap.request).toBeUndefined();
    expect(trap.claim(() => true)).toBeUndefined();
    claim.done({ target: 'shard2', orderId: 7, participants: ['coordinator', 'shard2'] });
    await expect(armed).resolves.toMatchObject({ orderId: 7 });
    expect(trap.request).toBeUndefined();
  });

  it('goes back to waiting when a claim is released, and fails after its time without a checkout', async () => {
    vi.useFakeTimers();
    let now = 0;
    const trap = new CommitPointTrap(() => now);
    const armed = trap.arm('shard1', 1_000);
    armed.catch(() => undefined);
    trap.claim(() => true)!.release();
    now = 400;
    expect(trap.request).toEqual({ target: 'shard1', waitedMs: 400 });
    now = 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(armed).rejects.toThrow(/no checkout reached its commit point with shard1/);
    expect(trap.request).toBeUndefined();
  });

  it('refuses a second arming while one waits, and cancel ends the wait', async () => {
    const trap = new CommitPointTrap();
    const first = trap.arm('shard1', 10_000);
    await expect(trap.arm('shard2', 10)).rejects.toThrow(/already waiting/);
    trap.cancel();
    await expect(first).rejects.toThrow(/run ended/);
  });
});

describe('plain mode: which shard to hold at COMMIT', () => {
  const order = ['shard2', 'shard3', 'shard1'];
  it('holds the target itself when a shard commits before it', () => {
    expect(chooseStall(order, 'coordinator', { target: 'shard1', waitedMs: 0 })).toBe('shard1');
    expect(chooseStall(order, 'coordinator', { target: 'shard3', waitedMs: 0 })).toBe('shard3');
  });

  it('waits for a better checkout when the target commits first, then takes it anyway', () => {
    expect(chooseStall(order, 'coordinator', { target: 'shard2', waitedMs: 10 })).toBeUndefined();
    expect(chooseStall(order, 'coordinator', { target: 'shard2', waitedMs: FIRST_SHARD_FALLBACK_MS })).toBe('shard2');
  });

  it('holds the last shard when the coordinator is the target, and skips checkouts without the target', () => {
    expect(chooseStall(order, 'coordinator', { target: 'coordinator', waitedMs: 0 })).toBe('shard1');
    expect(chooseStall([], 'coordinator', { target: 'coordinator', waitedMs: 0 })).toBeUndefined();
    expect(chooseStall(['shard2'], 'coordinator', { target: 'shard1', waitedMs: 9_999 })).toBeUndefined();
  });
});
