import type { z } from 'zod';
import type { FaultSurface } from './fault-surface.ts';
import type { NetworkFaults } from './link-effects.ts';
import type { Chooser } from './targets.ts';

// A fault kind is one package, as in Jepsen's nemesis/combined.clj: its scenario fields, what it
// may aim at, which providers can apply it, how it is injected and healed. Each lives in one file
// under kinds/ and is listed once in fault-registry.ts; everything else asks the registry
// (fault-catalog.ts) for a property instead of naming kinds.

/** An injected fault: what it hit, and how to undo it. */
export interface InjectedFault {
  readonly targets: readonly string[];
  /** Over as soon as injected (a failover step, a reset pulse): it ends right after it starts. */
  readonly instant?: boolean;
  heal(): Promise<void>;
}

/** What an injection gets: the occurrence, the topology's abilities, the run's link effects and randomness. */
export interface InjectContext {
  /** The occurrence's id: it keys the link effects the fault adds, so its heal removes only its own. */
  readonly id: number;
  readonly surface: FaultSurface;
  readonly network: NetworkFaults;
  readonly random: Chooser;
}

/** A problem with one fault of a scenario: the path under faults[i], and what to do about it. */
export interface FaultProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A field that names where a fault strikes, checked against the topology's nodes before any server starts. */
export interface FaultAim {
  readonly path: readonly (string | number)[];
  readonly name: string;
  /** A side of a link or partition: clients and regions are parties too. */
  readonly party: boolean;
}

/** What a kind's own scenario rules see of the scenario (structural: fault/ needs nothing of scenario/). */
export interface FaultScenarioView {
  readonly topology: { readonly kind: string; readonly failover?: { readonly mode: string } | undefined };
}

/** The database engine a provider runs, where support differs by engine. */
export type FaultEngine = 'postgres' | 'mongo';

/**
 * Whether the containers provider can apply the fault: yes, no (the registry says what it has),
 * or only some forms of it (the problem with this one).
 */
export type ContainerSupport<F> = boolean | ((fault: F) => FaultProblem | undefined);

/** Whose writes a fault takes away, for the write-outage figures. */
export type PrimaryImpact =
  /** A planned switch-over: always counted as hitting the primary. */
  | 'always'
  /** When one of its targets was accepting writes as it began. */
  | 'when-aimed-at-a-writer'
  /** Link faults: the outage figures do not attribute them to the primary. */
  | 'never';

export interface FaultKindDefinition<Name extends string = string, S extends z.ZodType = z.ZodType> {
  /** The `kind` of the scenario's fault, and its label in the history, results.json and the report. */
  readonly name: Name;
  /** Its scenario fields: a strict object whose `kind` is the literal name. */
  readonly schema: S;
  /** Acts on links: the topology must put link proxies (or namespace rules) where it would otherwise connect directly. */
  readonly network: boolean;
  readonly primaryImpact: PrimaryImpact;
  /** The local provider applies every kind; containers what this says, per engine. */
  readonly containers: Readonly<Record<FaultEngine, ContainerSupport<z.output<S>>>>;
  /** The fields naming nodes or parties, for the target checks. */
  aims(fault: z.output<S>): FaultAim[];
  /** Rules of its own that need the rest of the scenario (none: leave it out). */
  problems?(fault: z.output<S>, scenario: FaultScenarioView): FaultProblem[];
  /** Injects one occurrence now; throws when it cannot be applied (the nemesis records the error). */
  inject(fault: z.output<S>, context: InjectContext): Promise<InjectedFault>;
}

/** Types a kind's definition from its schema (the methods get its parsed fields). */
export function defineFaultKind<const Name extends string, S extends z.ZodType<{ kind: Name }>>(
  definition: FaultKindDefinition<Name, S>,
): FaultKindDefinition<Name, S> {
  return definition;
}
