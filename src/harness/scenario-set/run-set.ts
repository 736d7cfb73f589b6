import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildComparison } from '../compare/build-comparison.ts';
import type { Comparison } from '../compare/comparison-types.ts';
import { writeComparison } from '../compare/write-comparison.ts';
import { createNewRunDir, markLatest } from '../report/report-dir.ts';
import type { RunResults } from '../results/results-types.ts';
import { runScenario } from '../run/run-scenario.ts';
import type { SetMember, SetPlan } from './plan-set.ts';
import { runsExitCode } from '../output/exit-codes.ts';

// A set run: the scenario files one after another (never two at once, as for matrix variants:
// each starts its own servers), then one comparison of everything that ran.
//
// Layout: reports/<first-name>-set/<run-id>/
//   <scenario-name>/             a complete run folder (results.json, report.md, history...)
//   comparison.json, comparison.md, comparison.html
// and reports/<first-name>-set/latest points at the set run folder.

export interface SetRunOptions {
  readonly reportsRoot: string;
  /** Aborting interrupts the current scenario (it still reports and tears down) and starts no other. */
  readonly signal?: AbortSignal;
  readonly print?: (line: string) => void;
}

export interface SetOutcome {
  readonly runId: string;
  readonly dir: string;
  readonly outcomes: readonly { readonly member: SetMember; readonly results: RunResults }[];
  readonly notRun: readonly SetMember[];
  readonly comparison: Comparison;
}

// runScenario names its own folder <root>/<scenario>/<run-id>/; it is renamed into place after.
const STAGING = '.staging';

export async function runSet(plan: SetPlan, options: SetRunOptions): Promise<SetOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { runId, dir } = await createNewRunDir(options.reportsRoot, plan.name);
  const staging = path.join(dir, STAGING);
  const outcomes: { member: SetMember; results: RunResults }[] = [];
  const total = plan.members.length;
  print(`faultline: set ${plan.name}, ${total} scenarios, run ${runId}`);
  let failure: { error: unknown } | undefined;
  try {
    for (const [i, member] of plan.members.entries()) {
      if (options.signal?.aborted) break;
      print(`\nfaultline: scenario ${i + 1}/${total}: ${member.label}`);
      const run = await runScenario(member.scenario, { reportsRoot: staging, signal: options.signal, print });
      await rename(run.reportDir, path.join(dir, member.slug));
      outcomes.push({ member, results: run.results });
      if (run.results.run.status === 'interrupted') break;
    }
  } catch (error) {
    failure = { error };
  }
  await rm(staging, { recursive: true, force: true });
  // Also after an error or an interrupt: a comparison of what ran is worth having.
  const notRun = plan.members.slice(outcomes.length);
  const runs = outcomes.map(({ member, results }) => ({ label: member.label, dir: member.slug, results }));
  const comparison = buildComparison(runs, { notRun: notRun.map((member) => member.label) });
  await writeComparison(dir, comparison);
  await markLatest(options.reportsRoot, plan.name, runId);
  if (failure) throw failure.error;
  return { runId, dir, outcomes, notRun, comparison };
}

/** Exit code with the meaning of a matrix run's: 0 all completed, 130 interrupted, else 1. */
export function setExitCode(outcome: SetOutcome, aborted: boolean): number {
  return runsExitCode(
    outcome.outcomes.map(({ results }) => results.run.status),
    outcome.notRun.length,
    aborted,
  );
}

export function summarizeSet(outcome: SetOutcome): string {
  const width = Math.max(0, ...outcome.outcomes.map(({ member }) => member.label.length));
  const lines = outcome.outcomes.map(({ member, results }) => {
    const t = results.totals;
    return `  ${member.label.padEnd(width)}  ${results.run.status.padEnd(11)} ${t.throughput.toFixed(0).padStart(6)} ops/s  p99 ${String(t.latencyMs.p99).padStart(8)} ms  ${t.fail} fail, ${t.info} info`;
  });
  const where = path.relative(process.cwd(), outcome.dir) || outcome.dir;
  const ran = `${outcome.outcomes.length} of ${outcome.outcomes.length + outcome.notRun.length} scenarios ran`;
  return `\nset ${ran}:\n${lines.join('\n')}\ncomparison: ${where}/comparison.md\n`;
}
