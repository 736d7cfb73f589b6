import { describe, expect, it } from 'vitest';
import { CHART_BUILDERS } from '../../../../src/harness/report/html/charts/chart-registry.ts';
import type { ChartLayer, ChartSpec } from '../../../../src/harness/report/html/charts/chart-types.ts';
import { faultBands, faultLayers, failoverLayers } from '../../../../src/harness/report/html/charts/fault-layers.ts';
import { latencyQuantilesChart } from '../../../../src/harness/report/html/charts/latency-quantiles-chart.ts';
import { latencyScatterChart } from '../../../../src/harness/report/html/charts/latency-scatter-chart.ts';
import { regionLatencyChart } from '../../../../src/harness/report/html/charts/region-latency-chart.ts';
import { replicationLagChart } from '../../../../src/harness/report/html/charts/replication-lag-chart.ts';
import { throughputChart } from '../../../../src/harness/report/html/charts/throughput-chart.ts';
import { centralFreshnessChart } from '../../../../src/harness/report/html/charts/central-freshness-chart.ts';
import { renderChartSvg } from '../../../../src/harness/report/html/charts/render-chart-svg.ts';
import { writableNodesChart } from '../../../../src/harness/report/html/charts/writable-nodes-chart.ts';
import { renderCharts } from '../../../../src/harness/report/html/write-report-html.ts';
import { testContext, testDigest, testResults } from './chart-context.ts';

// Specs are plain data: these tests read them as JSON, the way the vega editor will.
type Json = Record<string, unknown>;
const json = (spec: ChartSpec | ChartLayer | undefined): Json => JSON.parse(JSON.stringify(spec)) as Json;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const markType = (layer: Json) => (typeof layer.mark === 'string' ? layer.mark : (layer.mark as Json | undefined)?.type);
const values = (layer: Json) => list((layer.data as Json | undefined)?.values);

describe('fault layers', () => {
  it('shades every fault from start to heal, clamped to the run, with its kind as label', () => {
    const bands = faultBands(testContext());
    expect(bands.map(({ id, label, start, end }) => ({ id, label, start, end }))).toEqual([
      { id: 1, label: 'partition #1', start: 2, end: 8 },
      // Never healed: shaded to the end of the run.
      { id: 2, label: 'kill #2', start: 5, end: 10 },
    ]);
    // Overlapping faults get their labels on separate lines.
    expect(bands[0]!.labelY).not.toBe(bands[1]!.labelY);
    const [rects, labels] = faultLayers(testContext()).map(json);
    expect(markType(rects!)).toBe('rect');
    expect(values(rects!)).toHaveLength(2);
    expect((rects!.encoding as Json).x2).toEqual({ field: 'end' });
    expect(markType(labels!)).toBe('text');
    expect(faultLayers(testContext(), false)).toHaveLength(1);
  });

  it('leaves out faults after the end and adds nothing without faults', () => {
    const late = testResults({ faults: [{ id: 9, kind: 'pause', targets: ['pg1'], startMs: 12_000, endMs: 13_000 }] });
    expect(faultLayers(testContext(late))).toEqual([]);
    expect(faultLayers(testContext(testResults({ faults: [] })))).toEqual([]);
  });

  it('draws a dashed rule at detection and a solid one at promotion, labelled on request', () => {
    const layers = failoverLayers(testContext(), 200).map(json);
    expect(layers.map(markType)).toEqual(['rule', 'rule', 'text']);
    expect(values(layers[0]!).map((v) => v.at)).toEqual([5.9]);
    expect((layers[0]!.mark as Json).strokeDash).toEqual([4, 3]);
    expect(values(layers[1]!).map((v) => v.at)).toEqual([6.2]);
    expect(values(layers[2]!)[0]!.label).toBe('failover pg0 → pg1');
    expect(failoverLayers(testContext(testResults({ failovers: [] })))).toEqual([]);
  });
});

