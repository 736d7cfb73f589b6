import { describe, expect, it } from 'vitest';
import { HeartbeatLedger } from '../../../src/topologies/postgres/regional/heartbeat-ledger.ts';

describe('HeartbeatLedger', () => {
  it('is 0 behind when the reader shows the last acknowledged heartbeat, or one never acknowledged after it', () => {
    const ledger = new HeartbeatLedger();
    for (const time of [100, 150, 200]) ledger.acknowledge(ledger.next(), time);
    expect(ledger.staleness(3, 260)).toBe(0);
    // Heartbeat 4 was written but its ack never came (a timeout): nothing acknowledged is missing.
    ledger.next();
    expect(ledger.staleness(3, 300)).toBe(0);
  });

  it('measures from the ack of the first acknowledged heartbeat the reader lacks', () => {
    const ledger = new HeartbeatLedger();
    for (const time of [100, 150, 200, 250]) ledger.acknowledge(ledger.next(), time);
    expect(ledger.staleness(1, 320)).toBe(170);
    expect(ledger.staleness(0, 320)).toBe(220);
  });

  it('skips heartbeats whose write failed: the next acknowledged one counts', () => {
    const ledger = new HeartbeatLedger();
    ledger.acknowledge(ledger.next(), 100); // 1
    ledger.next(); // 2: failed
    ledger.acknowledge(ledger.next(), 300); // 3
    expect(ledger.staleness(1, 400)).toBe(100);
  });

  it('never goes negative (a read that started before the ack it lacks)', () => {
    const ledger = new HeartbeatLedger();
    ledger.acknowledge(ledger.next(), 500);
    expect(ledger.staleness(0, 450)).toBe(0);
  });

  it('keeps a bounded window: a reader older than all of it gets a lower bound from the oldest kept', () => {
    const ledger = new HeartbeatLedger();
    for (let i = 0; i < 5_000; i++) ledger.acknowledge(ledger.next(), i);
    // Heartbeats 1..1000 were forgotten; 1001 (acked at 1000) is the oldest kept.
    expect(ledger.staleness(0, 6_000)).toBe(5_000);
  });
});
