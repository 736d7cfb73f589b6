import { setTimeout as sleep } from 'node:timers/promises';
import type { RunClock } from '../history/run-clock.ts';
import type { AfterLastHeal } from '../scenario/after-heal-schema.ts';
import type { LoadExtension } from '../results/load-extension.ts';

export type { LoadExtension };

// The load's end, decided while it runs. At the nominal end (workload.duration) the faults
// without a duration heal; the load then goes on until every fault of the timeline has healed
// and `afterLastHeal` worth of load was tried after the last heal, or until maxExtension. A
// recovery that a loaded machine finishes late is then still observed, instead of the checks
// saying "unknown" for want of writes after it.

/** What the controller needs of the driver and the nemesis. */
export interface ExtensionParties {
  readonly clock: RunClock;
  readonly driver: { readonly isStopped: boolean; readonly writesInvoked: number; readonly opsInvoked: number; endAt(time: number): void };
  readonly nemesis: { endOpenFaults(): void; settled(): boolean; onFaultEnd: ((time: number) => void) | undefined };
}

const POLL_MS = 50;

/** Watches heals from now on; `decide` then ends the load at the right time. */
export class LoadEndController {
  private lastHeal: { time: number; writes: number; ops: number } | undefined;

  constructor(
    private readonly parties: ExtensionParties,
    private readonly policy: AfterLastHeal,
    /** Run-clock times of the measured run's start and its nominal end. */
    private readonly runStart: number,
    private readonly nominalEnd: number,
    private readonly log: (line: string) => void,
  ) {
    const { driver, nemesis } = parties;
    nemesis.onFaultEnd = (time) => (this.lastHeal = { time, writes: driver.writesInvoked, ops: driver.opsInvoked });
  }

  /** Load tried since the last heal: writes, or every operation when the mix issued no write at all. */
  private triedSinceHeal(): number {
    const { driver } = this.parties;
    if (!this.lastHeal) return 0;
    return driver.writesInvoked > 0 ? driver.writesInvoked - this.lastHeal.writes : driver.opsInvoked - this.lastHeal.ops;
  }

  private recovered(now: number): boolean {
    if (!this.parties.nemesis.settled()) return false;
    if (this.lastHeal === undefined) return true;
    return this.triedSinceHeal() >= this.policy.writes && now - this.lastHeal.time >= this.policy.duration;
  }

  /** Runs until the load must end, then ends it. `signal`: the load ended by itself (Ctrl-C, failure). */
  async decide(signal: AbortSignal): Promise<LoadExtension> {
    const { clock, driver, nemesis } = this.parties;
    const policy = { writes: this.policy.writes, durationMs: this.policy.duration, maxExtensionMs: this.policy.maxExtension };
    const finish = (reason: LoadExtension['reason']): LoadExtension => {
      // Operations started while this decided (a poll interval at most) belong to the run: the end is now.
      const end = Math.max(this.nominalEnd, clock.now());
      driver.endAt(end);
      return {
        extendedMs: Math.round(end - this.nominalEnd),
        reason,
        ...(this.lastHeal ? { lastHealMs: Math.round(this.lastHeal.time - this.runStart), writesAfterLastHeal: this.triedSinceHeal() } : {}),
        faultsInForce: !nemesis.settled(),
        policy,
      };
    };
    while (!signal.aborted && !driver.isStopped && clock.now() < this.nominalEnd) await pause(Math.min(POLL_MS, this.nominalEnd - clock.now()), signal);
    if (signal.aborted || driver.isStopped) return finish('stopped');
    nemesis.endOpenFaults();
    // Let the heals just queued start before judging (settled() counts them from now on).
    if (this.recovered(clock.now())) return finish('not-needed');
    this.log(`  load extended past ${Math.round((this.nominalEnd - this.runStart) / 1000)} s until the faults heal and load is tried after (at most ${policy.maxExtensionMs / 1000} s)`);
    const cap = this.nominalEnd + this.policy.maxExtension;
    while (clock.now() < cap) {
      if (signal.aborted || driver.isStopped) return finish('stopped');
      if (this.recovered(clock.now())) return finish('recovered');
      await pause(Math.min(POLL_MS, Math.max(1, cap - clock.now())), signal);
    }
    return finish('max-extension');
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(Math.max(1, ms), undefined, { signal });
  } catch {
    // Aborted: the caller checks the signal.
  }
}
