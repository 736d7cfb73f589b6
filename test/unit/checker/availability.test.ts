import { describe, expect, it } from 'vitest';
import { availabilityChecker, evaluateAvailability } from '../../../src/harness/checker/availability-checker.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';
import { AvailabilityBounds } from '../../../src/harness/scenario/availability-lag-bounds-schema.ts';
import { CheckBounds } from '../../../src/harness/scenario/check-bounds-schema.ts';

// Writes take 2 ms, so a write invoked at t completes ok at t + 2.

describe('availability', () => {
  it('measures a primary kill: the outage, the failover time, and empty seconds', async () => {
    const h = new HistoryBuilder()
      .writes(0, 3000, 10)
      .fault(1, 'kill', ['primary'], 3000, 8000)
      .writes(3000, 5000, 50, { outcome: 'info', error: 'connection' })
      .failover('primary', 'replica1', 4900, 4000)
      .writes(5000, 10_000, 10, { node: 'replica1' })
      .phase('quiesce', 10_000);
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({
      faults: 1,
      failovers: 1,
      'fault.1.unavailableMs': 2002,
      'fault.1.failoverMs': 2002,
      'failover.1.failoverMs': 1002,
      maxUnavailableMs: 2002,
      maxFailoverMs: 2002,
      measuredMs: 10_000,
      zeroWriteMs: 2000,
    });
    expect(result.examples[0]).toMatchObject({
      faultId: 1,
      kind: 'kill',
      targets: ['primary'],
      unavailableMs: 2002,
      longestGap: { from: 3000, to: 5002 },
      failoverMs: 2002,
      firstOkWriteAt: 5002,
    });
    expect(result.examples[1]).toMatchObject({ failover: 'primary → replica1', detectedAt: 4000, failoverMs: 1002 });
    expect(result.explanation).toMatch(/2\.00 s, during fault #1 \(kill of primary\)/);
  });

  it('a replica fault that leaves writes alone: no outage beyond the write spacing, no failover time', async () => {
    const h = new HistoryBuilder().writes(0, 10_000, 10).fault(2, 'pause', ['replica1'], 3000, 4000).phase('quiesce', 10_000);
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('valid');
    // Only the time a write was waiting counts: 2 ms, not the 10 ms spacing between writes.
    expect(result.counts['fault.2.unavailableMs']).toBe(2);
    expect(result.counts['fault.2.failoverMs']).toBeUndefined();
    expect(result.counts.zeroWriteMs).toBe(0);
  });

  it('is invalid when writes never came back after the last heal though they were tried', async () => {
    const h = new HistoryBuilder()
      .writes(0, 3000, 10)
      .fault(1, 'kill', ['primary'], 3000, 5000)
      .writes(3000, 10_000, 50, { outcome: 'fail', error: 'connection' })
      .phase('quiesce', 10_000);
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.explanation).toMatch(/Writes never came back/);
    expect(result.counts['fault.1.unavailableMs']).toBe(7000);
    expect(result.examples[0]).toMatchObject({ faultId: 1, failoverMs: null, firstOkWriteAt: null });
  });

  it('is unknown when the last heal came with no write tried after it', async () => {
    const h = new HistoryBuilder()
      .writes(0, 2000, 10)
      .fault(1, 'stop', ['primary'], 2000, 3500)
      .writes(2000, 3000, 50, { outcome: 'info' })
      .phase('quiesce', 5000);
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.explanation).toMatch(/no write was tried after it/);
  });

  it('a fault still in force at the end with no write back since it began: measured up to the end, recovery unknown', async () => {
    const h = new HistoryBuilder()
      .writes(0, 3000, 10)
      .fault(1, 'kill', ['primary'], 3000)
      .writes(3000, 10_000, 50, { outcome: 'info' })
      .phase('quiesce', 10_000)
      .faultEnd(1, 'kill', ['primary'], 10_500);
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.counts).toMatchObject({ 'fault.1.unavailableMs': 7000, faultsHealedAfterLoad: 1 });
    expect(result.explanation).toMatch(/#1 kill\) still in force when the load stopped.*recovery was not observed/);
  });

  it('a fault in force at the end while writes went on succeeding is valid, and says it healed after the load', async () => {
    const h = new HistoryBuilder().writes(0, 10_000, 10).fault(1, 'latency', ['replica1->primary'], 3000).phase('quiesce', 10_000).faultEnd(1, 'latency', [], 10_500);
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.explanation).toMatch(/healed only after the load stopped/);
  });

  it('a quiet gap with no write waiting is not an outage; the fault window closes at the first write after its heal', async () => {
    const h = new HistoryBuilder()
      .writes(0, 40_000, 10)
      .fault(1, 'partition', ['replica2'], 1000, 2000)
      .writes(50_000, 51_000, 10)
      .phase('quiesce', 51_000);
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts['fault.1.unavailableMs']).toBe(2);
    expect(result.counts).toMatchObject({ measuredMs: 51_000, zeroWriteMs: 10_000 });
    expect(result.counts.maxUnavailableMs).toBeLessThan(100);
  });

  it('follows the primary through a failover: killing the new primary is a primary fault, the old one is not', async () => {
    const h = new HistoryBuilder()
      .writes(0, 1000, 10)
      .fault(1, 'kill', ['primary'], 1000, 2000)
      .failover('primary', 'replica1', 1500, 1200)
      .writes(1600, 3000, 10, { node: 'replica1' })
      .fault(2, 'kill', ['replica1'], 3000, 4000)
      .writes(3500, 6000, 10, { node: 'replica1' })
      .fault(3, 'kill', ['primary'], 5000, 5500)
      .phase('quiesce', 6000);
    const result = await evaluateAvailability(h.build());
    expect(result.counts['fault.1.failoverMs']).toBe(602);
    expect(result.counts['fault.2.failoverMs']).toBe(502);
    expect(result.counts['fault.3.failoverMs']).toBeUndefined();
  });

  it('prefers roles events to guess which node takes writes', async () => {
    const h = new HistoryBuilder().writes(0, 2000, 10).phase('quiesce', 2000);
    const events = [{ type: 'roles' as const, time: 0, writable: ['replica2'] }, ...h.build()];
    events.push({ type: 'fault', action: 'start', id: 1, kind: 'pause', targets: ['replica2'], time: 500, wallClock: '' });
    events.sort((a, b) => a.time - b.time);
    const result = await evaluateAvailability(events);
    expect(result.counts['fault.1.failoverMs']).toBe(2);
  });

  it('a roles sample showing no writable node just before the fault still attributes it to the primary', async () => {
    const h = new HistoryBuilder().writes(0, 1000, 10).writes(1500, 3000, 10, { node: 'replica1' }).phase('quiesce', 3000);
    const events = [
      { type: 'roles' as const, time: 0, writable: ['primary'] },
      { type: 'roles' as const, time: 999, writable: [] },
      ...h.build(),
    ];
    events.push({ type: 'fault', action: 'start', id: 1, kind: 'kill', targets: ['primary'], time: 1000, wallClock: '' });
    events.sort((a, b) => a.time - b.time);
    const result = await evaluateAvailability(events);
    expect(result.counts['fault.1.failoverMs']).toBe(502);
  });

  it('without faults: judged against the overall bound, with the whole-run counts reported', async () => {
    const h = new HistoryBuilder().writes(0, 1000, 10).writes(3000, 4000, 10).phase('quiesce', 4000);
    h.orderHistory({ customerId: 1, orderIds: [], at: 1500 });
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ faults: 0, okWrites: 200, measuredMs: 4000, zeroWriteMs: 2000 });
  });

  it('without any write tried: unknown', async () => {
    const h = new HistoryBuilder().fault(1, 'kill', ['primary'], 500, 700).phase('quiesce', 2000);
    h.orderHistory({ customerId: 1, orderIds: [], at: 1500 });
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.explanation).toMatch(/No write was tried/);
  });

  it('as a Checker: reads the history file only', async () => {
    const h = new HistoryBuilder().writes(0, 2000, 10).fault(1, 'kill', ['primary'], 500, 700).phase('quiesce', 2000);
    const historyPath = await writeHistoryFile(h.jsonl());
    const result = await availabilityChecker.check({ historyPath, finalState: fakeNode(() => []) });
    expect(result.verdict).toBe('valid');
    expect(result.counts.faults).toBe(1);
  });
});

