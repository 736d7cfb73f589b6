import { readHistory } from '../history/history-reader.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { at, duration, MAX_EXAMPLES, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { AFTER_HEAL_MS, type FailoverOutage, type FaultOutage, WriteOutageTracker } from './write-outage-tracker.ts';

// Availability for writes, from the history alone: how long each fault kept every write
// (checkout, add-to-cart, rate-product, restock, expire-carts, recommendations) from succeeding,
// and, when the primary was hit, how long until the first write succeeded again (failover time).
//
// It is a measurement, so it passes unless writes never came back after the last heal: that is a
// system that did not recover, not a slow one. Without faults there is no outage to attribute.

function faultExample(fault: FaultOutage): Record<string, unknown> {
  return {
    faultId: fault.faultId,
    kind: fault.kind,
    targets: fault.targets,
    start: roundMs(fault.start),
    end: fault.end === undefined ? null : roundMs(fault.end),
    unavailableMs: roundMs(fault.longest),
    longestGap: { from: roundMs(fault.gapFrom), to: roundMs(fault.gapTo) },
    ...(fault.hitsPrimary ? { failoverMs: failoverMs(fault) ?? null } : {}),
    firstOkWriteAt: fault.firstOkWrite === undefined ? null : roundMs(fault.firstOkWrite),
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
    okWrites: tracker.okWrites,
    maxUnavailableMs: roundMs(Math.max(0, ...faults.map((fault) => fault.longest))),
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

function examplesOf(tracker: WriteOutageTracker, faults: readonly FaultOutage[]): object[] {
  const failovers = tracker.failovers.map((failover) => ({
    failover: `${failover.from} → ${failover.to}`,
    detectedAt: roundMs(failover.detectedAt),
    promotedAt: roundMs(failover.promotedAt),
    firstOkWriteAt: failover.firstOkWrite === undefined ? null : roundMs(failover.firstOkWrite),
    failoverMs: failoverEventMs(failover) ?? null,
  }));
  // The worst outages first: they are what a reader looks for.
  const worst = [...faults].sort((a, b) => b.longest - a.longest).map(faultExample);
  return [...worst.slice(0, MAX_EXAMPLES - Math.min(failovers.length, 3)), ...failovers].slice(0, MAX_EXAMPLES);
}

function describeOutages(tracker: WriteOutageTracker, faults: readonly FaultOutage[]): string {
  const seconds = tracker.zeroWriteSeconds();
  const whole = `Over the whole load, ${plural(seconds.empty, 'second')} of ${seconds.measured} had no successful write.`;
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
    `${plural(faults.length, 'fault')}, the longest stretch without a successful write, within each fault and the ` +
    `${AFTER_HEAL_MS / 1000} s after it healed, was ${duration(worst.longest)}, during fault #${worst.faultId} ` +
    `(${worst.kind} of ${worst.targets.join(', ') || 'no node'}) from ${at(worst.gapFrom)} to ${at(worst.gapTo)}.${failover} ${whole}`
  );
}

/** Judges the history: a measurement, failing only when writes stayed away after the last heal. */
export async function evaluateAvailability(history: HistorySource): Promise<CheckResult> {
  const tracker = new WriteOutageTracker();
  for await (const event of history) tracker.accept(event);
  tracker.finish();
  const faults = [...tracker.faults.values()].sort((a, b) => a.faultId - b.faultId);
  const counts = countsOf(tracker, faults);
  const examples = examplesOf(tracker, faults);
  const unhealed = faults.filter((fault) => fault.end === undefined || fault.end >= tracker.stoppedAt).length;
  counts.faultsHealedAfterLoad = unhealed;
  counts.maxWritablePrimaries = tracker.maxWritable;
  const summary = describeOutages(tracker, faults);
  if (tracker.splitBrain) {
    return {
      verdict: 'invalid',
      counts,
      examples: [{ splitBrainAt: tracker.splitBrain.at, writable: tracker.splitBrain.nodes }, ...examples],
      explanation:
        `Split brain: at ${at(tracker.splitBrain.at)} ${tracker.splitBrain.nodes.join(' and ')} were accepting writes at the same time, ` +
        `so the two copies can diverge and acknowledged writes can be lost when one is thrown away. ${summary}`,
    };
  }
  if (faults.length === 0 && tracker.failovers.length === 0) {
    return { verdict: 'unknown', counts, examples, explanation: `No fault was injected, so there is no outage to measure. ${summary}` };
  }
  const heals = faults.map((fault) => fault.end).filter((end): end is number => end !== undefined && end < tracker.stoppedAt);
  const lastHeal = heals.length === 0 ? undefined : Math.max(...heals);
  const healNote =
    unhealed === 0 ? '' : ` ${plural(unhealed, 'fault')} healed only after the load stopped, so recovery from them was not observed.`;
  if (lastHeal !== undefined && tracker.lastOkWrite <= lastHeal) {
    if (tracker.lastWriteInvoke > lastHeal) {
      return {
        verdict: 'invalid',
        counts,
        examples,
        explanation:
          `Writes never came back: the last fault healed at ${at(lastHeal)}, writes were still tried after that, ` +
          `and none succeeded before the load stopped at ${at(tracker.stoppedAt)}. ${summary}`,
      };
    }
    return {
      verdict: 'unknown',
      counts,
      examples,
      explanation: `The last fault healed at ${at(lastHeal)} and no write was tried after it, so recovery cannot be judged. ${summary}`,
    };
  }
  return { verdict: 'valid', counts, examples, explanation: `${summary}${healNote}` };
}

export const availabilityChecker: Checker = {
  name: 'availability',
  async check(ctx) {
    return evaluateAvailability(readHistory(ctx.historyPath));
  },
};
