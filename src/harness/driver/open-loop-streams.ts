import type { ClientRegion } from '../regions/client-regions.ts';

// How an open loop's arrivals are split: one stream (a seeded schedule and a generator) per group
// of connections that share it. Without regions there is one group; with regions, one per region,
// the rate split as its clients are. In load threads each thread runs its own part of every group
// (its connections, the group's rate in their proportion) as a stream of its own, as wrk2 gives
// each thread its share of the rate: the operations are then the seed's for a given number of
// threads, not whatever the count (a closed loop's per-worker streams are).

export interface OpenLoopStream {
  /** Index of the stream among all threads' streams (a generator's worker index); 0..streams-1. */
  readonly stream: number;
  readonly streams: number;
  /** The connections (workers) that take its arrivals. */
  readonly workers: readonly number[];
  /** Arrivals per second. */
  readonly rate: number;
  /** The schedule's seed: the scenario's for stream 0, so one thread without regions keeps it. */
  readonly seed: number;
}

/** A load thread's share: its workers, thread index and thread count. */
export interface ThreadShare {
  readonly workers: readonly number[];
  readonly thread: number;
  readonly threads: number;
}

/** `placements`: each worker's region (empty without regions); `share`: this thread's, or the whole load. */
export function openLoopStreams(placements: readonly (ClientRegion | undefined)[], workers: number, rate: number, seed: number, share?: ThreadShare): OpenLoopStream[] {
  const groups = [...new Set(placements.map((p) => p?.region))];
  if (groups.length === 0) groups.push(undefined);
  const members = groups.map((region) => placements.flatMap((p, w) => (p?.region === region ? [w] : [])));
  if (placements.length === 0) members[0] = Array.from({ length: workers }, (_, w) => w);
  const total = members.reduce((n, m) => n + m.length, 0);
  const thread = share?.thread ?? 0;
  const threads = share?.threads ?? 1;
  const mine = share ? new Set(share.workers) : undefined;
  return members.flatMap((group, g) => {
    const part = mine ? group.filter((w) => mine.has(w)) : group;
    if (part.length === 0 || total === 0) return [];
    const stream = g * threads + thread;
    // The group's rate (its share of the connections) times this thread's part of the group.
    return [{ stream, streams: groups.length * threads, workers: part, rate: (rate * part.length) / total, seed: stream === 0 ? seed : seed + 7919 * stream }];
  });
}
