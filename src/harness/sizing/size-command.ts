import { usableOutDir } from '../cli/out-dir.ts';
import { resolve } from 'node:path';
import { matrixExitCode } from '../matrix/matrix-command.ts';
import { runMatrix } from '../matrix/run-matrix.ts';
import { withSignals } from '../run/run-command.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { buildSizing } from './build-sizing.ts';
import { planSizing, type SizingOptions } from './plan-sizing.ts';
import { summarizeSizing } from './summarize-sizing.ts';
import { writeSizing } from './write-sizing.ts';

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
