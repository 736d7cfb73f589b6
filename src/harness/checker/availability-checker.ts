import { readHistory } from '../history/history-reader.ts';
import { AvailabilityBounds } from '../scenario/availability-lag-bounds-schema.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { at, duration, MAX_EXAMPLES, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { type FailoverOutage, type FaultOutage, WriteOutageTracker } from './write-outage-tracker.ts';

// Availability for writes, from the history alone: how long writes (checkout, add-to-cart,
// rate-product, restock, expire-carts, recommendations) went without a single success while some
// were waiting, over the whole load and per fault (from its start until the first successful
// write after it healed: the whole outage, recovery included), and, when the primary was hit, how
// long until the first write succeeded again (failover time).
//
// Judged against explicit bounds (scenario bounds.availability): maxUnavailable overall and per
// fault kind. Invalid also when two nodes accepted writes at once (split brain) or writes never
// came back after the last heal though they were tried.

function faultExample(fault: FaultOutage, boundMs: number): Record<string, unknown> {
  return {
    faultId: fault.faultId,
    kind: fault.kind,
    targets: fault.targets,
    start: roundMs(fault.start),
    end: fault.end === undefined ? null : roundMs(fault.end),
    unavailableMs: roundMs(fault.longest),
    boundMs,
    longestGap: { from: roundMs(fault.gapFrom), to: roundMs(fault.gapTo) },
    ...(fault.hitsPrimary ? { failoverMs: failoverMs(fault) ?? null } : {}),
    firstOkWriteAt: fault.firstOkWrite === undefined ? null : roundMs(fault.firstOkWrite),
    recoveredAt: fault.recoveredAt === undefined ? null : roundMs(fault.recoveredAt),
    ...(fault.error === undefined ? {} : { error: fault.error }),
  };
}

function failoverMs(fault: FaultOutage): number | undefined {
  return fault.firstOkWrite === undefined ? undefined : roundMs(fault.firstOkWrite - fault.start);
}

function failoverEventMs(failover: FailoverOutage): number | undefined {
  return failover.firstOkWrite === undefined ? undefined : roundMs(failover.firstOkWrite - failover.detectedAt);
}

function countsOf(tracker: WriteOutageTracker, faults: readonly FaultOutage[]): Record<string, number> {
  const seconds = tracker.zeroWriteSeconds();
  const counts: Record<string, number> = {
    faults: faults.length,
    failovers: tracker.failovers.length,
    writesTried: tracker.writesTried,
    okWrites: tracker.okWrites,
    maxUnavailableMs: roundMs(Math.max(tracker.longest.ms, ...faults.map((fault) => fault.longest))),
    maxFaultUnavailableMs: roundMs(Math.max(0, ...faults.map((fault) => fault.longest))),
    measuredMs: seconds.measured * 1000,
    zeroWriteMs: seconds.empty * 1000,
  };
  const failoverTimes: number[] = [];
  for (const fault of faults) {
    counts[`fault.${fault.faultId}.unavailableMs`] = roundMs(fault.longest);
    const ms = fault.hitsPrimary ? failoverMs(fault) : undefined;
    if (ms !== undefined) {
      counts[`fault.${fault.faultId}.failoverMs`] = ms;
      failoverTimes.push(ms);
    }
  }
  tracker.failovers.forEach((failover, i) => {
    const ms = failoverEventMs(failover);
    if (ms === undefined) return;
    counts[`failover.${i + 1}.failoverMs`] = ms;
    failoverTimes.push(ms);
  });
  if (failoverTimes.length > 0) counts.maxFailoverMs = Math.max(...failoverTimes);
  return counts;
}

function examplesOf(tracker: WriteOutageTracker, faults: readonly FaultOutage[], boundOf: (kind: string) => number): object[] {
  const failovers = tracker.failovers.map((failover) => ({
    failover: `${failover.from} → ${failover.to}`,
    detectedAt: roundMs(failover.detectedAt),
    promotedAt: roundMs(failover.promotedAt),
    firstOkWriteAt: failover.firstOkWrite === undefined ? null : roundMs(failover.firstOkWrite),
    failoverMs: failoverEventMs(failover) ?? null,
  }));
  // The worst outages first: they are what a reader looks for.
  const worst = [...faults].sort((a, b) => b.longest - a.longest).map((fault) => faultExample(fault, boundOf(fault.kind)));
  return [...worst.slice(0, MAX_EXAMPLES - Math.min(failovers.length, 3)), ...failovers].slice(0, MAX_EXAMPLES);
}

