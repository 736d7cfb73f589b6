import type { FaultEvent } from '../../../history/history-types.ts';
import type { FaultRecord } from '../../../results/results-types.ts';

// Fault occurrences as the history recorded them. results.json has the same timeline, but a run
// that failed during the load never gets it there; the history, written as faults happen, does.

const MAX_FAULTS = 1_000;

export class FaultWindows {
  private readonly byId = new Map<number, { kind: string; targets: readonly string[]; startMs: number; endMs?: number; error?: string }>();

  add(event: FaultEvent, atMs: number): void {
    if (typeof event.id !== 'number' || typeof event.kind !== 'string') return;
    const known = this.byId.get(event.id);
    const error = typeof event.error === 'string' ? event.error : undefined;
    if (event.action === 'start' && known === undefined && this.byId.size < MAX_FAULTS) {
      const targets = Array.isArray(event.targets) ? event.targets.filter((t): t is string => typeof t === 'string') : [];
      this.byId.set(event.id, { kind: event.kind, targets, startMs: Math.round(atMs), ...(error ? { error } : {}) });
    } else if (event.action === 'end' && known !== undefined) {
      known.endMs = Math.round(atMs);
      if (error && known.error === undefined) known.error = error;
    }
  }

  records(): FaultRecord[] {
    return [...this.byId.entries()].sort(([a], [b]) => a - b).map(([id, fault]) => ({ id, ...fault }));
  }
}
