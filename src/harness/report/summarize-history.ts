import { readHistory } from '../history/history-reader.ts';
import type { HistoryEvent } from '../history/history-types.ts';
import { LatencyRecorder } from '../metrics/latency-recorder.ts';
import type { OperationName } from '../scenario/schema.ts';
import type { FailoverRecord, FaultRecord } from '../results/results-types.ts';

// What a run measured, read back from its history alone: the figures a run computes while it
// runs (latencies per operation, faults, failovers), rebuilt afterwards for a run whose harness
// died before it could report them. The same rules as the driver's: an operation counts when it
// was meant to start in the measured phase (after warmup), and its latency is the completion's.

/** Late by more than this (open loop: started after its intended time) counts as a late start, as in the driver. */
const LATE_MS = 1;

export interface HistorySummary {
  readonly recorder: LatencyRecorder;
  /** History events read (a truncated last line is not one). */
  readonly events: number;
  /** From the start of the measured phase to the last completion in it, ms (0 when it never began). */
  readonly measuredMs: number;
  /** Run-clock times: the load's start (the warmup phase event) and the measured phase's start. */
  readonly loadStart?: number;
  readonly runStart?: number;
  /** The warmup event's wall clock: run-clock times become dates from it. */
  readonly loadStartWallClock?: string;
  /** The last time anything was recorded (run clock). */
  readonly lastTime: number;
  /** Operations invoked and never completed: the harness died with them in flight. */
  readonly inFlight: number;
  readonly workers: number;
  readonly lateStarts: number;
  readonly faults: FaultRecord[];
  readonly failovers: FailoverRecord[];
  readonly truncatedLine?: number;
}

interface Invoked {
  readonly f: OperationName;
  readonly start: number;
}

/** Streams the history once; `warmupMs` is the scenario's (the measured phase starts that long after the load). */
export async function summarizeHistory(historyPath: string, warmupMs: number): Promise<HistorySummary> {
  const recorder = new LatencyRecorder();
  const invoked = new Map<number, Invoked>();
  const workers = new Set<number>();
  const faults = new Map<number, { kind: string; targets: readonly string[]; start?: number; end?: number; error?: string }>();
  const failovers: { from: string; to: string; time: number; detectedAt: number }[] = [];
  let events = 0;
  let loadStart: number | undefined;
  let loadStartWallClock: string | undefined;
  let lastTime = 0;
  let lastCompletion: number | undefined;
  let lateStarts = 0;
  let truncatedLine: number | undefined;
  const runStart = () => (loadStart === undefined ? Infinity : loadStart + warmupMs);

  const onEvent = (event: HistoryEvent) => {
    events++;
    lastTime = Math.max(lastTime, event.time);
    switch (event.type) {
      case 'phase':
        if (event.phase === 'warmup' && loadStart === undefined) {
          loadStart = event.time;
          loadStartWallClock = event.wallClock;
        }
        break;
      case 'invoke': {
        const start = event.intended ?? event.time;
        invoked.set(event.id, { f: event.f, start });
        workers.add(event.worker);
        if (event.intended !== undefined && start >= runStart() && event.time - event.intended > LATE_MS) lateStarts++;
        break;
      }
      case 'ok':
      case 'fail':
      case 'info': {
        const invoke = invoked.get(event.id);
        invoked.delete(event.id);
        const measured = (invoke?.start ?? event.time - event.latency) >= runStart();
        recorder.record(event.f, event.type, event.latency, event.error, measured);
        if (measured) lastCompletion = Math.max(lastCompletion ?? event.time, event.time);
        break;
      }
      case 'fault': {
        const fault = faults.get(event.id) ?? { kind: event.kind, targets: event.targets };
        if (event.action === 'start') fault.start = event.time;
        else fault.end = event.time;
        if (event.error !== undefined) fault.error = event.error;
        faults.set(event.id, fault);
        break;
      }
      case 'failover':
        failovers.push({ from: event.from, to: event.to, time: event.time, detectedAt: event.detectedAt });
        break;
      default:
        break;
    }
  };
  for await (const event of readHistory(historyPath, { onTruncatedLine: (line) => (truncatedLine = line) })) onEvent(event);

  const start = runStart();
  const began = Number.isFinite(start);
  const ms = (time: number) => Math.round(time - (began ? start : 0));
  return {
    recorder,
    events,
    measuredMs: began && lastCompletion !== undefined ? Math.max(0, lastCompletion - start) : 0,
    ...(loadStart === undefined ? {} : { loadStart, loadStartWallClock }),
    ...(began ? { runStart: start } : {}),
    lastTime,
    inFlight: invoked.size,
    workers: workers.size,
    lateStarts,
    faults: [...faults].flatMap(([id, f]) =>
      f.start === undefined
        ? []
        : [{ id, kind: f.kind, targets: f.targets, startMs: ms(f.start), ...(f.end === undefined ? {} : { endMs: ms(f.end) }), ...(f.error === undefined ? {} : { error: f.error }) }],
    ),
    failovers: failovers.map((f) => ({ from: f.from, to: f.to, detectedAtMs: ms(f.detectedAt), promotedAtMs: ms(f.time) })),
    ...(truncatedLine === undefined ? {} : { truncatedLine }),
  };
}
