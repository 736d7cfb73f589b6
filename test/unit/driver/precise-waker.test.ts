import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PreciseWaker, waitPrecisely } from '../../../src/harness/driver/precise-waker.ts';

// The open loop's waker: never early (an operation must not start before its intended time),
// in time order whatever order the waits came in, released at once by close() (a stop), and
// never what keeps a process alive.

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

describe('PreciseWaker', () => {
  it('never resolves a wait before its time, and resolves them in time order', async () => {
    const waker = new PreciseWaker();
    await waker.ready;
    try {
      // 0.2-10 ms, 0.2 ms apart, shuffled: far more apart than creating all 50 waits takes.
      const asked = Array.from({ length: 50 }, (_, i) => 0.2 + ((i * 37) % 50) / 5);
      const woken: { due: number; at: number }[] = [];
      await Promise.all(
        asked.map((ms) => {
          const due = nowMs() + ms;
          return waker.after(ms).then(() => woken.push({ due, at: nowMs() }));
        }),
      );
      expect(woken).toHaveLength(50);
      for (const w of woken) expect(w.at).toBeGreaterThanOrEqual(w.due);
      // Resolved in the order of their due times: each no earlier than the one before, give or
      // take the moments between this test's clock reading and the waker's (microseconds).
      for (let k = 1; k < woken.length; k++) expect(woken[k]!.due).toBeGreaterThan(woken[k - 1]!.due - 0.1);
    } finally {
      waker.close();
    }
  });

  it('lets every pending wait go at once when closed, and later waits too', async () => {
    const waker = new PreciseWaker();
    const pending = [waker.after(60_000), waker.after(30_000)];
    waker.close();
    await expect(Promise.all(pending)).resolves.toBeDefined();
    await expect(waker.after(60_000)).resolves.toBeUndefined();
  });

  it('stands in with timers until its thread runs, and the caller never starts early', async () => {
    const waker = new PreciseWaker();
    try {
      const due = performance.now() + 3;
      await waitPrecisely(waker, due, () => performance.now());
      expect(performance.now()).toBeGreaterThanOrEqual(due);
    } finally {
      waker.close();
    }
  });

  it('does not keep a process alive once nothing waits', () => {
    const script = `
      import { PreciseWaker } from ${JSON.stringify(fileURLToPath(new URL('../../../src/harness/driver/precise-waker.ts', import.meta.url)))};
      const waker = new PreciseWaker();
      await waker.after(5);
      console.log('woken');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout.trim()).toBe('woken');
    expect(child.status).toBe(0);
  });
});
