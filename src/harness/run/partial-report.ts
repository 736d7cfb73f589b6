import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from '../output/exit-codes.ts';
import { settleRunHistory } from '../history/settle-run-history.ts';
import { writeExports } from '../export/write-exports.ts';
import { writeReportHtml } from '../report/html/write-report-html.ts';
import { incompleteRun, readPartialMarker } from '../report/partial-runs.ts';
import type { PartialRunSummary, RunResults } from '../results/results-types.ts';
import { summarizeHistory, type HistorySummary } from '../report/summarize-history.ts';
import { writeReportMd } from '../report/write-report-md.ts';
import { RESULTS_FILE, writeResultsJson } from '../report/write-results-json.ts';
import type { CheckResult } from '../checker/checker-types.ts';
import { LatencyRecorder } from '../metrics/latency-recorder.ts';
import { buildResults } from './run-state.ts';

// `faultline report <run-dir>`: a run whose harness was killed (SIGKILL, a crash) never wrote its
// reports, but its folder keeps the PARTIAL marker (with the resolved scenario), history.jsonl (and
// its spill, history.records, and in a threaded run the threads' history-thread-N files, which
// settleRunHistory prints and merges into it) and timeseries.jsonl. This rebuilds what the run would have reported from them, marked partial:
// results.json (run.partial), report.md and report.html say so at the top. No check runs: the
// final state went with the servers, so every check is unknown, with why. The folder keeps its
// PARTIAL marker: the run is still incomplete, and compare still leaves it out.

const HISTORY = 'history.jsonl';
const TIMESERIES = 'timeseries.jsonl';

export interface PartialReport {
  readonly results: RunResults;
  /** Files written, relative to the run folder. */
  readonly written: readonly string[];
}

const exists = (file: string) => stat(file).then(() => true, () => false);

export async function writePartialReport(runDir: string, now: Date = new Date()): Promise<PartialReport> {
  const { results, recorder } = await summarizeKilledRun(runDir, now);
  const formats = results.resolvedScenario.report.formats;
  const written: string[] = [RESULTS_FILE];
  await writeResultsJson(runDir, results);
  if (formats.includes('md')) written.push(await writeReportMd(runDir, results).then(() => 'report.md'));
  if (formats.includes('html')) written.push(await writeReportHtml(runDir, results).then(() => 'report.html'));
  await writeExports(runDir, results, { recorder });
  return { results, written };
}

/**
 * The partial results of a killed run's folder, and the latencies they came from; a UsageError
 * (exit 2) says why when there is nothing to summarise.
 */