function describeOutages(tracker: WriteOutageTracker, faults: readonly FaultOutage[]): string {
  const seconds = tracker.zeroWriteSeconds();
  const longest = tracker.longest;
  const overall =
    longest.ms > 0
      ? ` The longest stretch without a successful write while writes were waiting was ${duration(longest.ms)}, from ${at(longest.from)} to ${at(longest.to)}.`
      : '';
  const whole = `Over the whole load, ${plural(seconds.empty, 'second')} of ${seconds.measured} had no successful write.${overall}`;
  if (faults.length === 0) return whole;
  const worst = faults.reduce((a, b) => (b.longest > a.longest ? b : a));
  const primaryHits = faults.filter((fault) => fault.hitsPrimary);
  const recovered = primaryHits.map(failoverMs).filter((ms): ms is number => ms !== undefined);
  const failover =
    primaryHits.length === 0
      ? ''
      : ` ${plural(primaryHits.length, 'fault')} hit the primary; the first write succeeded again ` +
        (recovered.length === 0 ? 'never.' : `after at most ${duration(Math.max(...recovered))} (failover time).`);
  return (
    `Writes (checkouts, carts, ratings, restocks…) were counted as available whenever one completed ok. Across ` +
    `${plural(faults.length, 'fault')}, the longest stretch without a successful write, from a fault's start until the first ` +
    `successful write after it healed, was ${duration(worst.longest)}, during fault #${worst.faultId} ` +
    `(${worst.kind} of ${worst.targets.join(', ') || 'no node'}) from ${at(worst.gapFrom)} to ${at(worst.gapTo)}.${failover} ${whole}`
  );
}

/** The bound as applied, for results.json: overall, and each fault kind that has its own. */
function boundRecord(bounds: AvailabilityBounds): Record<string, number> {
  const record: Record<string, number> = { maxUnavailableMs: bounds.maxUnavailable };
  for (const [kind, ms] of Object.entries(bounds.perFault)) if (ms !== undefined) record[`maxUnavailableMs.${kind}`] = ms;
  return record;
}

