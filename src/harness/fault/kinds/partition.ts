import { z } from 'zod';
import { Party, timing } from '../fault-fields.ts';
import { defineFaultKind } from '../fault-kind.ts';
import { injectOnLinks } from '../link-injection.ts';
import { linksAcrossSides, linksBetween, linksTouching } from '../link-selection.ts';

const NAME = 'partition';

/** Cuts links: connections hang (blackhole) or are refused (reset), one way or both. */
export const partition = defineFaultKind({
  name: NAME,
  schema: z
    .strictObject({
      kind: z.literal(NAME),
      isolate: Party.optional().meta({ description: 'cut every link to and from these nodes' }),
      sides: z.array(z.array(Party).min(1)).min(2).optional().meta({ description: 'cut every link between different sides' }),
      between: z.tuple([Party, Party]).optional().meta({ description: 'cut the links between two parties' }),
      direction: z
        .enum(['both', 'one-way'])
        .default('both')
        .meta({ description: 'one-way: only traffic from the first party to the second is lost' }),
      mode: z.enum(['blackhole', 'reset']).default('blackhole').meta({
        description: 'blackhole: connections hang as on a real partition; reset: connections are refused at once',
      }),
      ...timing,
    })
    .refine((p) => [p.isolate, p.sides, p.between].filter((x) => x !== undefined).length === 1, {
      message: 'a partition needs exactly one of isolate, sides or between',
    }),
  network: true,
  primaryImpact: 'never',
  // Containers: rules in the nodes' network namespaces (nftables drop or reject).
  containers: { postgres: true, mongo: true },
  aims: (fault) => [
    ...(fault.isolate === undefined ? [] : [{ path: ['isolate'], name: fault.isolate, party: true }]),
    ...(fault.sides ?? []).flatMap((side, s) => side.map((name, p) => ({ path: ['sides', s, p], name, party: true }))),
    ...(fault.between ?? []).map((name, p) => ({ path: ['between', p], name, party: true })),
  ],
  inject: (fault, context) =>
    injectOnLinks(
      context,
      (links, party) => {
        if (fault.isolate !== undefined) return linksTouching(links, party(fault.isolate));
        if (fault.sides !== undefined) return linksAcrossSides(links, fault.sides.map((side) => new Set(side.flatMap((p) => [...party(p)]))));
        return linksBetween(links, party(fault.between![0]), party(fault.between![1]), fault.direction === 'one-way');
      },
      (direction) => ({ kind: 'cut', mode: fault.mode, direction }),
    ),
});
