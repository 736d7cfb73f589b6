import { z } from 'zod';
import { boundedDuration } from '../units/duration-schema.ts';
import { LIMITS } from '../units/limits.ts';

// Regions (issue 5): where clients and nodes are, and how far apart. A region's workers serve its
// customers; every path between regions goes through the link proxy with the matrix's delay, so
// an EU client of a US primary pays the ocean on every round trip, as it would in production.

export const CUSTOMER_REGIONS = ['NA', 'EMEA', 'APJ', 'LATAM'] as const;

/** Words the fault targets already use; a region may not take them. */
const RESERVED = new Set(['clients', 'primary', 'replica', 'replicas', 'random', 'all']);

export const RegionName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a region name: lower-case letters, digits and "-", e.g. us-east')
  .refine((name) => !RESERVED.has(name), { message: 'clients, primary, replica(s), random and all are fault target words; name the region otherwise' })
  .meta({ description: 'a region declared under regions, e.g. us-east' });

export const RegionSpec = z.strictObject({
  customers: z
    .array(z.enum(CUSTOMER_REGIONS))
    .min(1)
    .optional()
    .meta({ description: "customer regions whose customers this region's workers serve; omitted: every customer" }),
  clients: z.number().nonnegative().default(1).meta({ description: 'share of the client workers (weights, normalised over regions)' }),
});
export type RegionSpec = z.output<typeof RegionSpec>;

// Keys are checked in the refinement: a record's key schema reports only "Invalid key in record".
export const Regions = z
  .record(z.string(), RegionSpec)
  .superRefine((regions, ctx) => {
    const names = Object.keys(regions);
    for (const name of names) {
      const checked = RegionName.safeParse(name);
      if (!checked.success) ctx.addIssue({ code: 'custom', path: [name], message: `region "${name}": ${checked.error.issues[0]!.message}` });
    }
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'declare at least one region, or leave regions out' });
    if (names.length > 0 && names.every((name) => regions[name]!.clients === 0)) {
      ctx.addIssue({ code: 'custom', message: 'every region has clients: 0; at least one region needs client workers' });
    }
    const owner = new Map<string, string>();
    for (const name of names) {
      for (const customer of regions[name]!.customers ?? []) {
        const other = owner.get(customer);
        if (other) ctx.addIssue({ code: 'custom', path: [name, 'customers'], message: `${customer} customers are already served by ${other}; a customer region belongs to one region` });
        owner.set(customer, name);
      }
    }
  })
  .meta({ description: 'region name → which customers it serves and its share of client workers' });

export const LatencyEntry = z.strictObject({
  between: z.tuple([RegionName, RegionName]).meta({ description: 'two regions (the same one twice: latency inside that region)' }),
  delay: boundedDuration(LIMITS.faultDelayMs).meta({ description: 'one-way delay, added in each direction' }),
  jitter: boundedDuration(LIMITS.faultDelayMs).default(0),
});
export type LatencyEntry = z.output<typeof LatencyEntry>;

export const LatencyMatrix = z.array(LatencyEntry).meta({
  description: 'one-way delays between regions; pairs not listed have none',
});

/** Problems of a latency matrix against the declared regions, as [path, message] pairs. */
export function latencyProblems(regions: Record<string, unknown> | undefined, latency: readonly LatencyEntry[]): [(string | number)[], string][] {
  const problems: [(string | number)[], string][] = [];
  const declared = new Set(Object.keys(regions ?? {}));
  const seen = new Set<string>();
  latency.forEach((entry, i) => {
    for (const [j, region] of entry.between.entries()) {
      if (!declared.has(region)) {
        const known = declared.size > 0 ? `declared: ${[...declared].join(', ')}` : 'no regions are declared';
        problems.push([[i, 'between', j], `unknown region ${region} (${known})`]);
      }
    }
    const key = [...entry.between].sort().join('|');
    if (seen.has(key)) problems.push([[i, 'between'], `${entry.between.join(' ↔ ')} is given twice`]);
    seen.add(key);
  });
  return problems;
}
