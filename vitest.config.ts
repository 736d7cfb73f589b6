import { configDefaults, defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.ts';

// Files that get a fresh process each: everything that starts servers, processes or containers
// (a handle one leaves open must die with it), and unit tests that replace a module (vi.mock
// needs the module loaded afresh). A unit test that adds vi.mock belongs in this list.
const ISOLATED = ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/unit/report/mark-latest-fallback.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers; two cores cannot run many at once.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      // The other unit tests share a process per worker: loading the harness's modules afresh for
      // each of ~150 small files cost more CPU than the tests themselves (156 s against 51 s).
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false } },
    ],
  },
});
