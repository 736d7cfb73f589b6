import { describe, expect, it } from 'vitest';
import { renderMultiLeaderMd } from '../../../src/harness/report/render-multi-leader-md.ts';
import { completedRun } from './fixtures.ts';
import { hostile, multiLeader } from './topology-results-fixtures.ts';

describe('report.md: multi-leader replication', () => {
  it('shows conflicts by leader, kind and resolution, lag per direction and what still differs', () => {
    const md = renderMultiLeaderMd({ ...completedRun(), multiLeader: multiLeader() });
    expect(md).toMatch(/^## Multi-leader replication/);
    expect(md).toContain('| us-east | 1,000 | 3 | 995 | 2 | 0 | 998 | 0 | 2 |');
    expect(md).toContain('| **all** | 1,234 | 4 | 1,225 | 3 | 2 | 1,230 | 0 | 4 |');
    expect(md).toContain('By table: `stock` 1,200, `order_items` 34.');
    expect(md).toContain('| us-east-\\>eu-west | 4,321 | 41.5 | 812 | 3,457 |');
    expect(md).toContain('| `stock` | 0 | 5 | `17` `23` |');
    expect(md).toContain('Could not be read: eu-west (connection refused).');
  });

  it('keeps hostile names inert, and is absent from other topologies\' reports', () => {
    const md = renderMultiLeaderMd({ ...completedRun(), multiLeader: multiLeader(hostile) });
    // Outside code spans every markdown character is escaped; inside one, text is literal.
    expect(md).toContain('`stock<script>alert("x")</script> & \'q\'` 1,200');
    expect(md).toContain('us-east\\<script\\>alert("x")\\</script\\> \\& \'q\'');
    expect(renderMultiLeaderMd(completedRun())).toBe('');
  });
});
