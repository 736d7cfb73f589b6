import { z } from 'zod';
import { ECOMMERCE_TABLES } from '../data-model/ecommerce-schema-pg.ts';
import { RegionName, type RegionSpec } from './region-schema.ts';

// pg-regional-central (seed 004): a primary per region owning its region's customers, their
// orders and its warehouses' stock; a central database receiving every region's orders by native
// logical replication. Without a central node it is geo-partitioning: each region alone.

/** Tables central-completeness reads on central: they are always published. */
export const ALWAYS_PUBLISHED = ['orders', 'order_items', 'payments'] as const;

/** Checks that only mean something on pg-regional-central; never in the default list. */
export const REGIONAL_CHECK_NAMES = ['central-completeness'] as const;
export type RegionalCheckName = (typeof REGIONAL_CHECK_NAMES)[number];

/** The node receiving every region's orders; a region may not take its name. */
export const CENTRAL_NODE = 'central';

/** Built from schema.ts's settings record, so both topologies take the same settings field. */
export function pgRegionalCentralSchema<S extends z.ZodType>(settings: S) {
  return z.strictObject({
    kind: z.literal('pg-regional-central'),
    regions: z
      .array(RegionName)
      .min(1)
      .max(8)
      .refine((names) => new Set(names).size === names.length, { message: 'a region is listed twice' })
      .meta({ description: 'one regional primary per region, named after it; it owns the customers the region serves (regions.<name>.customers)' }),
    replicasPerRegion: z.int().min(0).max(4).default(0).meta({ description: 'asynchronous streaming replicas of each regional primary, in its region' }),
    central: z
      .union([
        z.strictObject({
          region: RegionName.optional().meta({ description: "the region central runs in (latency to it follows the matrix); omitted: none" }),
        }),
        z.literal(false),
      ])
      .default({})
      .meta({ description: 'the central analytics database, or false for geo-partitioning (regions only)' }),
    publish: z
      .array(z.enum(ECOMMERCE_TABLES))
      .default([...ALWAYS_PUBLISHED])
      .refine((tables) => ALWAYS_PUBLISHED.every((table) => tables.includes(table)), {
        message: `must include ${ALWAYS_PUBLISHED.join(', ')} (central-completeness reads them); add others, e.g. shipments`,
      })
      .meta({ description: 'tables each region publishes to central' }),
    settings,
  });
}

type Problems = [(string | number)[], string][];

interface RegionalScenario {
  readonly regions?: Readonly<Record<string, RegionSpec>> | undefined;
  readonly topology: { readonly kind: string };
  readonly checks: readonly string[];
  readonly workload: { readonly dataset: { readonly regions: readonly string[] } };
}

interface RegionalSpec {
  readonly kind: 'pg-regional-central';
  readonly regions: readonly string[];
  readonly central: false | { readonly region?: string | undefined };
}

// Checks that read the first region's primary as if it held everything, or compare nodes that
// hold different customers by design. (replication-lag applies: the topology's own sampler
// measures central's view of each region and each regional replica.)
const MEANINGLESS_CHECKS: Readonly<Record<string, string>> = {
  'lost-writes': 'it looks for every order on one primary, but each region holds only its own: central-completeness checks each acknowledged order on its region and on central instead',
  convergence: 'regional nodes hold different customers by design',
};

/** Cross-field problems of a pg-regional-central scenario, as [path, message] pairs. */
export function regionalCentralProblems(scenario: RegionalScenario): Problems {
  const spec = scenario.topology as RegionalSpec;
  if (spec.kind !== 'pg-regional-central') {
    return scenario.checks.includes('central-completeness')
      ? [[['checks'], 'central-completeness needs topology kind pg-regional-central']]
      : [];
  }
  const problems: Problems = [];
  for (const check of scenario.checks) {
    const why = MEANINGLESS_CHECKS[check];
    if (why) problems.push([['checks'], `${check} does not apply to pg-regional-central: ${why}; list the checks without it`]);
  }
  const declared = scenario.regions;
  if (declared === undefined) {
    problems.push([['topology', 'regions'], 'pg-regional-central needs top-level regions saying which customers each region serves']);
    return problems;
  }
  const known = `declared: ${Object.keys(declared).join(', ')}`;
  spec.regions.forEach((region, i) => {
    const regionSpec = declared[region];
    if (!regionSpec) problems.push([['topology', 'regions', i], `unknown region ${region} (${known})`]);
    else if (regionSpec.customers === undefined && spec.regions.length > 1) {
      problems.push([['regions', region, 'customers'], `${region} has a node of pg-regional-central: list the customer regions it owns`]);
    }
    if (spec.central !== false && region === CENTRAL_NODE) {
      problems.push([['topology', 'regions', i], `a region named ${CENTRAL_NODE} would clash with the central node's name`]);
    }
  });
  if (spec.central !== false && spec.central.region !== undefined && !declared[spec.central.region]) {
    problems.push([['topology', 'central', 'region'], `unknown region ${spec.central.region} (${known})`]);
  }
  const owners = customerOwners(spec.regions, declared, scenario.workload.dataset.regions);
  for (const [name, regionSpec] of Object.entries(declared)) {
    if (spec.regions.includes(name) || regionSpec.clients === 0) continue;
    if (homeNodeOf(name, spec.regions, declared, owners) === undefined) {
      problems.push([
        ['regions', name],
        `${name}'s clients would have no regional node: add ${name} to topology.regions, give it clients: 0, or list customers owned by one region`,
      ]);
    }
  }
  const unowned = scenario.workload.dataset.regions.filter((customer) => !owners.has(customer));
  if (unowned.length > 0) {
    problems.push([['topology', 'regions'], `no region owns the ${unowned.join(', ')} customers of the dataset: list them under a region's customers`]);
  }
  return problems;
}

/** What customer-region ownership needs of the declared regions. */
type DeclaredCustomers = Readonly<Record<string, { readonly customers?: readonly string[] | undefined }>>;

/** Customer region (NA, EMEA, ...) → the topology region whose node owns those customers. */
export function customerOwners(
  nodeRegions: readonly string[],
  declared: DeclaredCustomers,
  datasetRegions: readonly string[],
): Map<string, string> {
  const owners = new Map<string, string>();
  for (const region of nodeRegions) {
    // One region alone owns every customer when it does not say otherwise.
    const customers = declared[region]?.customers ?? (nodeRegions.length === 1 ? datasetRegions : []);
    for (const customer of customers) if (!owners.has(customer)) owners.set(customer, region);
  }
  return owners;
}

/**
 * The node region a client region's operations go to: its own when it has a node, otherwise the
 * one region owning all the customers it serves (the only way to reach them: the operation must
 * cross); undefined when no single region does.
 */
export function homeNodeOf(
  clientRegion: string,
  nodeRegions: readonly string[],
  declared: DeclaredCustomers,
  owners: ReadonlyMap<string, string>,
): string | undefined {
  if (nodeRegions.includes(clientRegion)) return clientRegion;
  const customers = declared[clientRegion]?.customers;
  if (customers === undefined) return nodeRegions.length === 1 ? nodeRegions[0] : undefined;
  const homes = new Set(customers.map((customer) => owners.get(customer)));
  const [home] = homes;
  return homes.size === 1 ? home : undefined;
}
