// Which PostgreSQL topologies run on the containers provider, and what they need there. Faults
// the containers provider cannot apply are refused for every engine in engine-rules.ts.

type Problem = [(string | number)[], string];

interface PgContainerScenario {
  readonly topology: { readonly kind: string };
  readonly provider: { readonly kind: string; readonly image?: string | undefined };
}

/**
 * PostgreSQL topologies that run in containers (`provider: { kind: containers }`): every one.
 * faultline's own image has pglogical (pg-multi-leader) and postgres_fdw (pg-partitioned).
 */
export const CONTAINER_PG_TOPOLOGIES: ReadonlySet<string> = new Set(['pg-single-leader', 'pg-multi-leader', 'pg-regional-central', 'pg-partitioned']);

/** The PostgreSQL topology kinds (engines/postgres runs them). */
export const PG_TOPOLOGY_KINDS = ['pg-single-leader', 'pg-partitioned', 'pg-multi-leader', 'pg-regional-central'] as const;

/** What a PostgreSQL topology cannot take of the provider (engine-rules.ts calls it for PostgreSQL kinds only). */
export function pgContainerProblems(scenario: PgContainerScenario): Problem[] {
  const { topology, provider } = scenario;
  if (provider.kind !== 'containers') return [];
  if (!CONTAINER_PG_TOPOLOGIES.has(topology.kind)) return [[['provider', 'kind'], `${topology.kind} cannot run in containers: use provider: { kind: local }`]];
  return [];
}
