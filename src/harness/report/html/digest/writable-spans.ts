import { seconds, type WritableSpan } from './digest-types.ts';

// Which nodes accepted writes, and when: the role sampler records the writable set whenever it
// changes. Turned into one span per node per stretch of time it was writable, a failover reads as
// one bar ending and another beginning, a gap as no bar at all, and split brain as two bars at once.

// Role changes are rare (a few per failover); this bound only guards against a flapping sampler.
const MAX_CHANGES = 10_000;

export class WritableSpans {
  private readonly changes: { atMs: number; writable: readonly string[] }[] = [];

  /** `atMs` < 0 (before the measured run) counts as the state at its start. */
  add(atMs: number, writable: readonly string[]): void {
    if (!Array.isArray(writable) || this.changes.length >= MAX_CHANGES) return;
    this.changes.push({ atMs: Math.max(0, atMs), writable: writable.filter((n): n is string => typeof n === 'string') });
  }

  /** True when the writable set was ever anything but exactly one node during the run. */
  changed(endMs: number): boolean {
    return this.changes.some((change) => change.atMs < endMs && change.writable.length !== 1);
  }

  spans(endMs: number): WritableSpan[] {
    const spans: WritableSpan[] = [];
    const open = new Map<string, number>();
    const close = (node: string, atMs: number) => {
      const from = open.get(node);
      open.delete(node);
      if (from !== undefined && atMs > from) spans.push({ node, from: seconds(from), to: seconds(atMs) });
    };
    for (const { atMs, writable } of this.changes) {
      if (atMs >= endMs) break;
      for (const node of [...open.keys()]) if (!writable.includes(node)) close(node, atMs);
      for (const node of writable) if (!open.has(node)) open.set(node, atMs);
    }
    for (const node of [...open.keys()]) close(node, endMs);
    return spans.sort((a, b) => a.from - b.from || (a.node < b.node ? -1 : 1));
  }
}
