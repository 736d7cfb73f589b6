import { formatDuration } from '../units/duration.ts';
import { isDatabaseMeasured, machineFull, secondRanges, type SaturationResults } from '../metrics/saturation/saturation-verdict.ts';
import { formatCount, formatDecimal, formatPercent, NO_VALUE } from './format-number.ts';
import type { RunMark, RunResults } from '../results/results-types.ts';

// The load's real figures (offered, achieved, dropped, the phase's measured length) and the
// marks that say when they describe something other than the database, computed once here as
// plain text and rendered by report.md and report.html alike, so the two never disagree.

/** One mark as both reports state it up front: a title and why, with the seconds affected. */
export interface MarkNote {
  readonly mark: RunMark;
  readonly title: string;
  readonly text: string;
}

export function markNotes(results: RunResults): MarkNote[] {
  const notes: MarkNote[] = [];
  const { load, saturation } = results;
  const marks = results.marks ?? [];
  if (marks.includes('overloaded') && load.overload) {
    const o = load.overload;
    notes.push({
      mark: 'overloaded',
      title: `OVERLOADED (saturated: ${o.saturated ?? 'unknown'})`,
      text:
        `Achieved ${formatDecimal(o.achievedRate)} of ${formatDecimal(o.offeredRate)} ops/s offered (${formatPercent(o.shortfall, 1)} short; ` +
        `the mark is set above ${formatPercent(saturation?.thresholds.overloadShortfall ?? 0.05, 1)}); ${formatCount(load.dropped ?? 0)} operations dropped. ` +
        `${o.explanation ?? ''}. The throughput and latencies describe this run's limit, not what the database could take at the offered rate.`,
    });
  }
  const criterion = saturation
    ? `its event loop was busy ${formatPercent(saturation.thresholds.loopUtilization, 1)} of a second or more, or a timer fired ${saturation.thresholds.loopDelayP99Ms} ms late or more (p99)`
    : '';
  if (marks.includes('harness-bound') && saturation) {
    const h = saturation.harness;
    const own = h.saturatedSeconds.filter((s) => !h.starvedSeconds.includes(s));
    notes.push({
      mark: 'harness-bound',
      title: 'HARNESS-BOUND',
      text:
        `The harness was saturated by its own work in ${own.length} of ${saturation.seconds} seconds of the run phase (seconds ${secondRanges(own)}): ` +
        `${criterion}, and no process other than the harness and the database held the CPU it waited for. ` +
        `Throughput there measures faultline (and, where it waited for the CPU the database held, the machine they share), not the database alone.`,
    });
  }
  if (marks.includes('cpu-contended') && saturation) {
    const h = saturation.harness;
    notes.push({
      mark: 'cpu-contended',
      title: 'CPU-CONTENDED',
      text:
        `The harness was saturated in ${h.starvedSeconds.length} of ${saturation.seconds} seconds of the run phase because it was starved (seconds ${secondRanges(h.starvedSeconds)}): ` +
        `${criterion}${machineFull(saturation)}. Throughput and latencies there describe a shared machine, neither faultline nor the database alone.`,
    });
  }
  return notes;
}

/** The load's figures as label/value pairs, in reading order. */
export function loadFacts(results: RunResults): [string, string][] {
  const { load, run } = results;
  const planned = results.resolvedScenario.workload;
  const facts: [string, string][] = [];
  if (load.loop === 'closed') {
    facts.push(['Loop', `closed, ${formatCount(load.workers)} ${load.workers === 1 ? 'worker' : 'workers'} (each starts its next operation when the last completes)`]);
  } else {
    const loop = planned.loop;
    const arrivals = loop.kind === 'open' ? `, ${loop.arrivals} arrivals` : '';
    const target = load.targetRate === undefined ? 'no target rate recorded' : `target ${formatDecimal(load.targetRate)} ops/s`;
    facts.push(['Loop', `open, ${target}${arrivals}, ${formatCount(load.workers)} connections`]);
    if (load.offeredRate !== undefined) facts.push(['Offered', `${formatDecimal(load.offeredRate)} ops/s (${formatCount(load.scheduled ?? 0)} arrivals scheduled in the run phase)`]);
  }
  facts.push(['Achieved', `${formatDecimal(load.achievedRate)} ops/s (${formatCount(results.totals.count)} completed over the run phase's measured ${formatDuration(run.measuredMs)})`]);
  if (load.loop === 'open') {
    if (load.dropped !== undefined) {
      const by = load.droppedBy ? ` (${formatCount(load.droppedBy.queue)} waited past maxQueueDelay, ${formatCount(load.droppedBy.end)} found no free connection before the end)` : '';
      facts.push(['Dropped', `${formatCount(load.dropped)}${by}, never run; ${formatCount(load.droppedInWarmup ?? 0)} more in the warmup`]);
    }
    facts.push(['Late starts', `${formatCount(load.lateStarts)} (${formatPercent(load.lateStarts, results.totals.count)} of completed operations started over 1 ms late)`]);
  }
  const drain = load.drainMs === undefined ? '' : `, of which ${formatDuration(load.drainMs)} after its end for operations in flight`;
  const cut = load.cutByGrace ? `; ${formatCount(load.cutByGrace)} cut when the grace ran out` : '';
  facts.push(['Run phase', `${formatDuration(run.measuredMs)} measured${drain}${cut}; planned ${formatDuration(planned.duration)} after ${formatDuration(planned.warmup)} warmup`]);
  return facts;
}

