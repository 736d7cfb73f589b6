import { configDefaults, defineConfig } from 'vitest/config';
import { ISOLATED_GLOBS as ISOLATED } from './test/support/isolated-files.ts';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers; two cores cannot run many at once. Three, not two: much of
    // a scenario test is waiting (a fault's duration, a failover's detection, a container's start),
    // and a third file fills it. Measured on this 2-core machine, whole suite: 717 s with three
    // workers against 771-884 s with two. An earlier try at three, beside other runs, saw four hang
    // guards fire (size, set, matrix, matrix Ctrl-C); those are wider now.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      // Integration, browser, and unit tests that mock a module: a fresh process per file.
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      // The other unit tests share a process per worker: loading the harness's modules afresh for
      // each of ~150 small files cost more CPU than the tests themselves (156 s against 51 s).
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false } },
    ],
  },
});
