import { z } from 'zod';
import { timing } from '../fault-fields.ts';
import { defineFaultKind } from '../fault-kind.ts';

const NAME = 'failover';

/** A manual failover step: the topology promotes its most caught-up replica; over as soon as it is done. */
export const failover = defineFaultKind({
  name: NAME,
  schema: z.strictObject({
    kind: z.literal(NAME).meta({ description: 'promote the most caught-up replica now (topology.failover.mode: manual)' }),
    at: timing.at,
  }),
  network: false,
  primaryImpact: 'always',
  containers: { postgres: true, mongo: true },
  aims: () => [],
  problems: (_fault, { topology }) =>
    topology.kind === 'pg-single-leader' && topology.failover?.mode === 'patroni'
      ? [{ path: ['kind'], message: 'Patroni decides failovers itself: a failover step needs failover.mode manual (kill or cut the leader instead)' }]
      : [],
  inject: async (_fault, { surface }) => {
    const before = surface.nodesNow().find((n) => n.role === 'primary')?.name;
    await surface.failover('manual failover step');
    return { targets: before ? [before] : [], instant: true, heal: async () => {} };
  },
});