export const SATURATION_COLUMNS = ['', 'mean', 'max', 'threshold', 'seconds over'];

/** Saturation figures as rows of plain text, or why there are none. */
export function saturationRows(saturation: SaturationResults): string[][] {
  const { harness, database, thresholds, cores } = saturation;
  const seconds = (list: readonly number[]) => (list.length === 0 ? 'none' : `${list.length} of ${saturation.seconds}`);
  const rows = [
    ['harness event-loop utilisation', formatPercent(harness.loopUtilization.mean, 1), formatPercent(harness.loopUtilization.max, 1), `≥ ${formatPercent(thresholds.loopUtilization, 1)}`, seconds(harness.saturatedSeconds)],
    ['harness event-loop delay p99', `${formatDecimal(harness.loopDelayP99Ms.mean)} ms`, `${formatDecimal(harness.loopDelayP99Ms.max)} ms`, `≥ ${thresholds.loopDelayP99Ms} ms`, '(either)'],
    ['harness CPU, cores (every thread)', formatDecimal(harness.cpu.mean), formatDecimal(harness.cpu.max), NO_VALUE, NO_VALUE],
  ];
  if (harness.loopCpu && harness.loopCpuWait) {
    const starved = harness.starvedSeconds.length === 0 ? 'none starved' : `${harness.starvedSeconds.length} starved`;
    rows.push(['harness main thread on a CPU', formatPercent(harness.loopCpu.mean, 1), formatPercent(harness.loopCpu.max, 1), NO_VALUE, NO_VALUE]);
    rows.push(['harness main thread waiting for a CPU', formatPercent(harness.loopCpuWait.mean, 1), formatPercent(harness.loopCpuWait.max, 1), '> time on a CPU', starved]);
  }
  if (isDatabaseMeasured(database)) {
    rows.push(['database CPU, cores', formatDecimal(database.cpu.mean), formatDecimal(database.cpu.max), `≥ ${formatPercent(thresholds.databaseCpuShare, 1)} of ${cores} − harness`, seconds(database.saturatedSeconds)]);
  } else {
    rows.push(['database CPU, cores', NO_VALUE, NO_VALUE, NO_VALUE, `not measured: ${database.reason}`]);
  }
  if (saturation.machineCpu) rows.push([`machine CPU (all processes), of ${cores} cores`, formatDecimal(saturation.machineCpu.mean), formatDecimal(saturation.machineCpu.max), NO_VALUE, NO_VALUE]);
  return rows;
}

/** The sentence under the table: what makes a run harness-bound, and whether this one is. */
export function saturationSummary(saturation: SaturationResults): string {
  const share = formatPercent(saturation.thresholds.boundSecondsShare, 1);
  const h = saturation.harness;
  const marked = [h.bound ? 'harness-bound' : '', h.contended ? 'cpu-contended' : ''].filter((m) => m !== '').join(' and ');
  const starved = h.starvedSeconds.length > 0 ? ` (starved by other processes in ${secondRanges(h.starvedSeconds)})` : '';
  const verdict =
    marked !== '' ? `The harness was saturated in seconds ${h.affected}${starved}: this run is ${marked}.` : h.saturatedSeconds.length > 0 ? `The harness was saturated in seconds ${h.affected}${starved}, too few to mark the run.` : 'The harness kept up in every second.';
  const db = isDatabaseMeasured(saturation.database) && saturation.database.saturatedSeconds.length > 0 ? ` The database used nearly all the CPU left to it in seconds ${saturation.database.affected}.` : '';
  return (
    `Sampled every second of the run phase (${saturation.seconds} s; per second in timeseries.jsonl, series "saturation"). A run is marked harness-bound when at least ${share} of its seconds were saturated by the harness's own work, ` +
    `cpu-contended when at least ${share} were saturated because other processes had the CPU (the main thread waited for a CPU longer than it ran). ${verdict}${db}`
  );
}
