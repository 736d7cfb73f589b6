import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RunClock } from '../../../src/harness/history/run-clock.ts';
import { LoadEndController } from '../../../src/harness/run/extend-load.ts';

// The load's end decided while it runs: past the nominal end until every fault has healed and
// load was tried after the last heal, never past the hard maximum, and at once on Ctrl-C.

class FakeDriver {
  isStopped = false;
  writesInvoked = 0;
  opsInvoked = 0;
  endedAt: number | undefined;
  endAt(time: number) {
    this.endedAt = time;
  }
}

class FakeNemesis {
  inForce = 0;
  onFaultEnd: ((time: number) => void) | undefined;
  endOpenFaults() {}
  settled() {
    return this.inForce === 0;
  }
  heal(clock: RunClock) {
    this.inForce--;
    this.onFaultEnd?.(clock.now());
  }
}

function setUp(policy = { writes: 5, duration: 50, maxExtension: 2000 }, nominalMs = 100) {
  const clock = new RunClock();
  const driver = new FakeDriver();
  const nemesis = new FakeNemesis();
  const start = clock.now();
  const controller = new LoadEndController({ clock, driver, nemesis }, policy, start, start + nominalMs, () => {});
  return { clock, driver, nemesis, controller, start };
}

describe('the load is extended until recovery is observed', () => {
  it('a heal after the nominal end: the load goes on until it and enough writes after it', async () => {
    const { clock, driver, nemesis, controller, start } = setUp();
    nemesis.inForce = 1;
    const deciding = controller.decide(new AbortController().signal);
    await sleep(250);
    expect(driver.endedAt).toBeUndefined();
    nemesis.heal(clock);
    await sleep(100);
    expect(driver.endedAt).toBeUndefined(); // no write yet after the heal
    driver.writesInvoked += 5;
    const extension = await deciding;
    expect(extension.reason).toBe('recovered');
    expect(extension.writesAfterLastHeal).toBe(5);
    expect(extension.extendedMs).toBeGreaterThanOrEqual(250);
    expect(driver.endedAt! - start).toBeGreaterThanOrEqual(350);
  });

  it('everything healed in time with writes after it: no extension', async () => {
    const { clock, driver, nemesis, controller } = setUp();
    nemesis.inForce = 1;
    nemesis.heal(clock);
    driver.writesInvoked = 10;
    const extension = await controller.decide(new AbortController().signal);
    expect(extension.reason).toBe('not-needed');
    expect(extension.extendedMs).toBeLessThan(1000);
  });

  it('never past the hard maximum: a fault still in force is reported', async () => {
    const { nemesis, controller } = setUp({ writes: 5, duration: 50, maxExtension: 200 });
    nemesis.inForce = 1;
    const extension = await controller.decide(new AbortController().signal);
    expect(extension.reason).toBe('max-extension');
    expect(extension.faultsInForce).toBe(true);
    expect(extension.extendedMs).toBeGreaterThanOrEqual(200);
    expect(extension.extendedMs).toBeLessThan(5000);
  });

  it('Ctrl-C during the extension ends it at once', async () => {
    const { nemesis, controller } = setUp({ writes: 5, duration: 50, maxExtension: 60_000 });
    nemesis.inForce = 1;
    const stop = new AbortController();
    const deciding = controller.decide(stop.signal);
    await sleep(200);
    const asked = performance.now();
    stop.abort();
    const extension = await deciding;
    expect(extension.reason).toBe('stopped');
    // The requirement: Ctrl-C works within a second in every phase.
    expect(performance.now() - asked).toBeLessThan(1000);
  });

  it('a mix without writes counts every operation after the heal', async () => {
    const { clock, driver, nemesis, controller } = setUp();
    nemesis.inForce = 1;
    const deciding = controller.decide(new AbortController().signal);
    await sleep(150);
    nemesis.heal(clock);
    driver.opsInvoked += 5;
    expect((await deciding).reason).toBe('recovered');
  });
});
