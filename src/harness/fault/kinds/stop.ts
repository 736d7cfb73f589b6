import { z } from 'zod';
import { leaveDown, Target, timing } from '../fault-fields.ts';
import { defineFaultKind } from '../fault-kind.ts';
import { injectOnNodes } from '../node-faults.ts';

const NAME = 'stop';

/** A graceful (fast) shutdown: clients are disconnected, everything is flushed; the heal starts it again. */
export const stop = defineFaultKind({
  name: NAME,
  schema: z.strictObject({
    kind: z.literal(NAME).meta({ description: 'graceful (fast) shutdown; heal starts it again' }),
    target: Target,
    leaveDown,
    ...timing,
  }),
  network: false,
  primaryImpact: 'when-aimed-at-a-writer',
  containers: { postgres: true, mongo: true },
  aims: (fault) => [{ path: ['target'], name: fault.target, party: false }],
  inject: (fault, context) => injectOnNodes(fault.target, context, (node) => node.stop()),
});
