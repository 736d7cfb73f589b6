import { z } from 'zod';
import { Target, timing } from '../fault-fields.ts';
import { defineFaultKind } from '../fault-kind.ts';
import { injectOnLinks } from '../link-injection.ts';
import { linksTouching } from '../link-selection.ts';

const NAME = 'reset';

/** A reset without a duration is a pulse: connections are reset, then the link passes again. */
const RESET_PULSE_MS = 200;

/** Resets every connection to the target: its links refuse with a TCP reset while it lasts. */
export const reset = defineFaultKind({
  name: NAME,
  schema: z.strictObject({
    kind: z.literal(NAME).meta({ description: 'reset every connection to the target (clients and replication)' }),
    target: Target,
    ...timing,
  }),
  network: true,
  primaryImpact: 'never',
  // Containers: nftables reject with tcp reset in PostgreSQL nodes' namespaces; MongoDB's isolation only disconnects.
  containers: { postgres: true, mongo: false },
  aims: (fault) => [{ path: ['target'], name: fault.target, party: false }],
  inject: (fault, context) =>
    injectOnLinks(
      context,
      (links, party) => linksTouching(links, party(fault.target)),
      (direction) => ({ kind: 'cut', mode: 'reset', direction }),
      fault.duration === undefined ? RESET_PULSE_MS : undefined,
    ),
});
