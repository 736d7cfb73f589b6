import { z } from 'zod';
import type { FaultAim, FaultEngine, FaultKindDefinition, FaultProblem, FaultScenarioView, PrimaryImpact } from './fault-kind.ts';
import { FAULT_KINDS } from './fault-registry.ts';

// What the rest of the harness asks about fault kinds, answered from the registry: no file but a
// kind's own names it.

type Kinds = typeof FAULT_KINDS;
/** Mapped over a type parameter, so a tuple stays a tuple (the union's options, in order). */
type SchemasOf<T extends readonly unknown[]> = { -readonly [I in keyof T]: T[I] extends { readonly schema: infer S } ? S : never };
type KindSchemas = SchemasOf<Kinds>;

/** A scenario's fault: one of the registered kinds, parsed. */
export type Fault = z.output<KindSchemas[number]>;
export type FaultKind = Fault['kind'];

const kinds: readonly FaultKindDefinition[] = FAULT_KINDS;

/** Every kind's name, in registry order (a zod enum's values). */
export const FAULT_KIND_NAMES = kinds.map((kind) => kind.name) as [FaultKind, ...FaultKind[]];

/** The definition of a kind by name (undefined: no such kind, e.g. in an old history). */
export function faultKind(name: string): FaultKindDefinition | undefined {
  return kinds.find((kind) => kind.name === name);
}

/** The definition of a parsed fault's kind, its methods taking the fault as it is. */
export function kindOf(fault: { readonly kind: string }): FaultKindDefinition<string, z.ZodType<typeof fault>> {
  const kind = faultKind(fault.kind);
  if (!kind) throw new Error(`no fault kind named ${fault.kind} is registered (fault-registry.ts)`);
  return kind as FaultKindDefinition<string, z.ZodType<typeof fault>>;
}

/** Every registered kind's fields, discriminated by `kind`, and the timing rules they share. */
export const Fault = z
  .discriminatedUnion('kind', kinds.map((kind) => kind.schema) as unknown as KindSchemas)
  .superRefine((fault, ctx) => {
    if ('every' in fault && fault.every !== undefined && fault.duration !== undefined && fault.duration >= fault.every) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'must be shorter than every, or the fault would overlap itself' });
    }
    if ('leaveDown' in fault && fault.leaveDown && (fault.duration !== undefined || fault.every !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['leaveDown'], message: 'a node left down is never healed: drop duration and every' });
    }
    if ('until' in fault && fault.until !== undefined && fault.every === undefined) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'only means something with every' });
    }
  });

/** True when a fault of this kind acts on links (the topology must route through what can cut them). */
export function isNetworkFault(kind: string): boolean {
  return faultKind(kind)?.network ?? false;
}

/** True when any of the faults acts on links. */
export function hasNetworkFaults(faults: readonly { readonly kind: string }[]): boolean {
  return faults.some((fault) => isNetworkFault(fault.kind));
}

/** Whose writes a fault of this kind takes away (a kind no longer registered: nobody's). */
export function primaryImpactOf(kind: string): PrimaryImpact {
  return faultKind(kind)?.primaryImpact ?? 'never';
}

/** The fields of a fault that name nodes or parties. */
export function faultAims(fault: { readonly kind: string }): FaultAim[] {
  return kindOf(fault).aims(fault);
}

/** A kind's own rules about the rest of the scenario. */
export function faultKindProblems(fault: { readonly kind: string }, scenario: FaultScenarioView): FaultProblem[] {
  return kindOf(fault).problems?.(fault, scenario) ?? [];
}

/** Why the containers provider cannot apply this fault to this engine's topology (undefined: it can). */
export function containerFaultProblem(fault: { readonly kind: string }, engine: FaultEngine): FaultProblem | undefined {
  const support = kindOf(fault).containers[engine];
  if (typeof support === 'function') return support(fault);
  if (support) return undefined;
  return {
    path: ['kind'],
    message: `the containers provider cannot apply ${fault.kind} (it has docker kill, stop, pause and network disconnect): use provider: { kind: local }`,
  };
}
