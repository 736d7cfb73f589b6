import { relative } from 'node:path';
import { usableOutDir } from '../output/out-dir.ts';
import { planMatrix } from '../matrix/plan-matrix.ts';
import { ExitCode, UsageError } from '../output/exit-codes.ts';
import { withSignals } from '../process/with-signals.ts';
import { loadScenario, type LoadedScenario } from '../scenario/load-scenario.ts';
import { planSet, type SetPlan } from '../scenario-set/plan-set.ts';
import { checkProvider, providerOverride } from '../run/provider-preflight.ts';
import { markNotes } from '../report/saturation-figures.ts';
import type { RunResults } from '../results/results-types.ts';

export interface RunCommandOptions {
  /** One file: a run (or its matrix); several: a set, see runSetCommand. */
  readonly scenarios: readonly string[];
  readonly set: readonly string[];
  /** Reports root; runs land in <out>/<scenario>/<run-id>/. Default: ./reports. */
  readonly out?: string;
  /** --provider: run on local processes or in containers whatever the files say. */
  readonly provider?: 'local' | 'containers';
}

/** Loads a file with --set, then --provider (which needs to know the file's own provider first). */
async function load(file: string, set: readonly string[], provider: RunCommandOptions['provider']): Promise<{ loaded: LoadedScenario; set: string[] }> {
  const loaded = await loadScenario(file, set);
  const extra = providerOverride(loaded.scenario, provider);
  if (extra.length === 0) return { loaded, set: [...set] };
  return { loaded: await loadScenario(file, [...set, ...extra]), set: [...set, ...extra] };
}

const EXIT = { completed: ExitCode.ok, failed: ExitCode.internal, interrupted: ExitCode.interrupted } as const;

// The runners (every topology, the driver, the reports) are loaded once the files and the
// machine have passed their checks: a bad argument is reported in the time --help takes.
const scenarioRunner = () => import('../run/run-scenario.ts');
const matrixRunner = () => import('../matrix/matrix-command.ts');
const setRunner = () => import('../scenario-set/run-set.ts');

/**
 * `faultline run`: validates the scenario before anything starts (a bad file costs no server),
 * runs it, or each variant of its matrix in turn (then exit codes are those of runMatrixCommand),
 * turns Ctrl-C and SIGTERM into an orderly stop, and exits 0 for a completed run whatever the
 * verdicts (a known-answer scenario is expected to be invalid), 1 for a failed run, 130 when
 * interrupted. A second Ctrl-C exits at once; the run's watchdog still reaps every server.
 */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  // --out is checked once the files are: a bad file is the first thing to hear about.
  const outDir = () => usableOutDir(options.out ?? 'reports');
  const [file, ...more] = options.scenarios;
  if (file === undefined) throw new UsageError('run needs a scenario file, e.g. faultline run scenarios/quickstart.yaml');
  if (more.length > 0) {
    // Every file is read and validated (--set applies to each) before the first server starts.
    const loaded: LoadedScenario[] = [];
    for (const each of options.scenarios) loaded.push((await load(each, options.set, options.provider)).loaded);
    const plan = planSet(loaded);
    for (const member of plan.members) await checkProvider(member.scenario);
    const reportsRoot = await outDir();
    return withSignals('; no further scenario will start', (signal) => runSetCommand(plan, { reportsRoot, signal }));
  }
  const { loaded, set } = await load(file, options.set, options.provider);
  // A matrix is expanded and every variant validated here, before the first server starts.
  const matrix = planMatrix(loaded, set, file);
  const { scenario } = loaded;
  // So is whether this machine has the engine and provider they need.
  for (const each of matrix ? matrix.variants.map((v) => v.scenario) : [scenario]) await checkProvider(each);
  const reportsRoot = await outDir();
  if (matrix) {
    const { runMatrixCommand } = await matrixRunner();
    return withSignals('; no further variant will start', (signal) => runMatrixCommand(matrix, { reportsRoot, signal }));
  }
  const { runScenario } = await scenarioRunner();
  return withSignals('', async (signal) => {
    const { results, reportDir } = await runScenario(scenario, { reportsRoot, signal });
    const where = relative(process.cwd(), reportDir) || reportDir;
    const verdicts = Object.entries(results.checks)
      .map(([name, check]) => `${name} ${check.verdict}`)
      .join(', ');
    const t = results.totals;
    process.stdout.write(
      `\n${results.run.status}: ${t.count} ops, ${t.throughput.toFixed(0)} ops/s, p50 ${t.latencyMs.p50} ms, p99 ${t.latencyMs.p99} ms, ` +
        `${t.fail} fail, ${t.info} info${results.load.dropped ? `, ${results.load.dropped} dropped` : ''}${verdicts ? `; checks: ${verdicts}` : ''}\n` +
        markLines(results) +
        (results.run.status === 'interrupted' ? `report: ${where}/report.md and results.json (interrupted: no charts)\n` : `report: ${where}/report.html (and report.md, results.json)\n`),
    );
    if (results.run.error) process.stderr.write(`faultline: run ${results.run.status}: ${results.run.error.split('\n')[0]}\n`);
    return EXIT[results.run.status];
  });
}

/** The run's marks (overloaded, harness-bound), one line each, as the reports state them. */
function markLines(results: RunResults): string {
  return markNotes(results)
    .map((note) => `${note.title}: ${note.text}\n`)
    .join('');
}

/** A set of files: one line per scenario and where the comparison is; exit codes as for a matrix. */
async function runSetCommand(plan: SetPlan, options: { reportsRoot: string; signal: AbortSignal }): Promise<number> {
  const { runSet, setExitCode, summarizeSet } = await setRunner();
  const outcome = await runSet(plan, options);
  process.stdout.write(summarizeSet(outcome));
  for (const { member, results } of outcome.outcomes) {
    if (results.run.error) process.stderr.write(`faultline: scenario ${member.label} ${results.run.status}: ${results.run.error.split('\n')[0]}\n`);
  }
  return setExitCode(outcome, options.signal.aborted);
}