describe('availability: single writable primary', () => {
  it('reports split brain when the sampler saw two writable nodes at once, and counts the maximum', async () => {
    const h = new HistoryBuilder();
    h.writes(0, 100, 10);
    h.fault(1, 'kill', ['primary'], 20, 60);
    const events = h.build();
    events.push({ type: 'roles', time: 5, writable: ['primary'] }, { type: 'roles', time: 70, writable: ['primary', 'replica1'] });
    events.sort((a, b) => a.time - b.time);
    const result = await evaluateAvailability(events);
    expect(result.verdict).toBe('invalid');
    expect(result.counts.maxWritablePrimaries).toBe(2);
    expect(result.explanation).toMatch(/Split brain/);
  });

  it('measures how long two nodes accepted writes: in all and the longest stretch', async () => {
    const h = new HistoryBuilder();
    h.writes(0, 100, 10);
    const events = h.build();
    events.push(
      { type: 'roles', time: 5, writable: ['primary'] },
      { type: 'roles', time: 20, writable: ['primary', 'replica1'] },
      { type: 'roles', time: 30, writable: ['replica1'] },
      { type: 'roles', time: 50, writable: ['primary', 'replica1'] },
      { type: 'roles', time: 75, writable: ['replica1'] },
    );
    events.sort((a, b) => a.time - b.time);
    const result = await evaluateAvailability(events);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ splitBrainMs: 35, longestSplitBrainMs: 25 });
  });

  it('counts one writable primary at most through a clean failover', async () => {
    const h = new HistoryBuilder();
    h.writes(0, 100, 10);
    h.fault(1, 'kill', ['primary'], 20, 60);
    const events = h.build();
    events.push({ type: 'roles', time: 5, writable: ['primary'] }, { type: 'roles', time: 25, writable: [] }, { type: 'roles', time: 40, writable: ['replica1'] });
    events.sort((a, b) => a.time - b.time);
    const result = await evaluateAvailability(events);
    expect(result.counts.maxWritablePrimaries).toBe(1);
    expect(result.counts.splitBrainMs).toBe(0);
    expect(result.verdict).not.toBe('invalid');
  });
});

