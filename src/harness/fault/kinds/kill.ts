import { z } from 'zod';
import { leaveDown, part, Target, timing } from '../fault-fields.ts';
import { defineFaultKind, type InjectContext, type InjectedFault } from '../fault-kind.ts';
import { injectOnNodePart, injectOnNodes, nodePartOf } from '../node-faults.ts';
import { resolveTarget } from '../targets.ts';

const NAME = 'kill';

/** SIGKILL, as a crash: the node (or, under Patroni, one process beside it) dies at once. */
export const kill = defineFaultKind({
  name: NAME,
  schema: z.strictObject({
    kind: z.literal(NAME).meta({ description: 'SIGKILL every process of the server; heal restarts it (as a replica after a failover)' }),
    target: Target,
    during: z.enum(['commit']).optional().meta({
      description:
        "commit (pg-partitioned): from `at`, wait for the next checkout whose commit involves the target and kill it at that commit point " +
        '(2pc: every node prepared, nothing decided; plain: shards before it in postgres_fdw\'s commit loop committed, the rest not); ' +
        'target: one node; the heal still comes `duration` after `at`',
    }),
    leaveDown,
    part,
    ...timing,
  }),
  network: false,
  primaryImpact: 'when-aimed-at-a-writer',
  containers: { postgres: true, mongo: true },
  aims: (fault) => [{ path: ['target'], name: fault.target, party: false }],
  problems: (fault, scenario) =>
    fault.during === 'commit' && scenario.topology.kind !== 'pg-partitioned'
      ? [{ path: ['during'], message: `during: commit aims at a distributed checkout's commit point; ${scenario.topology.kind} has none (use pg-partitioned)` }]
      : [],
  inject: (fault, context) => {
    const nodePart = nodePartOf(fault);
    if (nodePart) return injectOnNodePart(fault.target, nodePart, context, (control) => control.kill());
    if (fault.during === 'commit') return killAtCommitPoint(fault.target, context);
    return injectOnNodes(fault.target, context, (node) => node.kill());
  },
});

/** `kill ... during: commit`: the topology kills the node at a checkout's commit point, then it heals as any kill. */
async function killAtCommitPoint(target: string, context: InjectContext): Promise<InjectedFault> {
  const { surface } = context;
  const targets = resolveTarget(target, surface.nodesNow(), context.random);
  if (!surface.killAtCommitPoint) throw new Error('during: commit needs a topology with distributed checkouts (pg-partitioned)');
  if (targets.length !== 1) throw new Error(`during: commit kills one node; the target names ${targets.length}`);
  const name = targets[0]!;
  await surface.killAtCommitPoint(name);
  return { targets: [name], heal: () => surface.recover(name) };
}
