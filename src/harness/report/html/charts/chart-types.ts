import type { TopLevelSpec } from 'vega-lite';
import type { FaultRecord, RunResults } from '../../../results/results-types.ts';
import type { HistoryDigest } from '../digest/digest-types.ts';

// A chart is a function of the run's results and the streamed history digest that returns a
// vega-lite spec, or undefined when it does not apply (no replicas: no lag chart). New kinds of
// run add a builder to the registry: a partitioned topology a per-shard load heatmap, a regional
// one latency per region, each with whatever its digest collects.

export type ChartSpec = TopLevelSpec;
/** One panel of a concatenated chart (small multiples, stacked panels). */
export type ChartPanel = Extract<TopLevelSpec, { vconcat: unknown }>['vconcat'][number];
/** One layer of a layered chart (what fault shading and data marks are made of). */
export type ChartLayer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

export interface ChartContext {
  readonly results: RunResults;
  readonly digest: HistoryDigest;
  /** The fault timeline to shade: results.json's, or the history's when the run stopped before recording it. */
  readonly faults: readonly FaultRecord[];
  /** Operations that ran, in the scenario's canonical order (fixes each one's colour). */
  readonly operations: readonly string[];
}

export interface ChartBuilder {
  /** File name stem: charts/<name>.vl.json, and the figure's anchor in the page. */
  readonly name: string;
  readonly title: string;
  /** One plain sentence: what to look at (teaching mode). */
  readonly caption: string;
  build(context: ChartContext): ChartSpec | undefined;
  /** Title and caption when what the lines are depends on the run (replicas, directions, links); else the static ones. */
  describe?(context: ChartContext): { readonly title: string; readonly caption: string };
  /** Facts about what the chart shows of the data (a sample, wide buckets), when there are any. */
  note?(context: ChartContext): string | undefined;
}
