import type { TopologySpec } from '../scenario/schema.ts';

type SingleLeaderSpec = Extract<TopologySpec, { kind: 'pg-single-leader' }>;

/** A replication mode in words, the same in report.md and report.html. */
export function describeReplication(spec: SingleLeaderSpec): string {
  if (spec.replicas === 0) return 'no replication';
  switch (spec.replication) {
    case 'async':
      return 'asynchronous replication';
    case 'sync':
      return `synchronous replication (commit waits for FIRST ${spec.syncCount} to flush)`;
    case 'remote_apply':
      return `synchronous replication (commit waits for FIRST ${spec.syncCount} to apply)`;
    case 'quorum':
      return `quorum replication (commit waits for ANY ${spec.syncCount} to flush)`;
  }
}
