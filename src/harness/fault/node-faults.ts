import type { InjectContext, InjectedFault } from './fault-kind.ts';
import type { FaultableNode } from './fault-surface.ts';
import { resolveTarget } from './targets.ts';

// How node faults (kill, stop, pause) act: on every node their target names at the moment they
// start, healed by the topology's recover (which knows whether a killed primary comes back as a
// replica, and that a paused node may have been fenced meanwhile).

/** Acts on each node the target names now; the heal recovers them. */
export async function injectOnNodes(target: string, context: InjectContext, act: (node: FaultableNode) => Promise<void>): Promise<InjectedFault> {
  const { surface } = context;
  const targets = resolveTarget(target, surface.nodesNow(), context.random);
  await Promise.all(targets.map((name) => act(surface.node(name))));
  return { targets, heal: async () => void (await Promise.all(targets.map((name) => surface.recover(name)))) };
}

/** `part: manager | store` (failover.mode patroni): one process beside the node's server, not the node. */
export async function injectOnNodePart(
  target: string,
  part: 'manager' | 'store',
  context: InjectContext,
  act: (control: { kill(): Promise<void>; pause(): Promise<void> }) => Promise<void>,
): Promise<InjectedFault> {
  const { surface } = context;
  if (!surface.nodePart) throw new Error(`part: ${part} needs a topology whose nodes run a manager and a store member (failover.mode patroni)`);
  const targets = resolveTarget(target, surface.nodesNow(), context.random);
  const controls = targets.map((name) => surface.nodePart!(name, part));
  await Promise.all(controls.map(act));
  return { targets, heal: async () => void (await Promise.all(controls.map((control) => control.recover()))) };
}

/** The part a node fault aims at, when it is not the whole node. */
export function nodePartOf(fault: { readonly part?: 'node' | 'manager' | 'store' | undefined }): 'manager' | 'store' | undefined {
  return fault.part === undefined || fault.part === 'node' ? undefined : fault.part;
}