describe('chart builders', () => {
  it('latency quantiles: one panel per operation with data, each shaded, p50 and p99 lines', () => {
    const spec = json(latencyQuantilesChart.build(testContext()));
    const panels = list(spec.concat);
    expect(panels.map((panel) => panel.title)).toEqual(['view-product', 'checkout']);
    for (const panel of panels) {
      const layers = list(panel.layer);
      expect(layers.map(markType)).toContain('rect');
      const line = layers.find((layer) => markType(layer) === 'line')!;
      expect(new Set(values(line).map((v) => v.quantile))).toEqual(new Set(['p50', 'p99']));
      expect(((line.encoding as Json).y as Json).scale).toEqual({ type: 'log' });
    }
  });

  it('scatter: the sampled points, shape by outcome, colour by operation, fault windows behind', () => {
    const spec = json(latencyScatterChart.build(testContext()));
    const layers = list(spec.layer);
    expect(markType(layers[0]!)).toBe('rect');
    const points = layers.at(-1)!;
    expect(markType(points)).toBe('point');
    expect(values(points)).toHaveLength(3);
    const encoding = points.encoding as Json;
    expect((encoding.shape as Json).field).toBe('outcome');
    expect((encoding.color as Json).field).toBe('f');
    expect(latencyScatterChart.note?.(testContext())).toMatch(/^3 of 1,000 measured operations/);
  });

  it('throughput: completed ops/s over the whole axis and errors per second by outcome', () => {
    const spec = json(throughputChart.build(testContext()));
    const [top, bottom] = list(spec.vconcat);
    const area = list(top!.layer).find((layer) => markType(layer) === 'area')!;
    expect(values(area).at(-1)).toEqual({ t: 10, perSecond: 100 });
    expect(values(area).find((row) => row.t === 5)).toEqual({ t: 5, perSecond: 21 });
    const bars = list(bottom!.layer).find((layer) => markType(layer) === 'bar')!;
    expect(values(bars).filter((row) => row.t === 5)).toEqual([
      { t: 5, t2: 6, outcome: 'fail', perSecond: 20 },
      { t: 5, t2: 6, outcome: 'info', perSecond: 1 },
    ]);
  });

  it('replication lag: a line per replica and measure, only when lag was sampled', () => {
    const spec = json(replicationLagChart.build(testContext()));
    const line = list(spec.layer).find((layer) => markType(layer) === 'line')!;
    expect(values(line)).toHaveLength(3);
    expect(((line.encoding as Json).color as Json).scale).toMatchObject({ domain: ['pg1', 'pg2'] });
    expect(replicationLagChart.build(testContext(testResults(), testDigest({ lag: [] })))).toBeUndefined();
  });

  it('replication lag: the title and legend say what the lines are (replicas, directions between leaders, links to central)', () => {
    const lag = (nodes: string[]) => nodes.map((node) => ({ t: 1, node, series: 'staleness' as const, ms: 5 }));
    const describe = (kind: string, nodes: string[]) => {
      const base = testResults();
      const context = testContext({ ...base, topology: { ...base.topology, kind } }, testDigest({ lag: lag(nodes) }));
      const legend = ((json(replicationLagChart.build(context)).layer as Json[]).at(-1)!.encoding as Json).color as Json;
      return { ...replicationLagChart.describe!(context), legend: legend.title };
    };
    expect(describe('pg-single-leader', ['pg1', 'pg2'])).toMatchObject({ title: 'Replication lag per replica', legend: 'replica' });
    const leaders = describe('pg-multi-leader', ['eu-west->us-east', 'us-east->eu-west']);
    expect(leaders).toMatchObject({ title: 'Replication lag per direction between leaders', legend: 'direction' });
    expect(leaders.caption).toContain('A->B being how far behind B’s copy of A’s writes was');
    expect(describe('pg-regional-central', ['boston->central', 'seattle->central'])).toMatchObject({ title: 'Central’s staleness per region', legend: 'region->central' });
    const both = describe('pg-regional-central', ['seattle->central', 'seattle-replica1']);
    expect(both.title).toBe('Central’s staleness per region, and each regional replica’s lag');
    expect(both.caption).toContain('a line named after a replica how far it was behind its region’s primary');
    // Geo-partitioning: no central, only regional replicas.
    expect(describe('pg-regional-central', ['seattle-replica1']).title).toBe('Replication lag per replica');
    for (const text of [leaders, both]) expect(text.caption.trim().split(/(?<=[.;])\s+(?=[A-Z])/)).toHaveLength(1);
  });

  it('report.html titles a chart as its builder describes it for the run', async () => {
    const base = testResults();
    const context = testContext({ ...base, topology: { ...base.topology, kind: 'pg-multi-leader' } }, testDigest({ lag: [{ t: 1, node: 'a->b', series: 'staleness', ms: 3 }] }));
    const [file] = await renderCharts(context, [replicationLagChart], []);
    expect(file!.chart.title).toBe('Replication lag per direction between leaders');
    expect(file!.chart.caption).toMatch(/^Each colour is one direction of replication/);
  });

  it('central freshness: a line per region over the measured run only, absent without pg-regional-central', () => {
    const spec = json(centralFreshnessChart.build(testContext()));
    const line = list(spec.layer).find((layer) => markType(layer) === 'line')!;
    // Second -1 is warmup: left out, as from every chart's time axis. Each second's worst holds
    // until the next second, so each region's last step is closed where its second ends.
    expect(values(line)).toEqual([
      { t: 0, region: 'seattle', ms: 12.5 },
      { t: 1, region: 'seattle', ms: 980 },
      { t: 1, region: 'boston', ms: 3 },
      { t: 2, region: 'seattle', ms: 980 },
      { t: 2, region: 'boston', ms: 3 },
    ]);
    // The last second of a run cut short ends with the run's time axis.
    const short = testContext(testResults(), testDigest({ endSeconds: 1.5 }));
    expect(values(list(json(centralFreshnessChart.build(short)).layer).at(-1)!).filter((v) => v.region === 'seattle').map((v) => v.t)).toEqual([0, 1, 1.5]);
    expect(((line.encoding as Json).color as Json).scale).toMatchObject({ domain: ['seattle', 'boston'] });
    expect(list(spec.layer).map(markType)).toContain('rect');
    expect(centralFreshnessChart.build(testContext(testResults({ regionalCentral: undefined })))).toBeUndefined();
  });

  it('writable nodes: bars per node when a failover happened or the writable set changed', () => {
    const spec = json(writableNodesChart.build(testContext()));
    const bars = list(spec.layer).find((layer) => markType(layer) === 'bar')!;
    expect(values(bars)).toHaveLength(2);
    expect(list(spec.layer).filter((layer) => markType(layer) === 'rule')).toHaveLength(2);
    const calm = testContext(testResults({ failovers: [] }), testDigest({ writableChanged: false }));
    expect(writableNodesChart.build(calm)).toBeUndefined();
  });

  it('every builder gives up on a run with nothing measured', () => {
    const empty = testDigest({ completions: 0, latency: [], outcomes: [], scatter: [], lag: [], writable: [], writableChanged: false });
    const context = testContext(testResults({ failovers: [] }), empty);
    expect(CHART_BUILDERS.map((builder) => builder.build(context))).toEqual(CHART_BUILDERS.map(() => undefined));
  });

  it('has unique, file-safe names and a one-sentence caption each', () => {
    const names = CHART_BUILDERS.map((builder) => builder.name);
    expect(new Set(names).size).toBe(names.length);
    for (const builder of CHART_BUILDERS) {
      expect(builder.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(builder.caption.trim().split(/(?<=[.;])\s+(?=[A-Z])/)).toHaveLength(1);
    }
  });

  it('latency per region: a bar per operation and region, p50 and p99 panels, nothing without regions', () => {
    const spec = regionLatencyChart.build(testContext()) as { data: { values: { region: string; quantile: string }[] } };
    expect(new Set(spec.data.values.map((v) => v.region))).toEqual(new Set(['us-east', 'eu-west']));
    expect(new Set(spec.data.values.map((v) => v.quantile))).toEqual(new Set(['p50', 'p99']));
    const { regions: _none, ...withoutRegions } = testResults();
    expect(regionLatencyChart.build(testContext(withoutRegions as typeof testResults extends () => infer R ? R : never))).toBeUndefined();
  });

  it('compile and render without a vega-lite warning (a warning means vega-lite guessed)', async () => {
    const warnings: string[] = [];
    for (const builder of CHART_BUILDERS) {
      const spec = builder.build(testContext());
      expect(spec, builder.name).toBeDefined();
      const svg = await renderChartSvg(spec!, builder.name, (warning) => warnings.push(`${builder.name}: ${warning}`));
      expect(svg, builder.name).toMatch(/^<svg[\s\S]*<\/svg>$/);
    }
    expect(warnings).toEqual([]);
  });
});
