import { relative } from 'node:path';
import type { MatrixPlan } from './plan-matrix.ts';
import { runMatrix, type MatrixOutcome } from './run-matrix.ts';
import { runsExitCode } from '../output/exit-codes.ts';

// `faultline run` on a scenario with a matrix: runs the variants, prints one line per variant and
// where the comparison is, and turns the outcome into an exit code with the same meaning as for
// one run: 0 when every variant completed (whatever the verdicts), 130 when interrupted, else 1.

export interface MatrixCommandOptions {
  readonly reportsRoot: string;
  readonly signal?: AbortSignal;
}

export async function runMatrixCommand(plan: MatrixPlan, options: MatrixCommandOptions): Promise<number> {
  const outcome = await runMatrix(plan, options);
  process.stdout.write(summarize(outcome));
  for (const { variant, results } of outcome.outcomes) {
    if (results.run.error) process.stderr.write(`faultline: variant ${variant.label} ${results.run.status}: ${results.run.error.split('\n')[0]}\n`);
  }
  return matrixExitCode(outcome, options.signal?.aborted ?? false);
}

export function matrixExitCode(outcome: MatrixOutcome, aborted: boolean): number {
  return runsExitCode(
    outcome.outcomes.map(({ results }) => results.run.status),
    outcome.notRun.length,
    aborted,
  );
}

export function summarize(outcome: MatrixOutcome): string {
  const { outcomes } = outcome;
  const width = Math.max(0, ...outcomes.map(({ variant }) => variant.label.length));
  const lines = outcomes.map(({ variant, results }) => {
    const t = results.totals;
    const checks = Object.entries(results.checks)
      .map(([name, check]) => `${name} ${check.verdict}`)
      .join(', ');
    return (
      `  ${variant.label.padEnd(width)}  ${results.run.status.padEnd(11)} ${t.throughput.toFixed(0).padStart(6)} ops/s  ` +
      `p99 ${String(t.latencyMs.p99).padStart(8)} ms  ${t.fail} fail, ${t.info} info${checks ? `; ${checks}` : ''}`
    );
  });
  const ran = `${outcomes.length} of ${outcomes.length + outcome.notRun.length} variants ran`;
  const where = relative(process.cwd(), outcome.matrixDir) || outcome.matrixDir;
  return `\nmatrix ${ran}:\n${lines.join('\n')}\ncomparison: ${where}/comparison.md\n`;
}
