import { kindOf, type Fault } from './fault-catalog.ts';
import type { InjectedFault } from './fault-kind.ts';
import type { FaultSurface } from './fault-surface.ts';
import type { NetworkFaults } from './link-effects.ts';
import type { Chooser } from './targets.ts';

export type { InjectedFault } from './fault-kind.ts';

/** Injects one fault occurrence now, as its kind does. Throws when the fault cannot be applied (the nemesis records it). */
export async function injectFault(id: number, fault: Fault, surface: FaultSurface, network: NetworkFaults, random: Chooser): Promise<InjectedFault> {
  return kindOf(fault).inject(fault, { id, surface, network, random });
}