/** Judges the history against the bounds (defaults when omitted: AvailabilityBounds). */
export async function evaluateAvailability(history: HistorySource, bounds: AvailabilityBounds = AvailabilityBounds.parse(undefined)): Promise<CheckResult> {
  const tracker = new WriteOutageTracker();
  for await (const event of history) tracker.accept(event);
  tracker.finish();
  const boundOf = (kind: string) => bounds.perFault[kind as keyof typeof bounds.perFault] ?? bounds.maxUnavailable;
  const faults = [...tracker.faults.values()].sort((a, b) => a.faultId - b.faultId);
  const counts = countsOf(tracker, faults);
  const examples = examplesOf(tracker, faults, boundOf);
  const unhealed = faults.filter((fault) => fault.end === undefined || fault.end >= tracker.stoppedAt);
  counts.faultsHealedAfterLoad = unhealed.length;
  counts.maxWritablePrimaries = tracker.maxWritable;
  // Two writers: how long in all and at most at once (0 when never), so a failover manager's
  // overlap is a figure to compare, not only a verdict.
  counts.splitBrainMs = roundMs(tracker.splitBrainMs);
  counts.longestSplitBrainMs = roundMs(tracker.longestSplitBrainMs);
  const observed = faults.filter((fault) => fault.recoveredAt !== undefined).length;
  const bound = boundRecord(bounds);
  const coverage = { writesTried: tracker.writesTried, okWrites: tracker.okWrites, faults: faults.length, faultsRecoveryObserved: observed, measuredMs: counts.measuredMs! };
  const result = (verdict: CheckResult['verdict'], explanation: string, extra: readonly object[] = []): CheckResult => ({
    verdict,
    counts,
    examples: [...extra, ...examples].slice(0, MAX_EXAMPLES),
    explanation,
    bound,
    coverage,
  });
  const summary = describeOutages(tracker, faults);
  if (tracker.splitBrain) {
    return result(
      'invalid',
      `Split brain: at ${at(tracker.splitBrain.at)} ${tracker.splitBrain.nodes.join(' and ')} were accepting writes at the same time, ` +
        `so the two copies can diverge and acknowledged writes can be lost when one is thrown away. ${summary}`,
      [{ splitBrainAt: tracker.splitBrain.at, writable: tracker.splitBrain.nodes }],
    );
  }
  if (tracker.writesTried === 0) return result('unknown', `No write was tried, so write availability cannot be judged. ${summary}`);
  const heals = faults.map((fault) => fault.end).filter((end): end is number => end !== undefined && end < tracker.stoppedAt);
  const lastHeal = heals.length === 0 ? undefined : Math.max(...heals);
  if (lastHeal !== undefined && tracker.lastOkWrite <= lastHeal && tracker.lastWriteInvoke > lastHeal) {
    return result(
      'invalid',
      `Writes never came back: the last fault healed at ${at(lastHeal)}, writes were still tried after that, ` +
        `and none succeeded before the load stopped at ${at(tracker.stoppedAt)}. ${summary}`,
    );
  }
  // Over a bound: invalid even if recovery was not seen (an outage still open at the end only grows).
  const overFault = faults.filter((fault) => fault.longest > boundOf(fault.kind)).sort((a, b) => b.longest - a.longest);
  if (overFault.length > 0) {
    const worst = overFault[0]!;
    return result(
      'invalid',
      `Fault #${worst.faultId} (${worst.kind} of ${worst.targets.join(', ') || 'no node'}) kept writes from succeeding for ` +
        `${duration(worst.longest)}, from ${at(worst.gapFrom)} to ${at(worst.gapTo)}, over its bound of ${duration(boundOf(worst.kind))} ` +
        `(bounds.availability${bounds.perFault[worst.kind as keyof typeof bounds.perFault] === undefined ? '.maxUnavailable' : `.perFault.${worst.kind}`})` +
        `${overFault.length > 1 ? `; ${plural(overFault.length, 'fault')} exceeded their bound` : ''}. ${summary}`,
    );
  }
  if (tracker.longest.ms > bounds.maxUnavailable) {
    const { ms, from, to } = tracker.longest;
    return result(
      'invalid',
      `Writes went ${duration(ms)} without a success while they were being tried, from ${at(from)} to ${at(to)}, ` +
        `over the bound of ${duration(bounds.maxUnavailable)} (bounds.availability.maxUnavailable). ${summary}`,
    );
  }
  if (lastHeal !== undefined && tracker.lastOkWrite <= lastHeal) {
    return result('unknown', `The last fault healed at ${at(lastHeal)} and no write was tried after it, so recovery cannot be judged. ${summary}`);
  }
  // A fault still in force when the load stopped, with no write succeeding since it began: its recovery was never seen.
  const blind = unhealed.filter((fault) => fault.firstOkWrite === undefined);
  if (blind.length > 0) {
    return result(
      'unknown',
      `${plural(blind.length, 'fault')} (${blind.map((fault) => `#${fault.faultId} ${fault.kind}`).join(', ')}) still in force when the load stopped, ` +
        `with no successful write since ${blind.length === 1 ? 'it' : 'they'} began: recovery was not observed ` +
        `(workload.afterLastHeal.maxExtension lets the load wait for heals). ${summary}`,
    );
  }
  const healNote =
    unhealed.length === 0 ? '' : ` ${plural(unhealed.length, 'fault')} healed only after the load stopped; writes went on succeeding while in force.`;
  const perFault = Object.keys(bounds.perFault).length > 0 ? ', and each fault within its kind\'s bound' : '';
  return result('valid', `Every outage stayed within ${duration(bounds.maxUnavailable)} (bounds.availability.maxUnavailable)${perFault}. ${summary}${healNote}`);
}

export const availabilityChecker: Checker = {
  name: 'availability',
  async check(ctx) {
    return evaluateAvailability(readHistory(ctx.historyPath), ctx.bounds?.availability);
  },
};
