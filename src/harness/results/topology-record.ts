// results.json topology.nodes: each server of the run as recorded.

export type NodeRole = 'primary' | 'replica';

export interface TopologyNodeInfo {
  readonly name: string;
  readonly role: NodeRole;
  readonly host: string;
  readonly port: number;
  readonly region?: string;
}
