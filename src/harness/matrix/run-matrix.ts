import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildComparison } from '../compare/build-comparison.ts';
import type { Comparison } from '../compare/comparison-types.ts';
import { writeComparison } from '../compare/write-comparison.ts';
import { createNewRunDir, markLatest } from '../report/report-dir.ts';
import type { RunResults } from '../results/results-types.ts';
import { runScenario } from '../run/run-scenario.ts';
import { manifestOf, writeManifest } from './matrix-manifest.ts';
import type { MatrixPlan, PlannedVariant } from './plan-matrix.ts';

// A matrix run: every variant one after another (never two at once: each starts its own servers
// and two cores are already busy with one run), then one comparison of everything that ran.
//
// Layout: reports/<scenario>/<matrix-run-id>/
//   matrix.json                  the plan, written first
//   <variant-slug>/              a complete run folder (results.json, report.md, history...)
//   comparison.json, comparison.md
// and reports/<scenario>/latest points at the matrix run folder.

export interface MatrixRunOptions {
  readonly reportsRoot: string;
  /** Aborting interrupts the current variant (it still reports and tears down) and starts no other. */
  readonly signal?: AbortSignal;
  readonly print?: (line: string) => void;
}

export interface VariantOutcome {
  readonly variant: PlannedVariant;
  readonly results: RunResults;
  readonly reportDir: string;
}

export interface MatrixOutcome {
  readonly matrixRunId: string;
  readonly matrixDir: string;
  /** Variants that ran (completed, failed or interrupted), in order. */
  readonly outcomes: readonly VariantOutcome[];
  readonly notRun: readonly PlannedVariant[];
  readonly comparison: Comparison;
}

// runScenario names its own folder reports/<scenario>/<run-id>/; each variant runs with this as
// its reports root and its folder is then renamed into place (same filesystem, so atomic).
const STAGING = '.staging';

export async function runMatrix(plan: MatrixPlan, options: MatrixRunOptions): Promise<MatrixOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { runId, dir } = await createNewRunDir(options.reportsRoot, plan.name);
  await writeManifest(dir, manifestOf(plan, runId, new Date()));
  const staging = path.join(dir, STAGING);
  const outcomes: VariantOutcome[] = [];
  const total = plan.variants.length;
  print(`faultline: matrix ${plan.name}, ${total} variants with seed ${plan.seed}, run ${runId}`);
  let failure: { error: unknown } | undefined;
  try {
    for (const variant of plan.variants) {
      // runScenario listens for an abort only from its first await on, so one that came before
      // (between variants) is caught here.
      if (options.signal?.aborted) break;
      print(`\nfaultline: variant ${variant.index}/${total}: ${variant.label}`);
      const run = await runScenario(variant.scenario, { reportsRoot: staging, signal: options.signal, print });
      const reportDir = path.join(dir, variant.slug);
      await rename(run.reportDir, reportDir);
      outcomes.push({ variant, results: run.results, reportDir });
      if (run.results.run.status === 'interrupted') break;
    }
  } catch (error) {
    failure = { error };
  }
  await rm(staging, { recursive: true, force: true });
  // Also after an error or an interrupt: a comparison of what ran is worth having.
  const notRun = plan.variants.slice(outcomes.length);
  const runs = outcomes.map(({ variant, results }) => ({ label: variant.label, dir: variant.slug, results }));
  const comparison = buildComparison(runs, { notRun: notRun.map((variant) => variant.label) });
  await writeComparison(dir, comparison);
  await markLatest(options.reportsRoot, plan.name, runId);
  if (failure) throw failure.error;
  return { matrixRunId: runId, matrixDir: dir, outcomes, notRun, comparison };
}
