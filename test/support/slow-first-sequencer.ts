import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Which test files start first. Three workers run the suite, so its wall time is about a third of
// the sum of the files plus whatever the last long file runs alone at the end. Vitest starts the longest
// files first only when its cache (node_modules/.vite) has their durations; in a fresh clone (CI)
// it goes by file size, and the container known answers, short files that take ~100 s each,
// started last and ran alone for a minute and a half. So: the cached duration where vitest has
// one, else the typical one below, longest first. An integration file in neither is taken for a
// middling one (new ones usually run scenarios); unit files in neither keep vitest's order last.
// Only the order depends on this table: a stale entry costs time, never a result.

/** Seconds each slow file took in a full `npm test` run with three workers on a quiet 2-core machine (6 December 2026). */
const TYPICAL_SECONDS: Readonly<Record<string, number>> = {
  'test/integration/partitioning/partitioned-runs.test.ts': 148,
  'test/integration/containers/known-answers-distributed-containers.test.ts': 145,
  'test/integration/containers/pg-single-leader-containers.test.ts': 109,
  'test/integration/containers/known-answers-containers.test.ts': 109,
  'test/integration/known/known-answers.test.ts': 108,
  'test/integration/partitioning/distributed-checkout.test.ts': 93,
  'test/integration/patroni/patroni-containers.test.ts': 92,
  'test/integration/containers/container-partition.test.ts': 90,
  'test/integration/known/session-known-answers.test.ts': 77,
  'test/unit/cli/faultline-cli.test.ts': 56,
  'test/integration/matrix/matrix-run.test.ts': 55,
  'test/integration/regions/eu-expansion.test.ts': 53,
  'test/integration/patroni/patroni-known-answers.test.ts': 51,
  'test/integration/known/bounds-known-answers.test.ts': 48,
  'test/integration/partitioning/partitioned-layout.test.ts': 48,
  'test/integration/containers/harness-killed-containers.test.ts': 41,
  'test/unit/cli/size-command.test.ts': 40,
  'test/integration/run/scenario-set-run.test.ts': 38,
  'test/integration/containers/pg-regional-multi-leader-containers.test.ts': 36,
  'test/integration/sizing/size-run.test.ts': 35,
  'test/integration/patroni/patroni-harness-killed.test.ts': 35,
  'test/integration/process/interrupt-long-phases.test.ts': 35,
  'test/integration/run/multi-leader-hot-product-run.test.ts': 32,
  'test/integration/process/harness-killed.test.ts': 30,
  'test/integration/run/regional-central-run.test.ts': 30,
  'test/integration/run/quickstart-run.test.ts': 28,
  'test/browser/report-html.test.ts': 27,
  'test/integration/run/open-loop-overload-run.test.ts': 27,
  'test/integration/topologies/pg-multi-leader.test.ts': 26,
  'test/integration/process/killed-run-report.test.ts': 20,
  'test/integration/topologies/pg-regional-central.test.ts': 20,
  'test/integration/process/clean-command.test.ts': 18,
  'test/integration/containers/pg-image-cli.test.ts': 17,
  'test/integration/topologies/pg-single-leader.test.ts': 16,
  'test/integration/report/report-html-real-run.test.ts': 14,
  'test/integration/run/load-threads-run.test.ts': 14,
  'test/integration/containers/container-clean.test.ts': 10,
  'test/integration/workload/ecommerce-pg.test.ts': 9,
  'test/integration/containers/interrupted-container-start.test.ts': 9,
  'test/unit/report/html/report-html-size.test.ts': 7,
  'test/unit/cli/hostile-inputs.test.ts': 7,
  'test/unit/containers/pg-container-boot.test.ts': 7,
  'test/integration/topologies/local-pg-node.test.ts': 7,
  'test/unit/history/history-writer.test.ts': 6,
};

const UNKNOWN_INTEGRATION_SECONDS = 20;

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const vitestOrder = await super.sort(files);
    const root = this.ctx.config.root;
    const seconds = (spec: TestSpecification): number => {
      const file = relative(root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`);
      if (cached && !cached.failed) return cached.duration / 1000;
      return TYPICAL_SECONDS[file] ?? (/^test\/(integration|browser)\//.test(file) ? UNKNOWN_INTEGRATION_SECONDS : 0);
    };
    return vitestOrder
      .map((spec, index) => ({ spec, index, seconds: seconds(spec) }))
      .sort((a, b) => b.seconds - a.seconds || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
