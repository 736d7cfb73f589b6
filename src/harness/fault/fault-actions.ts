import type { Fault } from '../scenario/fault-schema.ts';
import type { Random } from '../workload/random.ts';
import type { FaultSurface } from './fault-surface.ts';
import type { NetworkFaults } from './link-effects.ts';
import { linksAcrossSides, linksBetween, linksTouching, type LinkSelection } from './link-selection.ts';
import { resolveParty, resolveTarget } from './targets.ts';

/** An injected fault: what it hit, and how to undo it. */
export interface InjectedFault {
  readonly targets: readonly string[];
  /** Over as soon as injected (a failover step, a reset pulse): it ends right after it starts. */
  readonly instant?: boolean;
  heal(): Promise<void>;
}

const noHeal = async () => {};
/** A reset without a duration is a pulse: connections are reset, then the link passes again. */
const RESET_PULSE_MS = 200;

function selectLinks(fault: Fault, surface: FaultSurface, random: Random): LinkSelection[] {
  const nodes = surface.nodesNow();
  const links = surface.links();
  const party = (name: string) => new Set(resolveParty(name, nodes, random, links));
  switch (fault.kind) {
    case 'partition':
      if (fault.isolate !== undefined) return linksTouching(links, party(fault.isolate));
      if (fault.sides !== undefined) return linksAcrossSides(links, fault.sides.map((side) => new Set(side.flatMap((p) => [...party(p)]))));
      return linksBetween(links, party(fault.between![0]), party(fault.between![1]), fault.direction === 'one-way');
    case 'latency':
    case 'bandwidth':
      if (fault.between === undefined) return links.map((link) => ({ link: link.name, direction: 'both' }));
      return linksBetween(links, party(fault.between[0]), party(fault.between[1]));
    case 'reset':
      return linksTouching(links, party(fault.target));
    default:
      return [];
  }
}

async function injectOnLinks(id: number, fault: Fault, surface: FaultSurface, network: NetworkFaults, random: Random): Promise<InjectedFault> {
  const selection = selectLinks(fault, surface, random);
  for (const { link, direction } of selection) {
    if (fault.kind === 'partition') await network.apply(id, link, { kind: 'cut', mode: fault.mode, direction });
    if (fault.kind === 'reset') await network.apply(id, link, { kind: 'cut', mode: 'reset', direction });
    if (fault.kind === 'latency') await network.apply(id, link, { kind: 'latency', delayMs: fault.delay, jitterMs: fault.jitter, direction });
    if (fault.kind === 'bandwidth') await network.apply(id, link, { kind: 'bandwidth', bytesPerSecond: fault.bytesPerSecond, direction });
  }
  const pulse = fault.kind === 'reset' && fault.duration === undefined;
  if (pulse) {
    await new Promise((resolve) => setTimeout(resolve, RESET_PULSE_MS));
    await network.remove(id);
  }
  return { instant: pulse, targets: selection.map((s) => (s.direction === 'both' ? s.link : `${s.link} (${s.direction})`)), heal: () => network.remove(id) };
}

/** `kill ... during: commit`: the topology kills the node at a checkout's commit point, then it heals as any kill. */
async function killAtCommitPoint(targets: readonly string[], surface: FaultSurface): Promise<InjectedFault> {
  if (!surface.killAtCommitPoint) throw new Error('during: commit needs a topology with distributed checkouts (pg-partitioned)');
  if (targets.length !== 1) throw new Error(`during: commit kills one node; the target names ${targets.length}`);
  const target = targets[0]!;
  await surface.killAtCommitPoint(target);
  return { targets: [target], heal: () => surface.recover(target) };
}

/** `part: manager | store` (failover.mode patroni): one process beside the node's server, not the node. */
async function partFault(fault: Extract<Fault, { kind: 'kill' | 'pause' }>, part: 'manager' | 'store', surface: FaultSurface, random: Random): Promise<InjectedFault> {
  if (!surface.nodePart) throw new Error(`part: ${part} needs a topology whose nodes run a manager and a store member (failover.mode patroni)`);
  const targets = resolveTarget(fault.target, surface.nodesNow(), random);
  const controls = targets.map((name) => surface.nodePart!(name, part));
  await Promise.all(controls.map((control) => (fault.kind === 'kill' ? control.kill() : control.pause())));
  return { targets, heal: async () => void (await Promise.all(controls.map((control) => control.recover()))) };
}

/** Injects one fault occurrence now. Throws when the fault cannot be applied (the nemesis records it). */
export async function injectFault(
  id: number,
  fault: Fault,
  surface: FaultSurface,
  network: NetworkFaults,
  random: Random,
): Promise<InjectedFault> {
  if ((fault.kind === 'kill' || fault.kind === 'pause') && fault.part !== undefined && fault.part !== 'node') {
    return partFault(fault, fault.part, surface, random);
  }
  switch (fault.kind) {
    case 'kill':
    case 'stop': {
      const targets = resolveTarget(fault.target, surface.nodesNow(), random);
      if (fault.kind === 'kill' && fault.during === 'commit') return killAtCommitPoint(targets, surface);
      await Promise.all(targets.map((name) => (fault.kind === 'kill' ? surface.node(name).kill() : surface.node(name).stop())));
      return { targets, heal: async () => void (await Promise.all(targets.map((name) => surface.recover(name)))) };
    }
    case 'pause': {
      const targets = resolveTarget(fault.target, surface.nodesNow(), random);
      await Promise.all(targets.map((name) => surface.node(name).pause()));
      // recover, not resume: a failover may have fenced (killed) the paused node meanwhile.
      return { targets, heal: async () => void (await Promise.all(targets.map((name) => surface.recover(name)))) };
    }
    case 'failover': {
      const before = surface.nodesNow().find((n) => n.role === 'primary')?.name;
      await surface.failover('manual failover step');
      return { targets: before ? [before] : [], instant: true, heal: noHeal };
    }
    case 'partition':
    case 'latency':
    case 'bandwidth':
    case 'reset':
      return injectOnLinks(id, fault, surface, network, random);
  }
}
