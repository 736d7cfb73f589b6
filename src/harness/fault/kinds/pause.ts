import { z } from 'zod';
import { part, Target, timing } from '../fault-fields.ts';
import { defineFaultKind } from '../fault-kind.ts';
import { injectOnNodePart, injectOnNodes, nodePartOf } from '../node-faults.ts';

const NAME = 'pause';

/** SIGSTOP: the node freezes and its connections hang; the heal recovers it (a failover may have fenced it meanwhile). */
export const pause = defineFaultKind({
  name: NAME,
  schema: z.strictObject({
    kind: z.literal(NAME).meta({ description: 'SIGSTOP every process of the server; heal resumes it' }),
    target: Target,
    part,
    ...timing,
  }),
  network: false,
  primaryImpact: 'when-aimed-at-a-writer',
  containers: { postgres: true, mongo: true },
  aims: (fault) => [{ path: ['target'], name: fault.target, party: false }],
  inject: (fault, context) => {
    const nodePart = nodePartOf(fault);
    if (nodePart) return injectOnNodePart(fault.target, nodePart, context, (control) => control.pause());
    // Healed by recover, not resume: a failover may have fenced (killed) the paused node meanwhile.
    return injectOnNodes(fault.target, context, (node) => node.pause());
  },
});
