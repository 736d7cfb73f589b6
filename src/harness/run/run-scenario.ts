import { join } from 'node:path';
import { engineFor } from '../../engines/registry/engine-registry.ts';
import { hasOwnConnections, hasRegionalEndpoints, type EngineRun } from '../../engines/engine.ts';
import { checkFinalState } from './check-final-state.ts';
import type { LoadRunner } from '../driver/load-runner.ts';
import { RunClock } from '../history/run-clock.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { LatencyRecorder } from '../metrics/latency-recorder.ts';
import { RunSandbox } from '../process/run-sandbox.ts';
import { createNewRunDir } from '../report/report-dir.ts';
import { markPartial, notePartialNodes } from '../report/partial-runs.ts';
import type { RunResults } from '../results/results-types.ts';
import type { OperationName, Scenario } from '../scenario/schema.ts';
import { withPlacement, type PlacementResults } from '../../topologies/postgres/partitioned/placement-results.ts';
import type { DistributedCommitResults } from '../results/distributed-commit-results.ts';
import type { MultiLeaderResults } from '../results/multi-leader-results.ts';
import { withRegionalCentral, type RegionalCentralResults } from '../../topologies/postgres/regional/regional-results.ts';
import { collectNodeLogs } from './collect-node-logs.ts';
import { PhaseTimer } from './phase-timer.ts';
import { abortable, PhaseInterrupted } from '../process/abortable.ts';
import { runLoad } from './run-load.ts';
import { writeRunReports } from './write-run-reports.ts';
import { buildResults, type RunState } from './run-state.ts';

export interface RunOptions {
  readonly reportsRoot: string;
  /** Aborting stops the load at once; the run still checks nothing more, reports and tears down. */
  readonly signal?: AbortSignal;
  readonly print?: (line: string) => void;
}

export interface RunOutcome {
  readonly results: RunResults;
  readonly reportDir: string;
}

class Interrupted extends Error {}

