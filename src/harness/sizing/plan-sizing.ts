import { UsageError } from '../output/exit-codes.ts';
import type { MatrixPlan, PlannedVariant } from '../matrix/plan-matrix.ts';
import { planMatrix } from '../matrix/plan-matrix.ts';
import { shortPaths, variantLabel, variantSlugs } from '../compare/variant-label.ts';
import { formatPath, parsePath, startsWith } from '../scenario/dotted-path.ts';
import { parseDuration } from '../units/duration.ts';
import type { LoadedScenario } from '../scenario/load-scenario.ts';
import { parseScenario } from '../scenario/parse-scenario.ts';
import { MAX_MATRIX_VARIANTS, type LoopSpec } from '../scenario/schema.ts';
import { operationMix } from '../workload/ecommerce/operation-mix.ts';
import { MIN_LEVELS } from './usl-fit.ts';

// `faultline size` is a matrix run with one more dimension: the closed loop's concurrency. It is
// planned here, before any server starts, through the matrix planner, so every level is
// validated exactly as a variant would be. A scenario that already has a matrix (replication
// modes, topologies) is sized once per combination of its values: each is one "unit".

export interface SizingOptions {
  /** As typed: "1,2,4,8". */
  readonly concurrency?: string;
  /** As typed: "500". */
  readonly target?: string;
  /** As typed: "0.75"; default 0.75. */
  readonly operatingPoint?: string;
  /** As typed: "5s"; default the scenario's. */
  readonly duration?: string;
}

export interface SizingGroupPlan {
  /** The other dimensions' values, as a variant label ("replication=sync"); "" without a matrix. */
  readonly label: string;
  readonly values: Record<string, unknown>;
  /** In level order. */
  readonly levels: readonly { readonly concurrency: number; readonly variant: PlannedVariant }[];
}

export interface SizingPlan {
  readonly matrix: MatrixPlan;
  readonly levels: readonly number[];
  readonly groups: readonly SizingGroupPlan[];
  readonly target: number | null;
  readonly operatingPoint: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** The scenario's own loop, which every level replaces. */
  readonly scenarioLoop: LoopSpec;
}

// The loop is replaced whole, so an open-loop scenario is measured closed too (the USL's N is
// a number of clients that each wait for their answer).
const LOOP_KEY = 'workload.loop';
const LOOP_PATH = ['workload', 'loop'];

export function planSizing(loaded: LoadedScenario, setArgs: readonly string[], options: SizingOptions, file: string = loaded.file): SizingPlan {
  const levels = parseConcurrencyLevels(options.concurrency);
  const target = checkTarget(options.target);
  const operatingPoint = checkOperatingPoint(options.operatingPoint);
  const durationArgs = options.duration === undefined ? [] : [`workload.duration=${checkDuration(options.duration)}ms`];
  refuseLoopEdits(loaded, setArgs);
  const existing = Object.values(loaded.scenario.matrix ?? {}).reduce((product, values) => product * values.length, 1);
  if (existing * levels.length > MAX_MATRIX_VARIANTS) {
    throw new UsageError(
      `--concurrency: ${levels.length} levels × ${existing} matrix variants = ${existing * levels.length} runs; at most ${MAX_MATRIX_VARIANTS} run ` +
        'in one sizing: give fewer levels or narrow the matrix',
    );
  }
  const loops = levels.map((concurrency) => ({ kind: 'closed', concurrency }));
  const matrixArg = `matrix[${JSON.stringify(LOOP_KEY)}]=${JSON.stringify(loops)}`;
  const args = [...setArgs, ...durationArgs, matrixArg];
  // The matrix planner expands the matrix of the scenario it is given: the one with the levels.
  const withLevels = { ...loaded, scenario: parseScenario(loaded.source, file, args) };
  const plan = planMatrix(withLevels, args, file);
  if (!plan) throw new Error('planSizing: the concurrency dimension did not make a matrix');
  const sized = relabel(plan);
  refuseWithoutCheckout(sized.groups);
  const first = sized.matrix.variants[0]!.scenario.workload;
  return { ...sized, levels, target, operatingPoint, durationMs: first.duration, warmupMs: first.warmup, scenarioLoop: loaded.scenario.workload.loop };
}

/** "1,2,4,8" → [1, 2, 4, 8]; at least three distinct whole numbers ≥ 1, in any order. */
export function parseConcurrencyLevels(text: string | undefined): number[] {
  if (text === undefined) throw new UsageError('size needs --concurrency, the client counts to measure, e.g. --concurrency 1,2,4,8');
  const parts = String(text)
    .split(/[\s,]+/)
    .filter((part) => part !== '');
  const bad = parts.find((part) => !/^\d+$/.test(part) || Number(part) < 1);
  if (bad !== undefined) throw new UsageError(`--concurrency: "${bad}" is not a number of clients; give whole numbers ≥ 1 separated by commas, e.g. --concurrency 1,2,4,8`);
  const levels = parts.map(Number);
  const duplicate = levels.find((n, i) => levels.indexOf(n) !== i);
  if (duplicate !== undefined) throw new UsageError(`--concurrency: ${duplicate} is given twice; each level runs once`);
  if (levels.length < MIN_LEVELS) {
    throw new UsageError(
      `--concurrency: the USL fit has 3 parameters and needs at least ${MIN_LEVELS} levels, got ${levels.length}` +
        `${levels.length > 0 ? ` (${levels.join(',')})` : ''}; e.g. --concurrency 1,2,4,8`,
    );
  }
  return levels.sort((a, b) => a - b);
}

