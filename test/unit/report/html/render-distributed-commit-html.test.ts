import { describe, expect, it } from 'vitest';
import { renderDistributedCommitHtml } from '../../../../src/harness/report/html/page/render-distributed-commit-html.ts';
import { renderPageHtml } from '../../../../src/harness/report/html/page/render-page-html.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import type { DistributedCommitResults } from '../../../../src/harness/results/distributed-commit-results.ts';
import { completedRun } from '../fixtures.ts';
import { htmlTableRows } from '../table-cells.ts';
import { distributedCommit, hostile } from '../topology-results-fixtures.ts';

const withCommit = (dc: DistributedCommitResults = distributedCommit()): RunResults => ({ ...completedRun(), distributedCommit: dc });
const section = (results: RunResults) => renderDistributedCommitHtml(results).value;

describe('report.html: distributed commit', () => {
  it('2pc: the mode, the coordinator’s outcomes, and what recovery found in doubt and how it ended them', () => {
    const page = section(withCommit());
    expect(page).toMatch(/^<section id="distributed-commit"><h2>Distributed commit<\/h2>/);
    expect(page).toContain('<p>Mode <strong>2pc</strong>: the harness is the transaction manager.');
    const rows = htmlTableRows(page);
    expect(rows).toContainEqual(['In doubt (found by recovery)', 'Committed (decision logged)', 'Rolled back (no decision)', 'Still unresolved', 'Recovery passes']);
    expect(rows).toContainEqual(['7', '6', '1', '0', '4']);
    expect(rows).toContainEqual(['3,763', '3,746', '17', '0', '8']);
    expect(rows).toContainEqual(['shard1', '1964', 'coordinator, shard3, shard1', '–', '–']);
    expect(rows).toContainEqual(['shard2', '4494', 'coordinator, shard2', 'shard2', 'none']);
  });

  it('plain: nothing in doubt to show, only the kills', () => {
    const page = section(withCommit({ ...distributedCommit(), mode: 'plain', transactions: undefined }));
    expect(page).toContain('Mode <strong>plain</strong>: one transaction through the coordinator&#39;s postgres_fdw');
    expect(page).not.toContain('In doubt');
    expect(page).toContain('<h3>Kills at the commit point (<code>kill ... during: commit</code>)</h3>');
    expect(section(withCommit({ ...distributedCommit(), mode: 'plain', commitPointKills: [] }))).not.toContain('Kills at the commit point');
  });

  it('escapes node names', () => {
    const page = section(withCommit(distributedCommit(hostile)));
    expect(page).not.toContain('<script>');
    expect(page).toContain('<td>shard1&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</td>');
  });

  it('is absent, from the page and its navigation, when the run has no distributed commit', () => {
    expect(section(completedRun())).toBe('');
    expect(renderPageHtml({ results: completedRun(), faults: [], charts: [], chartNotes: [] })).not.toContain('distributed-commit');
    expect(renderPageHtml({ results: withCommit(), faults: [], charts: [], chartNotes: [] })).toContain('<a href="#distributed-commit">Distributed commit</a>');
  });
});
