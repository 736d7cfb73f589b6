import { containerFaultProblem } from '../fault/fault-catalog.ts';
import type { FaultEngine } from '../fault/fault-kind.ts';
import { MONGO_CHECK_NEEDS, MONGO_TOPOLOGY_KINDS, mongoScenarioProblems } from './mongo-schema.ts';
import { pgContainerProblems, PG_TOPOLOGY_KINDS } from './pg-container-schema.ts';

// The scenario rules that depend on the database engine, as data per engine: its topology kinds,
// the checks only it has (with what they need), its own rules on the rest of the scenario. The
// schema validates with these alone, before any engine (src/engines/) is loaded; one table, no
// test of which engine a topology is anywhere else.

type Problem = [(string | number)[], string];

interface EngineScenario {
  readonly topology: { readonly kind: string };
  readonly provider: { readonly kind: string; readonly image?: string | undefined };
  readonly checks: readonly string[];
  readonly faults: readonly { readonly kind: string }[];
  readonly regions?: unknown;
  readonly latency?: readonly unknown[];
  readonly workload: { readonly threads: number };
}

interface EngineRules {
  /** Which column of each fault kind's container support applies (fault/kinds/). */
  readonly engine: FaultEngine;
  readonly kinds: readonly string[];
  /** Checks only this engine can run → what they need, for the message on another engine's topology. */
  readonly checks: Readonly<Record<string, string>>;
  problems(scenario: EngineScenario): Problem[];
  /** Topology kinds whose load runs in one thread only (workload.threads), and why. */
  readonly singleThreaded: Readonly<Record<string, string>>;
}

const MONGO_ONE_THREAD = "its worker connections (driver clients and causal sessions) belong to the run's own thread";

const ENGINE_RULES: readonly EngineRules[] = [
  {
    engine: 'postgres',
    kinds: PG_TOPOLOGY_KINDS,
    checks: {},
    problems: pgContainerProblems,
    singleThreaded: { 'pg-partitioned': "checkout's distributed commit (plain or 2pc) is driven from the run's own thread, where the kill at the commit point is" },
  },
  {
    engine: 'mongo',
    kinds: MONGO_TOPOLOGY_KINDS,
    checks: MONGO_CHECK_NEEDS,
    problems: mongoScenarioProblems,
    singleThreaded: Object.fromEntries(MONGO_TOPOLOGY_KINDS.map((kind) => [kind, MONGO_ONE_THREAD])),
  },
];

/** Combinations the schema of each part cannot see: checks, providers and faults that do not fit the topology's engine. */
export function engineScenarioProblems(scenario: EngineScenario): Problem[] {
  const kind = scenario.topology.kind;
  const own = ENGINE_RULES.find((rules) => rules.kinds.includes(kind));
  if (!own) return [];
  const problems: Problem[] = [];
  scenario.checks.forEach((check, i) => {
    const need = ENGINE_RULES.find((rules) => rules !== own && check in rules.checks)?.checks[check];
    if (need !== undefined && !(check in own.checks)) problems.push([['checks', i], `${check} ${need}; ${kind} has none: remove it`]);
  });
  problems.push(...own.problems(scenario));
  const oneThread = own.singleThreaded[kind];
  if (scenario.workload.threads > 1 && oneThread) problems.push([['workload', 'threads'], `${kind} runs its load in one thread (${oneThread}): set it to 1`]);
  if (scenario.provider.kind !== 'containers') return problems;
  // Which faults containers can apply, per engine, each fault kind says (fault/kinds/).
  scenario.faults.forEach((fault, i) => {
    const problem = containerFaultProblem(fault, own.engine);
    if (problem) problems.push([['faults', i, ...problem.path], problem.message]);
  });
  return problems;
}
