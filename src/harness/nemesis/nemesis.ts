import type { RunClock } from '../history/run-clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { FaultRecord } from '../results/results-types.ts';
import { createRandom } from '../workload/random.ts';
import { injectFault, type InjectedFault } from '../fault/fault-actions.ts';
import type { FaultSurface } from '../fault/fault-surface.ts';
import { NetworkFaults } from '../fault/link-effects.ts';
import type { Occurrence } from '../fault/timeline.ts';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/**
 * Jepsen's nemesis: runs the fault timeline against a topology. Injections and heals are applied
 * one at a time in timeline order (a heal never races the next injection); every start and end is
 * written to the history with its targets. A fault that cannot be applied is recorded, not thrown.
 */
export class Nemesis {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly active = new Map<number, { occurrence: Occurrence; injected: InjectedFault }>();
  private queue: Promise<void> = Promise.resolve();
  private readonly network: NetworkFaults;
  private readonly random;
  private stopped = false;
  private runStart = 0;
  private readonly records = new Map<number, FaultRecord>();
  /** Scheduled injections and heals not finished yet (timers pending or in the queue). */
  private pending = 0;
  /** Called after every fault end is recorded (heals, instant faults), with its run-clock time. */
  onFaultEnd: ((time: number) => void) | undefined;
  /** Nodes a fault left down on purpose (leaveDown): never healed nor recovered. */
  private readonly leftDown = new Set<string>();

  constructor(
    private readonly occurrences: readonly Occurrence[],
    private readonly surface: FaultSurface,
    private readonly history: HistoryWriter,
    private readonly clock: RunClock,
    seed: number,
    private readonly print: (line: string) => void,
  ) {
    this.network = new NetworkFaults(surface.linkControl);
    this.random = createRandom(seed, 'nemesis');
  }

  /** Schedules every occurrence relative to `runStart` (a time on the run clock). */
  start(runStart: number): void {
    this.runStart = runStart;
    for (const occurrence of this.occurrences) {
      const at = (time: number, action: () => Promise<void>) => {
        this.pending++;
        this.timers.push(setTimeout(() => void this.enqueue(action).finally(() => this.pending--), Math.max(0, runStart + time - this.clock.now())));
      };
      at(occurrence.start, () => this.inject(occurrence));
      if (occurrence.end !== undefined) at(occurrence.end, () => this.heal(occurrence.id));
    }
  }

  /** The timeline as it happened, for results.json. */
  timeline(): FaultRecord[] {
    return [...this.records.values()];
  }

  /**
   * Heals, in timeline order, every fault that has no duration (they last until the nominal end
   * of the run), so the load can go on and show the recovery from them too.
   */
  endOpenFaults(): void {
    for (const occurrence of this.occurrences) {
      if (occurrence.end !== undefined || ('leaveDown' in occurrence.fault && occurrence.fault.leaveDown)) continue;
      this.pending++;
      void this.enqueue(() => this.heal(occurrence.id)).finally(() => this.pending--);
    }
  }

  /** True when nothing is in force and nothing scheduled is left: every fault of the timeline has ended. */
  settled(): boolean {
    return this.pending === 0 && this.active.size === 0;
  }

  /** Kinds of the faults in force now, for the progress line. */
  activeKinds(): string[] {
    return [...this.active.values()].map(({ occurrence }) => occurrence.fault.kind);
  }

  private enqueue(action: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(() => (this.stopped ? undefined : action()));
    return this.queue;
  }

  private record(
    occurrence: Occurrence,
    action: 'start' | 'end',
    targets: readonly string[],
    error?: string,
    time = this.clock.now(),
  ): void {
    this.history.append({
      type: 'fault',
      action,
      id: occurrence.id,
      kind: occurrence.fault.kind,
      targets,
      time,
      wallClock: new Date().toISOString(),
      ...(error === undefined ? {} : { error }),
    });
    const at = Math.round(time - this.runStart);
    const previous = this.records.get(occurrence.id);
    this.records.set(occurrence.id, {
      id: occurrence.id,
      kind: occurrence.fault.kind,
      targets: [...targets],
      startMs: previous?.startMs ?? at,
      ...(action === 'end' ? { endMs: at } : {}),
      ...(error === undefined ? {} : { error }),
    });
    if (action === 'end') this.onFaultEnd?.(time);
    const what = `${occurrence.fault.kind} #${occurrence.id}${targets.length ? ` ${targets.join(', ')}` : ''}`;
    this.print(`  fault ${action === 'start' ? 'start' : 'heal '} ${what}${error ? ` (failed: ${error})` : ''}`);
  }

  private async inject(occurrence: Occurrence): Promise<void> {
    // Stamped when injection begins: a kill or a promotion takes time, and the fault is under
    // way from its first step.
    const startedAt = this.clock.now();
    try {
      const injected = await injectFault(occurrence.id, occurrence.fault, this.surface, this.network, this.random);
      this.record(occurrence, 'start', injected.targets, undefined, startedAt);
      if ('leaveDown' in occurrence.fault && occurrence.fault.leaveDown) {
        for (const target of injected.targets) this.leftDown.add(target);
        this.print(`  left down on purpose: ${injected.targets.join(', ')}`);
      } else if (injected.instant) this.record(occurrence, 'end', injected.targets);
      else this.active.set(occurrence.id, { occurrence, injected });
    } catch (error) {
      this.record(occurrence, 'start', [], message(error), startedAt);
    }
  }

  private async heal(id: number): Promise<void> {
    const entry = this.active.get(id);
    if (!entry) return;
    this.active.delete(id);
    try {
      await entry.injected.heal();
      this.record(entry.occurrence, 'end', entry.injected.targets);
    } catch (error) {
      this.record(entry.occurrence, 'end', entry.injected.targets, message(error));
    }
  }

  /** Cancels what has not started and heals everything in force, newest first. */
  async healAll(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.queue;
    this.stopped = true;
    for (const id of [...this.active.keys()].reverse()) await this.heal(id);
    await this.network.healAll();
    // As Jepsen's final heal: every node back, including those a failover fenced on its own.
    for (const { name } of this.surface.nodesNow()) {
      if (this.surface.node(name).state === 'running' || this.leftDown.has(name)) continue;
      try {
        await this.surface.recover(name);
        this.print(`  recovered ${name}`);
      } catch (error) {
        this.print(`  could not recover ${name}: ${message(error)}`);
      }
    }
  }
}
