// Which PostgreSQL topologies run on the containers provider, and what they need there. Faults
// and latency the containers provider cannot apply are refused for every engine in mongo-schema.ts.

type Problem = [(string | number)[], string];

interface PgContainerScenario {
  readonly topology: { readonly kind: string };
  readonly provider: { readonly kind: string; readonly image?: string | undefined };
}

/** PostgreSQL topologies that run in containers (`provider: { kind: containers }`). */
export const CONTAINER_PG_TOPOLOGIES: ReadonlySet<string> = new Set(['pg-single-leader', 'pg-multi-leader', 'pg-regional-central']);

const NOT_YET: Readonly<Record<string, string>> = {
  'pg-partitioned':
    'pg-partitioned cannot run in containers yet: its shard setup (foreign servers, shard replicas, placement probes) still drives local processes; use provider: { kind: local }',
};

export function pgContainerProblems(scenario: PgContainerScenario): Problem[] {
  const { topology, provider } = scenario;
  if (provider.kind !== 'containers') return [];
  const refused = NOT_YET[topology.kind];
  if (refused) return [[['provider', 'kind'], refused]];
  if (topology.kind === 'pg-multi-leader' && provider.image === undefined) {
    return [
      [
        ['provider', 'image'],
        'pg-multi-leader needs the pglogical extension, which the official postgres image lacks: set provider.image (and provider.version) ' +
          'to an image that has it, e.g. one built FROM postgres:15 with apt-get install -y postgresql-15-pglogical',
      ],
    ];
  }
  return [];
}
