import { describe, expect, it } from 'vitest';
import { ArrivalDispatcher, ArrivalLedger, type Schedule } from '../../../src/harness/driver/open-loop-dispatch.ts';
import type { OpGenerator, PlannedOp } from '../../../src/harness/workload/workload-types.ts';

// Crafted schedules (one arrival every 10 ms from t = 0) and a counting generator: which
// arrivals start, which are dropped and why, and that the generator is asked only for started ones.

function everyTenMs(): Schedule {
  let next = 0;
  return { peek: () => next, next: () => (next += 10) - 10 };
}

function countingGenerator(): OpGenerator & { asked: number } {
  const generator = {
    asked: 0,
    next(): PlannedOp {
      generator.asked++;
      return { f: 'view-product', target: 'primary', args: { n: generator.asked } };
    },
  };
  return generator;
}

describe('open-loop dispatch', () => {
  it('hands out arrivals in order, including ones not yet due (the connection waits for them)', () => {
    const ledger = new ArrivalLedger(0);
    const generator = countingGenerator();
    const dispatcher = new ArrivalDispatcher(everyTenMs(), generator, ledger, 100);
    expect(dispatcher.take(0, 1_000)?.intended).toBe(0);
    expect(dispatcher.take(0, 1_000)?.intended).toBe(10);
    expect(ledger.counts(1_000).dropped).toBe(0);
  });

  it('drops arrivals that waited longer than maxQueueDelay, without asking the generator for them', () => {
    const ledger = new ArrivalLedger(0);
    const generator = countingGenerator();
    const dispatcher = new ArrivalDispatcher(everyTenMs(), generator, ledger, 100);
    // Free only at 355 ms: arrivals 0..250 waited more than 100 ms; 260 is within the bound.
    const taken = dispatcher.take(355, 1_000)!;
    expect(taken.intended).toBe(260);
    expect(taken.op.args).toEqual({ n: 1 });
    expect(generator.asked).toBe(1);
    ledger.start(taken.intended);
    const counts = ledger.counts(1_000);
    expect(counts.droppedBy).toEqual({ queue: 26, end: 0 });
    expect(counts.started).toBe(1);
  });

  it('an arrival exactly maxQueueDelay late still starts', () => {
    const ledger = new ArrivalLedger(0);
    const dispatcher = new ArrivalDispatcher(everyTenMs(), countingGenerator(), ledger, 100);
    expect(dispatcher.take(100, 1_000)?.intended).toBe(0);
  });

  it('after the end, drops every arrival left before it (no free connection in time) and hands out none', () => {
    const ledger = new ArrivalLedger(0);
    const dispatcher = new ArrivalDispatcher(everyTenMs(), countingGenerator(), ledger, 1_000);
    expect(dispatcher.take(1_005, 100)).toBeUndefined();
    // 0..90: ten arrivals of the phase, none started.
    expect(ledger.counts(100)).toMatchObject({ scheduled: 10, started: 0, dropped: 10, droppedBy: { queue: 0, end: 10 }, windowMs: 100 });
    // Arrivals at or after the end were never part of the phase.
    expect(dispatcher.take(1_005, 100)).toBeUndefined();
    expect(ledger.counts(100).scheduled).toBe(10);
  });

  it('before the end, hands out none once the next arrival lies at or past it', () => {
    const ledger = new ArrivalLedger(0);
    const dispatcher = new ArrivalDispatcher(everyTenMs(), countingGenerator(), ledger, 1_000);
    for (let i = 0; i < 5; i++) ledger.start(dispatcher.take(0, 50)!.intended);
    expect(dispatcher.take(0, 50)).toBeUndefined();
    expect(ledger.counts(50)).toMatchObject({ scheduled: 5, started: 5, dropped: 0 });
  });

  it('keeps the warmup apart: its drops are counted separately and never in the phase', () => {
    const ledger = new ArrivalLedger(200);
    const dispatcher = new ArrivalDispatcher(everyTenMs(), countingGenerator(), ledger, 50);
    const taken = dispatcher.take(300, 1_000)!;
    expect(taken.intended).toBe(250);
    const counts = ledger.counts(1_000);
    // 0..190 dropped in warmup, 200..240 dropped in the phase.
    expect(counts.droppedInWarmup).toBe(20);
    expect(counts.droppedBy.queue).toBe(5);
    expect(counts.windowMs).toBe(800);
  });
});