export async function summarizeKilledRun(runDir: string, now: Date = new Date()): Promise<{ results: RunResults; recorder: LatencyRecorder }> {
  if (!(await stat(runDir).then((s) => s.isDirectory(), () => false))) throw new UsageError(`${runDir}: no such run folder`);
  const marker = await readPartialMarker(runDir);
  const resultsPath = join(runDir, RESULTS_FILE);
  if (marker === undefined) {
    throw new UsageError(
      (await exists(resultsPath))
        ? `${runDir} is a complete run (no PARTIAL marker): its report is already there (report.md, report.html, results.json)`
        : `${runDir} is not a run folder: it has neither a PARTIAL marker nor results.json`,
    );
  }
  const run = (await incompleteRun(runDir))!;
  if (run.state === 'running') throw new UsageError(`${runDir} is still running (pid ${run.pid}): it writes its own report when it ends (Ctrl-C stops it and reports)`);
  if (await exists(resultsPath)) {
    const earlier = JSON.parse(await readFile(resultsPath, 'utf8')) as Partial<RunResults>;
    if (!earlier.run?.partial) {
      throw new UsageError(`${runDir}: its harness wrote results.json before it died; that report stands (its PARTIAL marker only says the last files may be missing)`);
    }
  }
  const scenario = marker.resolvedScenario;
  if (!scenario) {
    throw new UsageError(
      `${runDir}: its PARTIAL marker does not hold the scenario (cut short by the kill, or written by an older faultline), so no report can be made; ` +
        `${HISTORY} and ${TIMESERIES} are there to read`,
    );
  }

  const historyPath = join(runDir, HISTORY);
  // The history threads print behind the load (what they had not printed is in their spills), and
  // a run in load threads merges its threads' files only at close: both are done here.
  await settleRunHistory(historyPath);
  const history: HistorySummary = (await exists(historyPath))
    ? await summarizeHistory(historyPath, scenario.workload.warmup)
    : { recorder: new LatencyRecorder(), events: 0, measuredMs: 0, lastTime: 0, inFlight: 0, workers: 0, lateStarts: 0, faults: [], failovers: [] };
  const lastProgress = await lastTimeseriesSample(join(runDir, TIMESERIES));
  const from = ['PARTIAL', ...(history.events > 0 ? [HISTORY] : []), ...(lastProgress === undefined ? [] : [TIMESERIES])];
  const partial: PartialRunSummary = {
    reason: 'harness-stopped',
    pid: run.pid,
    summarisedAt: now.toISOString(),
    from,
    historyEvents: history.events,
    inFlight: history.inFlight,
    ...(history.truncatedLine === undefined ? {} : { truncatedLine: history.truncatedLine }),
    ...(lastProgress === undefined ? {} : { lastProgress }),
  };
  const startedAt = new Date(marker.startedAt ?? now.toISOString());
  const checks: Record<string, CheckResult> = Object.fromEntries(
    scenario.checks.map((name) => [
      name,
      { verdict: 'unknown', counts: {}, examples: [], explanation: 'Not checked: the harness was killed, and the final state the check reads went with its servers.' } satisfies CheckResult,
    ]),
  );
  const built = buildResults(
    {
      runId: runDir.replace(/[\\/]+$/, '').split(/[\\/]/).pop()!,
      startedAt,
      scenario,
      status: 'interrupted',
      error: describeKill(partial, history),
      topologyKind: scenario.topology.kind,
      nodes: marker.nodes ?? [],
      checks,
      faults: history.faults,
      failovers: history.failovers,
      ...(history.runStart === undefined ? {} : { driver: { workers: history.workers, measuredMs: history.measuredMs, lateStarts: history.lateStarts, drainMs: 0 } }),
    },
    history.recorder,
    phaseDurations(history, scenario.workload.warmup),
  );
  const results = { ...built, run: { ...built.run, finishedAt: lastRecorded(history) ?? built.run.finishedAt, partial } };
  return { results, recorder: history.recorder };
}

function describeKill(partial: PartialRunSummary, history: HistorySummary): string {
  const measured =
    history.runStart === undefined
      ? history.loadStart === undefined
        ? 'It was killed before the load began: nothing was measured.'
        : 'It was killed during warmup: no operation of the measured phase was recorded.'
      : `${partial.inFlight} operation(s) were in flight when it stopped: their outcome is unknown and they are in no figure.`;
  return (
    `The harness (pid ${partial.pid}) stopped without writing its report (killed). This report was summarised afterwards by ` +
    `faultline report from ${partial.from.join(', ')}. ${measured} No check ran: the final state went with the servers.`
  );
}

/** Warmup and run as far as they got. */
function phaseDurations(history: HistorySummary, warmupMs: number): Record<string, number> {
  if (history.loadStart === undefined) return {};
  const warmup = Math.round(Math.min(warmupMs, history.lastTime - history.loadStart));
  return history.runStart === undefined ? { warmup } : { warmup, run: Math.round(history.measuredMs) };
}

/** When the last event was recorded, as a date (from the warmup event's wall clock). */
function lastRecorded(history: HistorySummary): string | undefined {
  if (history.loadStart === undefined || history.loadStartWallClock === undefined) return undefined;
  const base = Date.parse(history.loadStartWallClock);
  return Number.isNaN(base) ? undefined : new Date(base + (history.lastTime - history.loadStart)).toISOString();
}

/** The last complete progress sample; a line cut short by the kill is skipped. */
async function lastTimeseriesSample(file: string): Promise<PartialRunSummary['lastProgress']> {
  if (!(await exists(file))) return undefined;
  let last: PartialRunSummary['lastProgress'];
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    try {
      const sample = JSON.parse(line) as { t?: unknown; phase?: unknown };
      if (typeof sample.t === 'number' && typeof sample.phase === 'string') last = { t: sample.t, phase: sample.phase };
    } catch {
      // The kill's partial last line.
    }
  }
  return last;
}
