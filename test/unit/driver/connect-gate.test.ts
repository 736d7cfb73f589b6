import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ConnectGate, GateClosed } from '../../../src/harness/driver/connect-gate.ts';

/** An open that settles when told to, or fails when cancelled (as a destroyed socket does). */
function pendingOpen() {
  let settle!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  return { open: () => done, settle, cancel: () => fail(new Error('socket destroyed')) };
}

describe('connect gate', () => {
  it('lets only its number of opens run at once, and every open runs in the end', async () => {
    const gate = new ConnectGate(4);
    let running = 0;
    let most = 0;
    const opens = Array.from({ length: 50 }, () =>
      gate.pass(async () => {
        running++;
        most = Math.max(most, running);
        await sleep(1);
        running--;
      }, () => {}),
    );
    await Promise.all(opens);
    expect(most).toBe(4);
  });

  it('on close, fails the waiting opens at once and cuts the ones under way, so nothing waits forever', async () => {
    const gate = new ConnectGate(2);
    const hanging = Array.from({ length: 2 }, pendingOpen);
    const underWay = hanging.map((h) => gate.pass(h.open, h.cancel));
    let started = 0;
    const waiting = Array.from({ length: 100 }, () => gate.pass(async () => void started++, () => {}));
    await sleep(5);
    expect(gate.waiting).toBe(100);
    gate.close();
    const outcomes = await Promise.allSettled([...underWay, ...waiting]);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(outcomes.slice(2).every((o) => o.status === 'rejected' && o.reason instanceof GateClosed)).toBe(true);
    expect(started).toBe(0);
    expect(gate.closed).toBe(true);
  });

  it('refuses opens after it closed', async () => {
    const gate = new ConnectGate(2);
    gate.close();
    let ran = false;
    await expect(gate.pass(async () => void (ran = true), () => {})).rejects.toBeInstanceOf(GateClosed);
    expect(ran).toBe(false);
  });

  it('passes an open failure through and frees the slot for the next open', async () => {
    const gate = new ConnectGate(1);
    await expect(gate.pass(() => Promise.reject(new Error('connection refused')), () => {})).rejects.toThrow('connection refused');
    await expect(gate.pass(async () => 'open', () => {})).resolves.toBe('open');
  });
});
