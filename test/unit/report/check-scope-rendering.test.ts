import { describe, expect, it } from 'vitest';
import { renderChecksHtml } from '../../../src/harness/report/html/page/render-checks-html.ts';
import { renderChecksMd } from '../../../src/harness/report/render-checks-md.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { extensionText } from '../../../src/harness/report/extension-text.ts';
import { completedRun } from './fixtures.ts';

function withChecks(checks: RunResults['checks']): RunResults {
  return { ...completedRun(), checks };
}

const availability = {
  verdict: 'invalid' as const,
  counts: { maxUnavailableMs: 58_002 },
  examples: [],
  explanation: 'Fault #1 kept writes from succeeding for 58.00 s.',
  bound: { maxUnavailableMs: 30_000, 'maxUnavailableMs.kill': 20_000 },
  coverage: { writesTried: 1234, faults: 1, unreadable: 'replica2' },
};

describe('each verdict shows its bound and what it covered', () => {
  it('report.md: a Bound and a Covered line under each check', () => {
    const md = renderChecksMd(withChecks({ availability }));
    expect(md).toContain('- **Bound:** maxUnavailableMs 30,000, maxUnavailableMs.kill 20,000');
    expect(md).toContain('- **Covered:** writesTried 1,234, faults 1, unreadable replica2');
  });

  it('report.html: the same figures beside the explanation', () => {
    const page = String(renderChecksHtml(withChecks({ availability })));
    expect(page).toMatch(/<dt>Bound<\/dt><dd>maxUnavailableMs 30,000, maxUnavailableMs\.kill 20,000<\/dd>/);
    expect(page).toMatch(/<dt>Covered<\/dt><dd>writesTried 1,234, faults 1, unreadable replica2<\/dd>/);
  });

  it('a verdict without a bound says so instead of looking judged', () => {
    const bare = { verdict: 'valid' as const, counts: {}, examples: [], explanation: 'ok' };
    expect(renderChecksMd(withChecks({ bare }))).toContain('- **Bound:** none stated\n- **Covered:** not reported');
    expect(String(renderChecksHtml(withChecks({ bare })))).toContain('<dd>none stated</dd>');
  });

  it('names from the run are escaped in HTML', () => {
    const hostile = { ...availability, coverage: { unreadable: '<script>alert(1)</script>' } };
    const page = String(renderChecksHtml(withChecks({ availability: hostile })));
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('&lt;script&gt;');
  });

  it('the run extension is described for both reports', () => {
    const run = completedRun();
    const extended: RunResults = {
      ...run,
      run: {
        ...run.run,
        extendedMs: 3500,
        extension: { extendedMs: 3500, reason: 'recovered', lastHealMs: 17_469, writesAfterLastHeal: 247, faultsInForce: false, policy: { writes: 20, durationMs: 1000, maxExtensionMs: 60_000 } },
      },
    };
    expect(extensionText(extended)).toMatch(/^3.5s past the planned .*last heal at 17\.47s, 247 writes tried after it/);
    expect(extensionText(run)).toBeUndefined();
  });
});
