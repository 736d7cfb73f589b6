import { relative, resolve } from 'node:path';
import { runMatrixCommand } from '../matrix/matrix-command.ts';
import { planMatrix } from '../matrix/plan-matrix.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { runScenario } from './run-scenario.ts';

export interface RunCommandOptions {
  readonly scenario: string;
  readonly set: readonly string[];
  /** Reports root; runs land in <out>/<scenario>/<run-id>/. Default: ./reports. */
  readonly out?: string;
}

const EXIT = { completed: 0, failed: 1, interrupted: 130 } as const;

/**
 * `faultline run`: validates the scenario before anything starts (a bad file costs no server),
 * runs it, or each variant of its matrix in turn (then exit codes are those of runMatrixCommand),
 * turns Ctrl-C and SIGTERM into an orderly stop, and exits 0 for a completed run whatever the
 * verdicts (a known-answer scenario is expected to be invalid), 1 for a failed run, 130 when
 * interrupted. A second Ctrl-C exits at once; the run's watchdog still reaps every server.
 */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const loaded = await loadScenario(options.scenario, options.set);
  // A matrix is expanded and every variant validated here, before the first server starts.
  const matrix = planMatrix(loaded, options.set, options.scenario);
  const { scenario } = loaded;
  const reportsRoot = resolve(options.out ?? 'reports');
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(130);
    const rest = matrix ? '; no further variant will start' : '';
    process.stderr.write(`\nfaultline: ${signal}: stopping the load, writing the report, tearing down${rest} (again to quit now)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (matrix) return await runMatrixCommand(matrix, { reportsRoot, signal: controller.signal });
    const { results, reportDir } = await runScenario(scenario, { reportsRoot, signal: controller.signal });
    const where = relative(process.cwd(), reportDir) || reportDir;
    const verdicts = Object.entries(results.checks)
      .map(([name, check]) => `${name} ${check.verdict}`)
      .join(', ');
    const t = results.totals;
    process.stdout.write(
      `\n${results.run.status}: ${t.count} ops, ${t.throughput.toFixed(0)} ops/s, p50 ${t.latencyMs.p50} ms, p99 ${t.latencyMs.p99} ms, ` +
        `${t.fail} fail, ${t.info} info${verdicts ? `; checks: ${verdicts}` : ''}\nreport: ${where}/report.html (and report.md, results.json)\n`,
    );
    if (results.run.error) process.stderr.write(`faultline: run ${results.run.status}: ${results.run.error.split('\n')[0]}\n`);
    return EXIT[results.run.status];
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
