import { primaryImpactOf } from '../fault/fault-catalog.ts';
import type { HistoryEvent } from '../history/history-types.ts';
import { isWrite } from './history-values.ts';

// Follows successful writes through the history and measures the longest stretch without one
// while writes were waiting: over the whole load, and per fault from its start until the first
// successful write after it healed (the whole outage, however long the recovery took). It keeps a
// few numbers per fault and one byte per second of run, so memory does not depend on the number
// of operations.
//
// A stretch starts at the last successful write when other writes were still in flight, else at
// the next write invoked: a workload that writes rarely has long quiet gaps, not outages.
/** The whole-run figure counts seconds without any successful write. */
export const BUCKET_MS = 1000;

export interface FaultOutage {
  readonly faultId: number;
  readonly kind: string;
  readonly targets: readonly string[];
  readonly start: number;
  /** Undefined: never healed in the history. */
  end: number | undefined;
  readonly error: string | undefined;
  /** A kill/stop/pause of a node that was accepting writes when the fault began. */
  readonly hitsPrimary: boolean;
  /** The longest stretch without a successful write inside the window (start to first ok after heal), and where it was. */
  longest: number;
  gapFrom: number;
  gapTo: number;
  firstOkWrite: number | undefined;
  /** The first successful write at or after the heal: the window's end (undefined: not seen in the load). */
  recoveredAt: number | undefined;
}

export interface FailoverOutage {
  readonly from: string;
  readonly to: string;
  readonly detectedAt: number;
  readonly promotedAt: number;
  firstOkWrite: number | undefined;
}

export class WriteOutageTracker {
  readonly faults = new Map<number, FaultOutage>();
  readonly failovers: FailoverOutage[] = [];
  /** Windows still receiving writes; the rest are finished except for their tail. */
  private active: FaultOutage[] = [];
  /** Nodes last seen accepting writes: roles events when present, else where writes succeed. */
  private writable: ReadonlySet<string> = new Set(['primary']);
  private sawRoles = false;
  /** Most nodes ever seen accepting writes at once (from roles samples); above 1 is split brain. */
  maxWritable = 0;
  /** When the sampler first saw more than one writable node, and the nodes. */
  splitBrain: { readonly at: number; readonly nodes: readonly string[] } | undefined;
  /** Time with two or more nodes accepting writes: in total, and the longest such stretch (ms). */
  splitBrainMs = 0;
  longestSplitBrainMs = 0;
  private splitSince: number | undefined;
  private buckets = new Uint8Array(64);
  firstInvoke: number | undefined;
  lastWriteInvoke = -Infinity;
  lastOkWrite = -Infinity;
  okWrites = 0;
  writesTried = 0;
  /** Writes invoked and not completed yet. */
  private inFlight = 0;
  /** Where the current stretch without a successful write began (undefined: no write waiting). */
  private gapStart: number | undefined;
  /** The longest stretch over the whole load, and where. */
  longest = { ms: 0, from: 0, to: 0 };
  loadEnd: number | undefined;
  lastTime = 0;

  private endSplit(time: number): void {
    if (this.splitSince === undefined) return;
    const ms = time - this.splitSince;
    this.splitBrainMs += ms;
    this.longestSplitBrainMs = Math.max(this.longestSplitBrainMs, ms);
    this.splitSince = undefined;
  }

  accept(event: HistoryEvent): void {
    this.lastTime = Math.max(this.lastTime, event.time);
    switch (event.type) {
      case 'fault':
        if (event.action === 'start') this.startFault(event.id, event.kind, event.targets, event.time, event.error);
        else {
          const fault = this.faults.get(event.id);
          if (fault) fault.end = event.time;
        }
        return;
      case 'failover':
        this.failovers.push({ from: event.from, to: event.to, detectedAt: event.detectedAt, promotedAt: event.time, firstOkWrite: undefined });
        if (!this.sawRoles) this.writable = new Set([event.to]);
        return;
      case 'roles':
        this.sawRoles = true;
        this.maxWritable = Math.max(this.maxWritable, event.writable.length);
        if (event.writable.length > 1) this.splitBrain ??= { at: event.time, nodes: event.writable };
        if (event.writable.length > 1) this.splitSince ??= event.time;
        else this.endSplit(event.time);
        // The sampler often sees a killed primary go unwritable just before the fault is recorded
        // (faults are recorded once in force); the last node that took writes is still the one hit.
        if (event.writable.length > 0) this.writable = new Set(event.writable);
        return;
      case 'phase':
        if (event.phase === 'quiesce' && this.loadEnd === undefined) this.loadEnd = event.time;
        return;
      case 'invoke':
        this.firstInvoke ??= event.time;
        if (isWrite(event.f)) {
          this.writesTried++;
          this.inFlight++;
          this.gapStart ??= event.time;
          this.lastWriteInvoke = Math.max(this.lastWriteInvoke, event.time);
        }
        return;
      case 'ok':
        if (isWrite(event.f)) {
          this.inFlight = Math.max(0, this.inFlight - 1);
          this.okWrite(event.time, event.node);
        }
        return;
      case 'fail':
      case 'info':
        if (isWrite(event.f)) this.inFlight = Math.max(0, this.inFlight - 1);
        return;
      default:
        return;
    }
  }

