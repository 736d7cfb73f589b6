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

/** Seconds each slow file took in a full `npm test` run with three workers on a quiet 2-core machine (7 December 2026). */
const TYPICAL_SECONDS: Readonly<Record<string, number>> = {
  'test/integration/containers/pg-single-leader-containers.test.ts': 139,
  'test/integration/containers/known-answers-distributed-containers.test.ts': 137,
  'test/integration/partitioning/partitioned-runs.test.ts': 130,
  'test/integration/known/known-answers.test.ts': 114,
  'test/integration/containers/known-answers-containers.test.ts': 110,
  'test/integration/partitioning/distributed-checkout.test.ts': 96,
  'test/integration/containers/container-partition.test.ts': 88,
  'test/integration/known/session-known-answers.test.ts': 82,
  'test/integration/matrix/matrix-run.test.ts': 66,
  'test/integration/containers/harness-killed-containers.test.ts': 58,
  'test/integration/process/interrupt-long-phases.test.ts': 57,
  'test/integration/regions/eu-expansion.test.ts': 56,
  'test/integration/patroni/patroni-containers.test.ts': 55,
  'test/integration/partitioning/partitioned-layout.test.ts': 53,
  'test/integration/known/bounds-known-answers.test.ts': 51,
  'test/integration/run/scenario-set-run.test.ts': 48,
  'test/integration/patroni/patroni-known-answers.test.ts': 48,
  'test/integration/run/multi-leader-hot-product-run.test.ts': 43,
  'test/integration/sizing/size-run.test.ts': 42,
  'test/integration/containers/pg-regional-multi-leader-containers.test.ts': 40,
  'test/integration/process/harness-killed.test.ts': 35,
  'test/integration/patroni/patroni-harness-killed.test.ts': 33,
  'test/integration/run/regional-central-run.test.ts': 30,
  'test/browser/report-html.test.ts': 29,
  'test/integration/run/quickstart-run.test.ts': 27,
  'test/integration/run/load-threads-run.test.ts': 24,
  'test/integration/run/open-loop-overload-run.test.ts': 23,
  'test/integration/topologies/pg-multi-leader.test.ts': 22,
  'test/integration/process/killed-run-report.test.ts': 20,
  'test/integration/topologies/pg-regional-central.test.ts': 17,
  'test/integration/process/clean-command.test.ts': 16,
  'test/integration/topologies/pg-single-leader.test.ts': 15,
  'test/integration/report/report-html-real-run.test.ts': 15,
  'test/integration/containers/pg-image-cli.test.ts': 14,
  'test/unit/history/history-writer.test.ts': 11,
  'test/integration/containers/interrupted-container-start.test.ts': 10,
  'test/integration/containers/container-clean.test.ts': 10,
  'test/unit/report/html/report-html-size.test.ts': 8,
  'test/integration/workload/ecommerce-pg.test.ts': 8,
  'test/integration/topologies/local-pg-node.test.ts': 7,
  'test/unit/history/merge-histories.test.ts': 6,
  'test/unit/doctor/doctor-probes.test.ts': 5,
  'test/unit/cli/hostile-inputs.test.ts': 5,
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
