import { z } from 'zod';
import { RegionName, type RegionSpec } from './region-schema.ts';

// pg-multi-leader (seed 000's EU expansion): a leader per region, every leader taking writes and
// replicating them to the others with pglogical. Clients of a region write to its leader.

// pglogical's resolutions for a row changed on two leaders: the later (or earlier) commit
// timestamp wins, or the incoming change always (apply_remote) or never (keep_local) does.
export const CONFLICT_RESOLUTIONS = ['last_update_wins', 'first_update_wins', 'apply_remote', 'keep_local'] as const;
export type ConflictResolution = (typeof CONFLICT_RESOLUTIONS)[number];

/** Built from schema.ts's settings record, so every topology takes the same settings field. */
export function pgMultiLeaderSchema<S extends z.ZodType>(settings: S) {
  return z.strictObject({
    kind: z.literal('pg-multi-leader'),
    leaders: z
      .array(RegionName)
      .min(2)
      .max(4)
      .refine((names) => new Set(names).size === names.length, { message: 'a region is listed twice: one leader per region' })
      .default(['us-east', 'eu-west'])
      .meta({ description: 'one leader per region, named after it (2 to 4); clients of a region write to and read from its leader' }),
    conflictResolution: z.enum(CONFLICT_RESOLUTIONS).default('last_update_wins').meta({
      description: 'pglogical.conflict_resolution: which version of a row changed on two leaders survives',
    }),
    settings,
  });
}

type Problems = [(string | number)[], string][];

interface MultiLeaderScenario {
  readonly regions?: Readonly<Record<string, RegionSpec>> | undefined;
  readonly topology: { readonly kind: string; readonly leaders?: readonly string[] };
}

/**
 * Leaders must be declared regions, and every region with client workers needs a leader: a
 * client is sent to its own region's leader, and there is no right answer for one without.
 */
export function multiLeaderProblems(scenario: MultiLeaderScenario): Problems {
  const spec = scenario.topology;
  const declared = scenario.regions;
  if (spec.kind !== 'pg-multi-leader' || declared === undefined || spec.leaders === undefined) return [];
  const leaders = spec.leaders;
  const problems: Problems = [];
  const known = `declared: ${Object.keys(declared).join(', ')}`;
  leaders.forEach((leader, i) => {
    if (!(leader in declared)) problems.push([['topology', 'leaders', i], `unknown region ${leader} (${known})`]);
  });
  for (const [region, regionSpec] of Object.entries(declared)) {
    if (regionSpec.clients > 0 && !leaders.includes(region)) {
      problems.push([['regions', region], `${region} has client workers but no leader: add it to topology.leaders or give it clients: 0`]);
    }
  }
  return problems;
}
