import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readHistory } from '../src/harness/history/history-reader.ts';
import { scratchBase } from '../src/harness/process/runtime-root.ts';
import { buildChartContext } from '../src/harness/report/html/charts/build-chart-context.ts';
import { CHART_BUILDERS } from '../src/harness/report/html/charts/chart-registry.ts';
import { loadChartEngines } from '../src/harness/report/html/charts/render-chart-svg.ts';
import { REPORT_HTML_FILE, renderCharts, writeReportHtml } from '../src/harness/report/html/write-report-html.ts';
import { syntheticResults, writeSyntheticHistory, type SyntheticRunOptions } from '../test/unit/report/html/synthetic-run.ts';
import { BENCH_MARKER, fixed, median, timed, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// What report.html's charts cost at the end of a run: every chart of a 60 s run (300,000
// operations at the quickstart's rate, a partition, a kill with a failover, lag samples) drawn
// from its history: one streaming pass that aggregates it, then spec, vega compile, SVG and its
// safety check per chart (the code report.html runs, minus writing files). Baseline: just stream-reading the same history with readHistory (what every checker
// does), so the ratio says what the charts add to reading the file once. vega's import is paid
// once per process and reported apart; so is the first, cold round (a run draws its charts once,
// with V8 not yet warmed up for vega), and the headline is the median of the warm rounds.

const NAME = 'render-charts';
const ROUNDS = 5;
const GOAL_MS = 2_000;
const RUN: SyntheticRunOptions = { seconds: 60, opsPerSecond: 5_000, failoverAfterSeconds: 1.2 };

interface RoundFigures {
  readonly readMs: number;
  readonly digestMs: number;
  readonly drawMs: number;
  readonly totalMs: number;
  readonly charts: number;
}

async function readOnly(path: string): Promise<number> {
  let events = 0;
  for await (const _event of readHistory(path)) events++;
  return events;
}

async function measureRound(path: string): Promise<RoundFigures> {
  const results = syntheticResults(RUN);
  const read = await timed(() => readOnly(path));
  const digest = await timed(() => buildChartContext(results, path));
  const notes: string[] = [];
  const draw = await timed(() => renderCharts(digest.value, CHART_BUILDERS, notes));
  if (notes.length > 0) throw new Error(`charts missing: ${notes.join('; ')}`);
  return { readMs: read.ms, digestMs: digest.ms, drawMs: draw.ms, totalMs: digest.ms + draw.ms, charts: draw.value.length };
}

export async function runBench(print: Print): Promise<BenchReport> {
  const dir = join(scratchBase(), `${BENCH_MARKER}-charts`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'history.jsonl');
  const rounds: RoundFigures[] = [];
  let operations = 0;
  let historyBytes = 0;
  let importMs = 0;
  let htmlBytes = 0;
  let cold: RoundFigures | undefined;
  try {
    operations = await writeSyntheticHistory(path, RUN);
    historyBytes = (await stat(path)).size;
    print(`  history: ${operations.toLocaleString('en-US')} measured operations, ${fixed(historyBytes / 1e6, 0)} MB`);
    importMs = (await timed(() => loadChartEngines())).ms;
    cold = await measureRound(path);
    print(`  cold round (first in this process): ${cold.charts} charts in ${fixed(cold.totalMs / 1000, 2)} s, vega import before it ${fixed(importMs / 1000, 2)} s`);
    for (let round = 0; round < ROUNDS; round++) {
      const r = await measureRound(path);
      rounds.push(r);
      print(
        `  round ${round + 1}/${ROUNDS}: ${r.charts} charts in ${fixed(r.totalMs / 1000, 2)} s ` +
          `(history digest ${fixed(r.digestMs / 1000, 2)} s + drawing ${fixed(r.drawMs / 1000, 2)} s), read only ${fixed(r.readMs / 1000, 2)} s`,
      );
    }
    await writeReportHtml(dir, syntheticResults(RUN), [], { historyPath: path });
    htmlBytes = (await stat(join(dir, REPORT_HTML_FILE))).size;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const totalMs = median(rounds.map((r) => r.totalMs));
  const readMs = median(rounds.map((r) => r.readMs));
  const digestMs = median(rounds.map((r) => r.digestMs));
  const drawMs = median(rounds.map((r) => r.drawMs));
  const charts = rounds[0]?.charts ?? 0;
  const ratio = totalMs / readMs;
  const met = totalMs < GOAL_MS;
  await writeFigures(NAME, {
    unit: 'ms to draw every chart of a 60 s run from its history (vega warm)',
    run: { ...RUN, operations, historyBytes },
    rounds: ROUNDS,
    medians: { totalMs, digestMs, drawMs, readOnlyMs: readMs },
    perRound: rounds,
    vegaImportMs: importMs,
    coldRound: cold,
    charts,
    reportHtmlBytes: htmlBytes,
    ratioToBaseline: ratio,
    goal: { totalMsBelow: GOAL_MS },
    met,
  });
  const line =
    `render-charts: ${fixed(totalMs / 1000, 2)} s for ${charts} charts of a 60 s run ` +
    `(vs ${fixed(readMs / 1000, 2)} s to stream-read its history -> ratio ${fixed(ratio, 2)}) (goal < ${GOAL_MS / 1000} s) ${verdict(met)}`;
  const detail =
    `  split: history digest ${fixed(digestMs / 1000, 2)} s, specs + vega + SVG ${fixed(drawMs / 1000, 2)} s; ` +
    `once per process: vega import ${fixed(importMs / 1000, 2)} s, first (cold) round ${fixed((cold?.totalMs ?? Number.NaN) / 1000, 2)} s; ` +
    `report.html ${fixed(htmlBytes / 1e6, 2)} MB for ${operations.toLocaleString('en-US')} operations`;
  return { name: NAME, line, met, detail };
}