/**
 * The run, in one readable sequence: provision, schema, load, warmup + run, quiesce, check,
 * report, teardown. Teardown always runs, and a run that fails or is interrupted still reports
 * everything it measured before it stopped.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { runId, dir: reportDir } = await createNewRunDir(options.reportsRoot, scenario.name);
  // Until the reports are written: a run killed with SIGKILL stays recognisable as incomplete.
  await markPartial(reportDir, scenario.name, scenario);
  const state: RunState = {
    runId,
    startedAt: new Date(),
    scenario,
    status: 'completed',
    topologyKind: scenario.topology.kind,
    nodes: [],
    checks: {},
    faults: [],
    failovers: [],
  };
  const phases = new PhaseTimer();
  const recorder = new LatencyRecorder();
  const clock = new RunClock();
  const history = new HistoryWriter(join(reportDir, 'history.jsonl'));
  let driver: LoadRunner | undefined;
  const interrupt = () => {
    state.status = 'interrupted';
    driver?.stop();
  };
  options.signal?.addEventListener('abort', interrupt, { once: true });
  // A Ctrl-C that arrived before the listener (during the first awaits) still counts.
  if (options.signal?.aborted) interrupt();
  const checkpoint = () => {
    if (state.status === 'interrupted') throw new Interrupted('interrupted by the user');
  };
  const sandbox = await RunSandbox.create(runId);
  let provisioned: EngineRun | undefined;
  let placement: PlacementResults | undefined;
  let distributedCommit: DistributedCommitResults | undefined;
  let multiLeader: MultiLeaderResults | undefined;
  let regionalCentral: RegionalCentralResults | undefined;
  try {
    print(`faultline: ${scenario.name} (${scenario.topology.kind}), run ${runId}`);
    provisioned = await phases.time('provision', async () => {
      const created = await engineFor(scenario.topology.kind).provision(scenario, sandbox, options.signal);
      provisioned = created; // Teardown must see it even when start() fails half-way.
      state.engineVersion = created.engineVersion;
      state.provider = created.runsOn;
      // Not raced against Ctrl-C: a start left running could spawn servers after the teardown.
      // Topologies whose start is long (Patroni, containers) stop their own waits on the signal.
      await created.topology.start();
      return created;
    });
    const { topology } = provisioned;
    state.nodes = topology.describe();
    // So that a report summarised after a kill can name them.
    await notePartialNodes(reportDir, state.nodes);
    print(`  topology ready in ${phases.durations.provision} ms: ${state.nodes.map((n) => `${n.name}:${n.port}`).join(', ')}`);
    checkpoint();
    // The engine's dialect: schema and dataset on the nodes that need them (engines/*/).
    const run = provisioned;
    await phases.time('schema', () => run.createSchema());
    // The load stops on Ctrl-C by itself (PostgreSQL's COPY yields, MongoDB's batches); the race covers what it cannot.
    state.dataset = await phases.time('load', async () => {
      const loaded = await abortable(run.loadDataset(options.signal), options.signal, 'the dataset load');
      // Once the dataset is on every dataset node: subscriptions, regional pruning.
      await topology.afterLoad?.();
      return loaded;
    });
    // Replica reads must see the dataset from the first operation on.
    await phases.time('settle', () => abortable(topology.quiesce(30_000), options.signal, 'settle'));
    // Shard load is counted from here: the dataset's own inserts are not the workload's.
    await topology.placement?.markBaseline();
    print(`  dataset loaded in ${phases.durations.load} ms; warmup ${scenario.workload.warmup} ms, run ${scenario.workload.duration} ms`);
    checkpoint();

    let runStart = clock.now() + scenario.workload.warmup;
    topology.observe((event) => {
      history.append(event);
      if (event.type === 'failover') {
        const ms = (time: number) => Math.round(time - runStart);
        state.failovers.push({ from: event.from, to: event.to, detectedAtMs: ms(event.detectedAt), promotedAtMs: ms(event.time) });
      }
    }, () => clock.now());
    const load = await runLoad({
      scenario,
      topology,
      workload: run.workload,
      threadWorkload: run.threadWorkload,
      lagSampler: (sink, now) => run.lagSampler(sink, now),
      ...(hasOwnConnections(run) ? { openConnections: (w: number) => run.openConnections(w) } : {}),
      history,
      recorder,
      clock,
      phases,
      reportDir,
      print,
      ...(hasRegionalEndpoints(run) ? { endpointFor: (node, region) => run.endpointFor(node, region) } : {}),
      onDriver: (created) => {
        driver = created;
      },
      onLoadStart: (start) => {
        runStart = start;
      },
    });
    state.driver = load;
    state.faults = load.faults;
    state.nodes = topology.describe(); // Roles as they ended, after any failover.
    checkpoint();
    history.append({ type: 'phase', phase: 'quiesce', time: clock.now(), wallClock: new Date().toISOString() });
    await phases.time('quiesce', () => abortable(topology.quiesce(30_000), options.signal, 'quiesce'));
    if (topology.distributedCommit) {
      // Two-phase commit: whatever a node still holds prepared is finished before anything is checked.
      await phases.time('recover', () => topology.distributedCommit!.resolveInDoubt());
      distributedCommit = topology.distributedCommit.report();
    }
    const shardLoad = await topology.placement?.report();
    await history.close();
    state.checks = await phases.time('check', () =>
      abortable(checkFinalState(scenario, run, history.path, load.workers), options.signal, 'the checks'),
    );
    // Conflicts from the leaders' logs and what they still disagree on; a report, so never fatal.
    multiLeader = await topology.multiLeaderReport?.().catch((error: unknown) => {
      print(`  multi-leader report failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    // Freshness per region and central's analytics (queries on central, after the checks read it).
    regionalCentral = await topology.regionalReport?.(load.runStart).catch((error: unknown) => {
      print(`  regional report failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    // After the checks: the fan-out probes run real operations, which the checkers must not see.
    if (shardLoad && run.measureFanout) {
      const ran = Object.keys(recorder.summarize(load.measuredMs).operations) as OperationName[];
      const fanout = await phases.time('fanout', () => run.measureFanout!(ran));
      placement = { ...shardLoad, fanout };
    }
  } catch (error) {
    if (!(error instanceof Interrupted) && !(error instanceof PhaseInterrupted) && state.status !== 'interrupted') state.status = 'failed';
    state.error = error instanceof Error ? error.message : String(error);
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    await history.close().catch(() => {});
  }

  const secrets = provisioned?.secrets ?? [];
  // Teardown always, also when building or writing the report fails (a bug must not leave servers).
  let stopping: Promise<void> | undefined;
  let results: RunResults;
  try {
    results = withPlacement(buildResults(state, recorder, phases.durations), placement);
    if (multiLeader) results = { ...results, multiLeader };
    if (distributedCommit) results = { ...results, distributedCommit };
    results = withRegionalCentral(results, regionalCentral);
    // Interrupted: nothing more is read from the servers, so they stop while the report is written
    // (on a loaded machine the two in turn kept Ctrl-C waiting seconds).
    stopping = state.status === 'interrupted' ? teardown(provisioned, sandbox, reportDir, secrets) : undefined;
    stopping?.catch(() => undefined); // Awaited below; until then its failure must not count as unhandled.
    const written = results;
    await phases.time('report', () => writeRunReports(reportDir, written, options.reportsRoot, secrets, recorder));
  } finally {
    await (stopping ?? teardown(provisioned, sandbox, reportDir, secrets));
  }
  results = { ...results, run: { ...results.run, phasesMs: phases.durations } };
  return { results, reportDir };
}

async function teardown(
  provisioned: EngineRun | undefined,
  sandbox: RunSandbox,
  reportDir: string,
  secrets: readonly string[],
): Promise<void> {
  try {
    if (provisioned) {
      await provisioned.topology[Symbol.asyncDispose]();
      await provisioned.provider[Symbol.asyncDispose]();
      await collectNodeLogs(provisioned.provider.nodes, reportDir, secrets);
    }
  } finally {
    await sandbox[Symbol.asyncDispose]();
  }
}
