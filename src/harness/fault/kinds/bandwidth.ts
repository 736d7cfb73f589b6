import { z } from 'zod';
import { LIMITS } from '../../units/limits.ts';
import { Party, timing } from '../fault-fields.ts';
import { defineFaultKind } from '../fault-kind.ts';
import { injectOnLinks } from '../link-injection.ts';
import { linksBetween } from '../link-selection.ts';

const NAME = 'bandwidth';

/** Narrows links to a rate in bytes per second. */
export const bandwidth = defineFaultKind({
  name: NAME,
  schema: z.strictObject({
    kind: z.literal(NAME),
    between: z.tuple([Party, Party]).optional().meta({ description: 'default: every link' }),
    bytesPerSecond: z.int().positive().max(LIMITS.bytesPerSecond),
    ...timing,
  }),
  network: true,
  primaryImpact: 'never',
  // Containers: htb in PostgreSQL nodes' namespaces; MongoDB's isolation only disconnects.
  containers: { postgres: true, mongo: false },
  aims: (fault) => (fault.between ?? []).map((name, p) => ({ path: ['between', p], name, party: true })),
  inject: (fault, context) =>
    injectOnLinks(
      context,
      (links, party) =>
        fault.between === undefined
          ? links.map((link) => ({ link: link.name, direction: 'both' as const }))
          : linksBetween(links, party(fault.between[0]), party(fault.between[1])),
      (direction) => ({ kind: 'rate', bytesPerSecond: fault.bytesPerSecond, direction }),
    ),
});