describe('availability: outage bounds', () => {
  /** Writes ok until 3 s, a kill healed at 8 s, writes failing until `backAt`, then succeeding until 70 s. */
  function outage(backAt: number, onlyOne = false): HistoryBuilder {
    const h = new HistoryBuilder()
      .writes(0, 3000, 10)
      .fault(1, 'kill', ['primary'], 3000, 8000)
      .writes(3000, backAt, 100, { outcome: 'fail', error: 'connection' });
    if (onlyOne) h.write(backAt);
    else h.writes(backAt, 70_000, 10, { node: 'replica1' });
    return h.phase('quiesce', 70_000);
  }

  it('58 s without a successful write, then one success: invalid against the default 30 s bound, naming it', async () => {
    const result = await evaluateAvailability(outage(61_000, true).build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts['fault.1.unavailableMs']).toBe(58_002);
    expect(result.counts.maxUnavailableMs).toBe(58_002);
    expect(result.explanation).toMatch(/58\.00 s.*over its bound of 30\.00 s \(bounds\.availability\.maxUnavailable\)/);
    expect(result.bound).toEqual({ maxUnavailableMs: 30_000 });
    expect(result.coverage).toMatchObject({ faults: 1, faultsRecoveryObserved: 1 });
    expect(result.coverage!.writesTried).toBeGreaterThan(500);
  });

  it('the whole outage counts, however long after the heal (no cap)', async () => {
    const result = await evaluateAvailability(outage(50_000).build());
    expect(result.counts['fault.1.unavailableMs']).toBe(47_002);
    expect(result.examples[0]).toMatchObject({ faultId: 1, recoveredAt: 50_002, boundMs: 30_000 });
  });

  it('a 20 s outage passes the default bound and fails a per-fault bound of 15 s for kills', async () => {
    expect((await evaluateAvailability(outage(23_000).build())).verdict).toBe('valid');
    const bounds = AvailabilityBounds.parse({ perFault: { kill: '15s' } });
    const result = await evaluateAvailability(outage(23_000).build(), bounds);
    expect(result.verdict).toBe('invalid');
    expect(result.bound).toEqual({ maxUnavailableMs: 30_000, 'maxUnavailableMs.kill': 15_000 });
    expect(result.explanation).toMatch(/bounds\.availability\.perFault\.kill/);
  });

  it('an outage without any fault is held to maxUnavailable too', async () => {
    const h = new HistoryBuilder()
      .writes(0, 3000, 10)
      .writes(3000, 10_000, 100, { outcome: 'fail', error: 'timeout' })
      .writes(10_000, 12_000, 10)
      .phase('quiesce', 12_000);
    expect((await evaluateAvailability(h.build())).verdict).toBe('valid');
    const result = await evaluateAvailability(h.build(), AvailabilityBounds.parse({ maxUnavailable: '5s' }));
    expect(result.verdict).toBe('invalid');
    expect(result.explanation).toMatch(/7\.00 s without a success.*bounds\.availability\.maxUnavailable/);
  });

  it('as a Checker: takes its bound from the context', async () => {
    const historyPath = await writeHistoryFile(outage(23_000).jsonl());
    const bounds = CheckBounds.parse({ availability: { maxUnavailable: '10s' } });
    const result = await availabilityChecker.check({ historyPath, finalState: fakeNode(() => []), bounds });
    expect(result.verdict).toBe('invalid');
    expect(result.bound).toEqual({ maxUnavailableMs: 10_000 });
  });
});
