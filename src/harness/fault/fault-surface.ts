import type { DbNode } from '../../topologies/topology.ts';
import type { LinkControl } from './link-effects.ts';
import type { LinkInfo } from './link-selection.ts';
import type { NodeSnapshot } from './targets.ts';

/** What a topology offers the nemesis: its nodes, its network, and how it heals itself. */
export interface FaultSurface {
  nodesNow(): NodeSnapshot[];
  node(name: string): DbNode;
  /** Brings a killed or stopped node back; after a failover an old primary rejoins as a replica. */
  recover(name: string): Promise<void>;
  /** Promotes the most caught-up replica now (a manual failover step). */
  failover(reason: string): Promise<void>;
  links(): readonly LinkInfo[];
  /**
   * Kills the node at the commit point of the next distributed checkout it takes part in
   * (`kill ... during: commit`); resolves once it is dead. Topologies without one leave it out.
   */
  killAtCommitPoint?(name: string): Promise<void>;
  /**
   * failover.mode patroni: one process beside a node's server (`part: manager`, Patroni;
   * `part: store`, its etcd member), for kill and pause faults aimed at it alone.
   */
  nodePart?(name: string, part: 'manager' | 'store'): { kill(): Promise<void>; pause(): Promise<void>; recover(): Promise<void> };
  readonly linkControl: LinkControl;
}