function checkTarget(text: string | undefined): number | null {
  if (text === undefined) return null;
  const target = positiveNumber(text);
  if (!Number.isFinite(target) || target <= 0) throw new UsageError(`--target: expected orders per second above 0, e.g. --target 500, got "${text}"`);
  return target;
}

/** 70–80% of the peak is the usual headroom for bursts and failover; 0.75 sits in the middle. */
export const DEFAULT_OPERATING_POINT = 0.75;

function checkOperatingPoint(text: string | undefined): number {
  if (text === undefined) return DEFAULT_OPERATING_POINT;
  const fraction = positiveNumber(text);
  if (!(fraction > 0 && fraction <= 1)) {
    throw new UsageError(`--operating-point: expected the fraction of the peak each unit runs at, above 0 and at most 1 (e.g. 0.75), got "${text}"`);
  }
  return fraction;
}

/** A plain decimal ("500", "0.75"); NaN for anything else ("1e3", "abc", ""). */
function positiveNumber(text: string): number {
  return /^\s*\d+(?:\.\d+)?\s*$/.test(String(text)) ? Number(text) : NaN;
}

function checkDuration(text: string): number {
  const ms = parseDuration(String(text));
  if (ms === undefined || ms <= 0) throw new UsageError(`--duration: "${text}" is not a duration above 0; write e.g. 5s, 500ms or 1m`);
  return ms;
}

// The loop is the dimension being measured: any other setting of it would be overwritten by
// every level, so it is refused with what to do instead.
function refuseLoopEdits(loaded: LoadedScenario, setArgs: readonly string[]): void {
  const clashes = (text: string) => {
    const path = parsePath(text.trim());
    return path !== undefined && (startsWith(path, LOOP_PATH) || startsWith(LOOP_PATH, path));
  };
  const set = setArgs.find((arg) => arg.includes('=') && clashes(arg.slice(0, arg.indexOf('='))));
  if (set) throw new UsageError(`--set ${set}: size sets workload.loop itself (a closed loop at each --concurrency level); leave the loop out`);
  const dimension = Object.keys(loaded.scenario.matrix ?? {}).find(clashes);
  if (dimension) throw new UsageError(`the scenario's matrix varies ${dimension}, which size sets itself (--concurrency); remove that dimension with --set`);
}

function relabel(plan: MatrixPlan): Pick<SizingPlan, 'matrix' | 'groups'> {
  const loopIndex = plan.dimensions.findIndex((d) => formatPath(d.path) === LOOP_KEY);
  const others = plan.dimensions.filter((_, i) => i !== loopIndex);
  const names = shortPaths(others.map((d) => d.path));
  const entries = plan.variants.map((variant) => {
    const rest = variant.assignments.filter((_, i) => i !== loopIndex);
    const group = variantLabel(names, rest.map((a) => a.value));
    const concurrency = (variant.assignments[loopIndex]!.value as { concurrency: number }).concurrency;
    const values = Object.fromEntries(others.map((d, i) => [d.key, rest[i]!.value]));
    return { variant, group, values, concurrency, label: group ? `${group},concurrency=${concurrency}` : `concurrency=${concurrency}` };
  });
  const slugs = variantSlugs(entries.map((entry) => entry.label));
  const variants = entries.map((entry, i) => ({ ...entry.variant, label: entry.label, slug: slugs[i]! }));
  const groups = new Map<string, { label: string; values: Record<string, unknown>; levels: { concurrency: number; variant: PlannedVariant }[] }>();
  entries.forEach((entry, i) => {
    const group = groups.get(entry.group) ?? { label: entry.group, values: entry.values, levels: [] };
    group.levels.push({ concurrency: entry.concurrency, variant: variants[i]! });
    groups.set(entry.group, group);
  });
  for (const group of groups.values()) group.levels.sort((a, b) => a.concurrency - b.concurrency);
  // Its own report folder: a sizing is not a run of the scenario, and `latest` of the scenario stays a run.
  return { matrix: { ...plan, name: `${plan.name}-sizing`, variants }, groups: [...groups.values()] };
}

function refuseWithoutCheckout(groups: readonly SizingGroupPlan[]): void {
  const without = groups.find((group) => !operationMix(group.levels[0]!.variant.scenario.workload).some((entry) => entry.f === 'checkout'));
  if (without) {
    throw new UsageError(
      `${without.label ? `${without.label}: ` : ''}the workload runs no checkout (weight 0), so there are no orders per second to size; ` +
        'give checkout a weight, e.g. --set workload.operations.checkout.weight=10',
    );
  }
}
