import { usableOutDir } from '../output/out-dir.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { planSizing, type SizingOptions } from './plan-sizing.ts';

// `faultline size`: every concurrency level of the scenario (and of each combination of its
// matrix) runs as a matrix variant with the same seed, one after another; then the USL is
// fitted per unit and sizing.json, .md and .html are written beside the level runs, in
// reports/<scenario>-sizing/<run-id>/. Exit codes as for a matrix; 1 also when a unit could not
// be fitted (its levels did not give three completed points).

export interface SizeCommandOptions extends SizingOptions {
  readonly scenario: string;
  readonly set: readonly string[];
  /** Reports root (default ./reports). */
  readonly out?: string;
}

export async function sizeCommand(options: SizeCommandOptions): Promise<number> {
  // Everything is validated before the first server starts: the file, --set, every level, --out.
  const loaded = await loadScenario(options.scenario, options.set);
  const plan = planSizing(loaded, options.set, options, options.scenario);
  const reportsRoot = await usableOutDir(options.out ?? 'reports');
  // The runner (every topology, driver and report module) is loaded only once the arguments are
  // known good: a mistake is reported in the time `faultline --help` takes.
  const [{ matrixExitCode }, { runMatrix }, { withSignals }, { buildSizing }, { summarizeSizing }, { writeSizing }] = await Promise.all([
    import('../matrix/matrix-command.ts'),
    import('../matrix/run-matrix.ts'),
    import('../process/with-signals.ts'),
    import('./build-sizing.ts'),
    import('./summarize-sizing.ts'),
    import('./write-sizing.ts'),
  ]);
  return withSignals('; no further level will start', async (signal) => {
    const outcome = await runMatrix(plan.matrix, { reportsRoot, signal });
    const report = buildSizing(plan, { runId: outcome.matrixRunId, dir: outcome.matrixDir, file: options.scenario, outcomes: outcome.outcomes });
    const files = await writeSizing(outcome.matrixDir, report);
    process.stdout.write(summarizeSizing(report, files));
    for (const { variant, results } of outcome.outcomes) {
      if (results.run.error) process.stderr.write(`faultline: level ${variant.label} ${results.run.status}: ${results.run.error.split('\n')[0]}\n`);
    }
    const code = matrixExitCode(outcome, signal.aborted);
    return code === 0 && report.groups.some((group) => group.orders.kind === 'not-fitted') ? 1 : code;
  });
}
