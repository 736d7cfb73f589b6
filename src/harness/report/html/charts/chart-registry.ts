import type { ChartBuilder } from './chart-types.ts';
import { centralFreshnessChart } from './central-freshness-chart.ts';
import { latencyQuantilesChart } from './latency-quantiles-chart.ts';
import { latencyScatterChart } from './latency-scatter-chart.ts';
import { regionLatencyChart } from './region-latency-chart.ts';
import { replicationLagChart } from './replication-lag-chart.ts';
import { shardLoadHeatmapChart } from './shard-load-heatmap-chart.ts';
import { throughputChart } from './throughput-chart.ts';
import { writableNodesChart } from './writable-nodes-chart.ts';

// Every chart report.html can show, in page order. Each decides for itself whether it applies;
// topologies with more to show (shards, regions) add their builders here.
export const CHART_BUILDERS: readonly ChartBuilder[] = [
  latencyQuantilesChart,
  latencyScatterChart,
  regionLatencyChart,
  throughputChart,
  replicationLagChart,
  centralFreshnessChart,
  writableNodesChart,
  shardLoadHeatmapChart,
];
