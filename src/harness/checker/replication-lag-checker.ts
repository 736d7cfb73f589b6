import { readHistory } from '../history/history-reader.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { at, duration, MAX_EXAMPLES, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { ReplicationLagBounds } from '../scenario/availability-lag-bounds-schema.ts';

// Replication lag as the run saw it, per replica, from the harness's samples (about every 100 ms):
// - staleness: how long ago the oldest heartbeat the replica does not show yet was acknowledged
//   on the primary (metrics/lag-sampler.ts), i.e. how old a read there could be; 0 when caught up,
//   and blind to lag shorter than the heartbeat interval.
// - replay lag: what the primary reports in pg_stat_replication.replay_lag.
// The two come from different sides, so their typical difference tells how far to trust either.
// Judged against bounds['replication-lag']: per replica, the max (or p99) staleness must stay
// within maxStaleness (default 5 s). Stretches of samples over the bound are the examples.

export type ReplicationLagOptions = ReplicationLagBounds;

interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

interface NodeSamples {
  readonly staleness: number[];
  readonly replayLag: number[];
  /** |staleness − replay lag| for samples carrying both. */
  readonly difference: number[];
  /** The stretch of consecutive samples over the bound now in progress. */
  episode: Episode | undefined;
}

interface Episode {
  readonly node: string;
  readonly from: number;
  to: number;
  samples: number;
  maxStalenessMs: number;
}

/** Nearest-rank percentile: an observed value, never an interpolation between two. */
function spread(values: number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const rank = (q: number) => roundMs(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!);
  return { p50: rank(0.5), p99: rank(0.99), max: roundMs(sorted[sorted.length - 1]!) };
}

/** Keeps the MAX_EXAMPLES worst episodes, the ones a reader should look at first. */
class WorstEpisodes {
  readonly items: Episode[] = [];
  count = 0;

  add(episode: Episode): void {
    this.count++;
    this.items.push(episode);
    this.items.sort((a, b) => b.maxStalenessMs - a.maxStalenessMs);
    if (this.items.length > MAX_EXAMPLES) this.items.pop();
  }
}

function summaryOf(node: string, samples: NodeSamples): Record<string, unknown> {
  return {
    node,
    samples: samples.staleness.length,
    stalenessMs: spread(samples.staleness) ?? null,
    replayLagMs: spread(samples.replayLag) ?? null,
    differenceMs: spread(samples.difference) ?? null,
  };
}

function addSpread(counts: Record<string, number>, prefix: string, values: Spread | undefined): void {
  if (values === undefined) return;
  counts[`${prefix}.p50`] = values.p50;
  counts[`${prefix}.p99`] = values.p99;
  counts[`${prefix}.max`] = values.max;
}

function describeNode(node: string, samples: NodeSamples): string {
  const staleness = spread(samples.staleness);
  if (staleness === undefined) return `${node}: no staleness samples.`;
  const difference = spread(samples.difference);
  const crossCheck =
    difference === undefined
      ? ''
      : ` Replay lag from pg_stat_replication differed from staleness by ${duration(difference.p50)} typically (p99 ${duration(difference.p99)}).`;
  return (
    `${node}: reads were typically ${duration(staleness.p50)} behind the primary, ${duration(staleness.p99)} at p99, ` +
    `${duration(staleness.max)} at worst.${crossCheck}`
  );
}

