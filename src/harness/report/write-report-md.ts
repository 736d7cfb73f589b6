import path from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import { renderChecksMd } from './render-checks-md.ts';
import { renderDistributedCommitMd } from './render-distributed-commit-md.ts';
import { renderFaultsMd } from './render-faults-md.ts';
import { renderOperationsMd } from './render-operations-md.ts';
import { renderMultiLeaderMd } from './render-multi-leader-md.ts';
import { renderPhasesMd } from './render-phases-md.ts';
import { renderRegionsMd } from './render-regions-md.ts';
import { renderRegionalCentralMd } from './render-regional-central-md.ts';
import { renderShardsMd } from './render-shards-md.ts';
import { renderPartitionedLayoutMd } from './render-partitioned-layout-md.ts';
import { renderSummaryMd } from './render-summary-md.ts';
import { renderEnvironmentMd, renderTopologyMd } from './render-topology-md.ts';
import { renderDatasetMd, renderWorkloadMd } from './render-workload-md.ts';
import { renderMarksMd, renderSaturationMd } from './render-saturation-md.ts';
import type { RunResults } from '../results/results-types.ts';
import { renderResultsJson } from './write-results-json.ts';
import { assertNoSecrets } from './secret-guard.ts';

// report.md is the human summary of results.json: same data, nothing added, so the two never
// disagree. Rendering is a pure function of the results (no clock, no locale) so it can be
// snapshot-tested and regenerated from an old results.json.

export const REPORT_FILE = 'report.md';

const SECTIONS: readonly ((results: RunResults) => string)[] = [
  renderSummaryMd,
  renderMarksMd,
  renderTopologyMd,
  renderWorkloadMd,
  renderSaturationMd,
  renderOperationsMd,
  renderRegionsMd,
  renderShardsMd,
  renderPartitionedLayoutMd,
  renderMultiLeaderMd,
  renderRegionalCentralMd,
  renderFaultsMd,
  renderDistributedCommitMd,
  renderChecksMd,
  renderPhasesMd,
  renderDatasetMd,
  renderEnvironmentMd,
];

export function renderReportMd(results: RunResults): string {
  return `${SECTIONS.map((section) => section(results)).filter((text) => text !== '').join('\n\n')}\n`;
}

/** Writes <dir>/report.md atomically and returns its path; refuses if a secret would leak. */
export async function writeReportMd(dir: string, results: RunResults, secrets: readonly string[] = []): Promise<string> {
  const text = renderReportMd(results);
  // Escaping can disguise a secret in the markdown (a "_" becomes "\_"), so the raw data is checked too.
  assertNoSecrets(text, secrets);
  assertNoSecrets(renderResultsJson(results), secrets);
  const target = path.join(dir, REPORT_FILE);
  await writeFileAtomic(target, text);
  return target;
}
