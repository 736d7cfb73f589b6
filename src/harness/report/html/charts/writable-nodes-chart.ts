import type { ChartBuilder } from './chart-types.ts';
import { TIME_TITLE, timeScale } from './chart-theme.ts';
import { overFaults } from './fault-layers.ts';

// Who accepted writes, when: drawn where it tells a story (a failover, an outage with no
// writable node, or split brain with two). The failover rules mark when the monitor noticed the
// loss (dashed) and when the new primary took writes (solid); the gap between the bars is the
// write outage clients saw.

const ROW_HEIGHT = 26;

export const writableNodesChart: ChartBuilder = {
  name: 'writable-nodes',
  title: 'Which node accepted writes',
  caption:
    'Each bar is a stretch of time a node accepted writes; the dashed rule is when the failover monitor noticed the primary was gone ' +
    'and the solid one when the replica it promoted took writes, so the gap between bars is the write outage and overlapping bars would be split brain.',
  build(context) {
    const spans = context.digest.writable;
    const relevant = context.results.failovers.length > 0 || context.digest.writableChanged;
    if (!relevant || spans.length === 0) return undefined;
    const end = context.digest.endSeconds;
    const nodes = [...new Set([...context.results.topology.nodes.map((node) => node.name), ...spans.map((span) => span.node)])];
    const height = Math.max(2, nodes.length) * ROW_HEIGHT + 30;
    return overFaults(context, height, {
      data: { values: spans },
      mark: { type: 'bar', color: '#59a14f', height: { band: 0.55 } },
      encoding: {
        x: { field: 'from', type: 'quantitative', scale: timeScale(end), title: TIME_TITLE },
        x2: { field: 'to' },
        y: { field: 'node', type: 'nominal', title: null, scale: { domain: nodes, paddingOuter: 0.6 } },
      },
    });
  },
};