export async function evaluateReplicationLag(history: HistorySource, options: ReplicationLagOptions = ReplicationLagBounds.parse(undefined)): Promise<CheckResult> {
  const bound = options.maxStaleness;
  const statistic = options.statistic;
  const nodes = new Map<string, NodeSamples>();
  const episodes = new WorstEpisodes();
  let over = 0;
  // The load's span (warmup start to quiesce), for how many samples each replica should have.
  let loadFrom: number | undefined;
  let loadTo: number | undefined;
  let lastTime = 0;
  for await (const event of history) {
    lastTime = Math.max(lastTime, event.time);
    if (event.type === 'phase') {
      if (event.phase === 'warmup') loadFrom ??= event.time;
      if (event.phase === 'quiesce') loadTo ??= event.time;
    }
    if (event.type !== 'lag' || !Number.isFinite(event.stalenessMs)) continue;
    loadFrom ??= event.time;
    let samples = nodes.get(event.node);
    if (samples === undefined) nodes.set(event.node, (samples = { staleness: [], replayLag: [], difference: [], episode: undefined }));
    samples.staleness.push(event.stalenessMs);
    const replay = event.replayLagMs;
    if (replay !== undefined && Number.isFinite(replay)) {
      samples.replayLag.push(replay);
      samples.difference.push(Math.abs(event.stalenessMs - replay));
    }
    if (event.stalenessMs > bound) {
      over++;
      const episode = (samples.episode ??= { node: event.node, from: event.time, to: event.time, samples: 0, maxStalenessMs: 0 });
      episode.to = event.time;
      episode.samples++;
      episode.maxStalenessMs = Math.max(episode.maxStalenessMs, event.stalenessMs);
    } else if (samples.episode !== undefined) {
      episodes.add(samples.episode);
      samples.episode = undefined;
    }
  }
  for (const samples of nodes.values()) if (samples.episode !== undefined) episodes.add(samples.episode);

  const names = [...nodes.keys()].sort();
  const counts: Record<string, number> = { nodes: names.length, samples: 0 };
  for (const node of names) {
    const samples = nodes.get(node)!;
    counts.samples! += samples.staleness.length;
    counts[`${node}.samples`] = samples.staleness.length;
    addSpread(counts, `${node}.stalenessMs`, spread(samples.staleness));
    addSpread(counts, `${node}.replayLagMs`, spread(samples.replayLag));
    addSpread(counts, `${node}.differenceMs`, spread(samples.difference));
  }
  counts.maxStalenessMs = Math.max(0, ...names.map((node) => counts[`${node}.stalenessMs.max`] ?? 0));
  Object.assign(counts, { boundMs: bound, samplesOverBound: over, episodesOverBound: episodes.count });
  const minRate = options.minSampleRate ?? 0;
  const boundRecord = { maxStalenessMs: bound, statistic, minSamplesPerSecond: minRate };
  const spanS = Math.max(1, ((loadTo ?? lastTime) - (loadFrom ?? 0)) / 1000);
  const rates = names.map((node) => ({ node, rate: nodes.get(node)!.staleness.length / spanS }));
  const coverage = {
    replicasSampled: names.length,
    samples: counts.samples!,
    minSamplesPerSecond: Math.round(Math.min(Infinity, ...rates.map((r) => r.rate)) * 100) / 100,
  };

  if (names.length === 0) {
    return {
      verdict: 'unknown',
      counts,
      examples: [],
      explanation: 'No replication lag was sampled (no replicas, or sampling was off), so staleness cannot be judged.',
      bound: boundRecord,
      coverage,
    };
  }
  const perNode = names.map((node) => describeNode(node, nodes.get(node)!)).join(' ');
  const heartbeat =
    ' Staleness counts from the first heartbeat write the replica had not shown yet, so lag shorter than the heartbeat interval reads as 0.';
  // Per replica, the statistic the bound holds: every sample (max) or all but the worst 1 % (p99).
  const judged = names.map((node) => ({ node, value: spread(nodes.get(node)!.staleness)![statistic] }));
  const overBound = judged.filter((j) => j.value > bound);
  const rule = `${statistic === 'max' ? 'maximum' : 'p99'} staleness per replica within ${duration(bound)} (bounds['replication-lag'].maxStaleness)`;
  const sparse = rates.filter((r) => r.rate < minRate);
  if (overBound.length === 0 && sparse.length > 0) {
    return {
      verdict: 'unknown',
      counts,
      examples: names.slice(0, MAX_EXAMPLES).map((node) => summaryOf(node, nodes.get(node)!)),
      explanation:
        `Unknown: too few staleness samples to judge ${sparse.map((r) => `${r.node} (${r.rate.toFixed(2)}/s)`).join(', ')}: ` +
        `at least ${minRate}/s per replica over the ${duration(spanS * 1000)} of load are needed (bounds['replication-lag'].minSampleRate); ` +
        `the sampler could not reach ${sparse.length === 1 ? 'it' : 'them'} often enough. ${perNode}${heartbeat}`,
      bound: boundRecord,
      coverage,
    };
  }
  if (overBound.length === 0) {
    return {
      verdict: 'valid',
      counts,
      examples: names.slice(0, MAX_EXAMPLES).map((node) => summaryOf(node, nodes.get(node)!)),
      explanation: `Valid: ${rule}. ${perNode}${heartbeat}`,
      bound: boundRecord,
      coverage,
    };
  }
  const worst = episodes.items[0];
  const worstNote =
    worst === undefined
      ? ''
      : ` The worst stretch: ${worst.node} from ${at(worst.from)} to ${at(worst.to)}, up to ${duration(worst.maxStalenessMs)} behind.`;
  return {
    verdict: 'invalid',
    counts,
    examples: episodes.items.map((e) => ({ node: e.node, from: roundMs(e.from), to: roundMs(e.to), samples: e.samples, maxStalenessMs: roundMs(e.maxStalenessMs) })),
    explanation:
      `${overBound.map((j) => `${j.node} was ${duration(j.value)} behind at ${statistic}`).join(', ')}, over the bound: ${rule}; ` +
      `a read there could return data older than allowed. ${plural(over, 'sample')} in ${plural(episodes.count, 'stretch', 'stretches')} ` +
      `exceeded ${duration(bound)}.${worstNote} ${perNode}${heartbeat}`,
    bound: boundRecord,
    coverage,
  };
}

/** `options`: a fixed bound; otherwise the scenario's (ctx.bounds), else the defaults. */
export function createReplicationLagChecker(options?: ReplicationLagOptions): Checker {
  return {
    name: 'replication-lag',
    async check(ctx) {
      return evaluateReplicationLag(readHistory(ctx.historyPath), options ?? ctx.bounds?.['replication-lag']);
    },
  };
}

export const replicationLagChecker: Checker = createReplicationLagChecker();
