import type { ChartBuilder } from './chart-types.ts';
import { TIME_TITLE, timeScale } from './chart-theme.ts';
import { overFaults } from './fault-layers.ts';

// pg-regional-central: central's freshness per region, the worst of each second, drawn from
// results.json's series (report.md's per-second table, as a picture). A cut link to central is
// one region's line climbing a second per second until the heal, then dropping as the
// subscription catches up; the other regions stay flat.

const REGION_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#9c755f', '#76b7b2', '#edc948', '#ff9da7'];
const HEIGHT = 180;

export const centralFreshnessChart: ChartBuilder = {
  name: 'central-freshness',
  title: 'Central’s freshness per region',
  caption:
    'Each line is how stale central’s view of one region was, the worst of each second (the figures of report.md’s per-second table); ' +
    'a line that climbs while a fault cuts that region off from central and drops after the heal is central catching up.',
  build(context) {
    const regional = context.results.regionalCentral;
    const end = context.digest.endSeconds;
    // Warmup (negative seconds) and the quiesce after the load are outside every chart's time axis.
    const seconds = (regional?.freshnessSeries ?? []).filter((p) => p.time >= 0 && p.time < end);
    if (seconds.length === 0 || context.digest.completions === 0) return undefined;
    // A value holds for its whole second: each region's last step is closed at the second's end.
    const last = new Map<string, (typeof seconds)[number]>();
    for (const p of seconds) if ((last.get(p.region)?.time ?? -1) < p.time) last.set(p.region, p);
    const points = [...seconds, ...[...last.values()].map((p) => ({ ...p, time: Math.min(p.time + 1, end) }))].map((p) => ({ t: p.time, region: p.region, ms: p.maxMs }));
    // Placement order first (a stable colour per region), then any region the series alone names.
    const drawn = new Set(points.map((p) => p.region));
    const regions = [...new Set([...regional!.regions.map((r) => r.region), ...drawn])].filter((region) => drawn.has(region));
    return overFaults(context, HEIGHT, {
      data: { values: points },
      mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
      encoding: {
        x: { field: 't', type: 'quantitative', scale: timeScale(end), title: TIME_TITLE },
        y: { field: 'ms', type: 'quantitative', title: 'staleness (ms)' },
        color: { field: 'region', type: 'nominal', title: 'region', scale: { domain: regions, range: regions.map((_, i) => REGION_COLORS[i % REGION_COLORS.length]!) } },
      },
    });
  },
};
