import { describe, expect, it } from 'vitest';
import { renderChecksMd } from '../../../src/harness/report/render-checks-md.ts';
import { completedRun } from './fixtures.ts';

describe('report.md check counts by client region', () => {
  it('lists `lost@<region>` beside the totals, under the names results.json uses', () => {
    const run = completedRun();
    const md = renderChecksMd({
      ...run,
      checks: {
        'lost-writes': {
          verdict: 'invalid',
          counts: { acknowledged: 10, lost: 3, 'acknowledged@us-east': 6, 'acknowledged@eu-west': 4, 'lost@us-east': 1, 'lost@eu-west': 2 },
          examples: [],
          explanation: 'lost',
        },
      },
    });
    const rows = md.split('\n').filter((line) => line.startsWith('| lost'));
    expect(rows.map((row) => row.replace(/\s+/g, ' '))).toEqual(['| lost | 3 |', '| lost@us-east | 1 |', '| lost@eu-west | 2 |']);
  });
});