  private startFault(faultId: number, kind: string, targets: readonly string[], start: number, error: string | undefined): void {
    // Each fault kind says whether it takes writes away when it hits the primary (fault/kinds/).
    const impact = primaryImpactOf(kind);
    const hitsPrimary = impact === 'always' || (impact === 'when-aimed-at-a-writer' && targets.some((node) => this.writable.has(node)));
    const fault: FaultOutage = {
      faultId,
      kind,
      targets,
      start,
      end: undefined,
      error,
      hitsPrimary,
      longest: 0,
      gapFrom: start,
      gapTo: start,
      firstOkWrite: undefined,
      recoveredAt: undefined,
    };
    this.faults.set(faultId, fault);
    this.active.push(fault);
  }

  private okWrite(time: number, node: string): void {
    this.okWrites++;
    this.lastOkWrite = Math.max(this.lastOkWrite, time);
    if (!this.sawRoles && node) this.writable = new Set([node]);
    this.markBucket(time);
    for (const failover of this.failovers) {
      if (failover.firstOkWrite === undefined && time >= failover.detectedAt) failover.firstOkWrite = time;
    }
    this.closeStretch(time);
    let recovered = false;
    for (const fault of this.active) {
      if (time < fault.start) continue;
      fault.firstOkWrite ??= time;
      if (fault.end !== undefined && time >= fault.end) {
        fault.recoveredAt = time;
        recovered = true;
      }
    }
    if (recovered) this.active = this.active.filter((fault) => fault.recoveredAt === undefined);
    // Writes still in flight are waiting from now on; otherwise the next invoke starts the clock.
    this.gapStart = this.inFlight > 0 ? time : undefined;
  }

  /** The stretch without a successful write that ends at `time`, for the whole load and each open fault window. */
  private closeStretch(time: number): void {
    const from = this.gapStart;
    if (from === undefined || time <= from) return;
    if (time - from > this.longest.ms) this.longest = { ms: time - from, from, to: time };
    for (const fault of this.active) if (time > fault.start) stretch(fault, Math.max(from, fault.start), time);
  }

  private markBucket(time: number): void {
    if (this.firstInvoke === undefined || time < this.firstInvoke) return;
    const index = Math.floor((time - this.firstInvoke) / BUCKET_MS);
    if (index >= this.buckets.length) {
      const grown = new Uint8Array(Math.max(index + 1, this.buckets.length * 2));
      grown.set(this.buckets);
      this.buckets = grown;
    }
    this.buckets[index] = 1;
  }

  /** When the load stopped: nothing can succeed after it, so no outage is measured past it. */
  get stoppedAt(): number {
    return this.loadEnd ?? this.lastTime;
  }

  /** Ends every window still open at the end of the load: writes still waiting then count up to it. */
  finish(): void {
    this.endSplit(this.lastTime);
    this.closeStretch(this.stoppedAt);
    this.active = [];
  }

  /** Whole seconds of the load (from the first invoke) and how many had no successful write. */
  zeroWriteSeconds(): { measured: number; empty: number } {
    if (this.firstInvoke === undefined) return { measured: 0, empty: 0 };
    const measured = Math.max(0, Math.floor((this.stoppedAt - this.firstInvoke) / BUCKET_MS));
    let empty = 0;
    for (let i = 0; i < measured; i++) if (this.buckets[i] !== 1) empty++;
    return { measured, empty };
  }
}

function stretch(fault: FaultOutage, from: number, to: number): void {
  if (to - from > fault.longest) {
    fault.longest = to - from;
    fault.gapFrom = from;
    fault.gapTo = to;
  }
}

