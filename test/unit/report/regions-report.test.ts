import { describe, expect, it } from 'vitest';
import { renderRegionsMd } from '../../../src/harness/report/render-regions-md.ts';
import { renderRegionsHtml } from '../../../src/harness/report/html/page/render-regions-html.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { completedRun } from './fixtures.ts';

function regional(): RunResults {
  const run = completedRun();
  return {
    ...run,
    resolvedScenario: { ...run.resolvedScenario, latency: [{ between: ['us-east', 'eu-west'], delay: 40, jitter: 2 }] },
    topology: { ...run.topology, nodes: [{ name: 'primary', role: 'primary', host: '127.0.0.1', port: 1, region: 'us-east' }] },
    regions: {
      'us-east': { workers: 3, operations: run.operations, totals: run.totals },
      'eu-west': { workers: 1, operations: { checkout: run.operations.checkout! }, totals: run.totals },
    },
  };
}

describe('the report of a run with regions', () => {
  it('has an operations table per client region in report.md, with the configured distances', () => {
    const md = renderRegionsMd(regional());
    expect(md).toContain('## Operations by client region');
    expect(md).toContain('- us-east ↔ eu-west: 40 ms one way ± 2 ms');
    expect(md).toContain('### us-east (3 workers; nodes here: primary)');
    expect(md).toContain('### eu-west (1 workers; no node in this region)');
    expect(md.split('\n').filter((line) => line.startsWith('| checkout |'))).toHaveLength(2);
  });

  it('has the same tables in report.html', () => {
    const page = renderRegionsHtml(regional()).value;
    expect(page).toContain('<section id="regions">');
    expect(page).toContain('eu-west');
  });

  it('says nothing about regions when the scenario has none', () => {
    expect(renderRegionsMd(completedRun())).toBe('');
    expect(renderRegionsHtml(completedRun()).value).toBe('');
  });
});
