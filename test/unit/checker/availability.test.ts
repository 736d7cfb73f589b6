import { describe, expect, it } from 'vitest';
import { availabilityChecker, evaluateAvailability } from '../../../src/harness/checker/availability-checker.ts';
import { fakeClient, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

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
    expect(result.counts['fault.2.unavailableMs']).toBe(10);
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

  it('a fault healed only after the load stopped is measured up to the end of the load', async () => {
    const h = new HistoryBuilder()
      .writes(0, 3000, 10)
      .fault(1, 'kill', ['primary'], 3000)
      .writes(3000, 10_000, 50, { outcome: 'info' })
      .phase('quiesce', 10_000)
      .faultEnd(1, 'kill', ['primary'], 10_500);
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ 'fault.1.unavailableMs': 7000, faultsHealedAfterLoad: 1 });
    expect(result.explanation).toMatch(/healed only after the load stopped/);
  });

  it('looks no further than 30 s after the heal, while the whole-run figure sees every empty second', async () => {
    const h = new HistoryBuilder()
      .writes(0, 40_000, 10)
      .fault(1, 'partition', ['replica2'], 1000, 2000)
      .writes(50_000, 51_000, 10)
      .phase('quiesce', 51_000);
    const result = await evaluateAvailability(h.build());
    expect(result.counts['fault.1.unavailableMs']).toBe(10);
    expect(result.counts).toMatchObject({ measuredMs: 51_000, zeroWriteMs: 10_000 });
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

  it('without faults: unknown, with the whole-run counts still reported', async () => {
    const h = new HistoryBuilder().writes(0, 1000, 10).writes(3000, 4000, 10).phase('quiesce', 4000);
    h.orderHistory({ customerId: 1, orderIds: [], at: 1500 });
    const result = await evaluateAvailability(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.counts).toMatchObject({ faults: 0, okWrites: 200, measuredMs: 4000, zeroWriteMs: 2000 });
    expect(result.explanation).toMatch(/No fault was injected/);
  });

  it('as a Checker: reads the history file only', async () => {
    const h = new HistoryBuilder().writes(0, 2000, 10).fault(1, 'kill', ['primary'], 500, 700).phase('quiesce', 2000);
    const historyPath = await writeHistoryFile(h.jsonl());
    const result = await availabilityChecker.check({ historyPath, finalState: fakeClient(() => []) });
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

  it('counts one writable primary at most through a clean failover', async () => {
    const h = new HistoryBuilder();
    h.writes(0, 100, 10);
    h.fault(1, 'kill', ['primary'], 20, 60);
    const events = h.build();
    events.push({ type: 'roles', time: 5, writable: ['primary'] }, { type: 'roles', time: 25, writable: [] }, { type: 'roles', time: 40, writable: ['replica1'] });
    events.sort((a, b) => a.time - b.time);
    const result = await evaluateAvailability(events);
    expect(result.counts.maxWritablePrimaries).toBe(1);
    expect(result.verdict).not.toBe('invalid');
  });
});
