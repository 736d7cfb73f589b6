import { z } from 'zod';
import { FaultDelay, Party, timing } from '../fault-fields.ts';
import { defineFaultKind } from '../fault-kind.ts';
import { injectOnLinks } from '../link-injection.ts';
import { linksBetween } from '../link-selection.ts';

const NAME = 'latency';

/** Slows links: a delay (± jitter) added one way, in each direction. */
export const latency = defineFaultKind({
  name: NAME,
  schema: z.strictObject({
    kind: z.literal(NAME),
    between: z.tuple([Party, Party]).optional().meta({ description: 'default: every link' }),
    delay: FaultDelay.meta({ description: 'added one way, in each direction' }),
    jitter: FaultDelay.default(0),
    ...timing,
  }),
  network: true,
  primaryImpact: 'never',
  containers: {
    // Client links go through the link proxy; between two nodes it would need the kernel's netem.
    postgres: (fault) =>
      fault.between?.includes('clients')
        ? undefined
        : {
            path: ['between'],
            message:
              'the containers provider cannot apply latency between nodes (no netem in the kernel here): name clients on one side (between: [clients, primary]), or use provider: { kind: local }',
          },
    mongo: false,
  },
  aims: (fault) => (fault.between ?? []).map((name, p) => ({ path: ['between', p], name, party: true })),
  inject: (fault, context) =>
    injectOnLinks(
      context,
      (links, party) =>
        fault.between === undefined
          ? links.map((link) => ({ link: link.name, direction: 'both' as const }))
          : linksBetween(links, party(fault.between[0]), party(fault.between[1])),
      (direction) => ({ kind: 'delay', delayMs: fault.delay, jitterMs: fault.jitter, direction }),
    ),
});
