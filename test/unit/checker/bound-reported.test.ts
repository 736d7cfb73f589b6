import { describe, expect, it } from 'vitest';
import { atomicityChecker } from '../../../src/harness/checker/atomicity-checker.ts';
import { centralCompletenessChecker } from '../../../src/harness/checker/central-completeness-checker.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

// Every verdict names the bound it was judged against and what it covered (results.json
// checks.<name>.bound / .coverage), also for checks whose bound is a fixed zero.

describe('checks with a fixed bound still report it', () => {
  it('atomicity: zero partly applied checkouts, over the checkouts judged', async () => {
    const historyPath = await writeHistoryFile(new HistoryBuilder().writes(0, 100, 10).jsonl());
    const result = await atomicityChecker.check({ historyPath, finalState: fakeNode(() => []), primaryNode: 'primary' });
    expect(result.bound).toEqual({ maxPartialCheckouts: 0 });
    expect(result.coverage).toEqual({ checkoutsJudged: 0, on: 'primary' });
  });

  it('central-completeness: exactly once on central, over the acknowledged orders', async () => {
    const historyPath = await writeHistoryFile(new HistoryBuilder().writes(0, 100, 10).jsonl());
    const result = await centralCompletenessChecker.check({ historyPath, finalState: fakeNode(() => []), nodeNames: ['us-east', 'central'] });
    expect(result.bound).toMatchObject({ missingCentral: 0, duplicated: 0, extra: 0 });
    expect(result.coverage).toMatchObject({ acknowledged: 0, centralRead: 'no' });
  });
});
