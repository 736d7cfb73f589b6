import type { LinkControl } from './link-effects.ts';
import type { LinkInfo } from './link-selection.ts';
import type { NodeSnapshot } from './targets.ts';

// What a topology offers the fault kinds, as small capabilities (Jepsen's nemesis protocols):
// a kind uses only the ones it needs, and a topology without an optional one makes the faults
// that need it fail with a message (recorded in the history), not the run.

/** The part of a database node a fault acts on (DbNode has it). */
export interface FaultableNode {
  readonly state: 'created' | 'running' | 'stopped' | 'killed' | 'paused';
  /** SIGKILL to the server and every process of it. */
  kill(): Promise<void>;
  /** Graceful (fast) shutdown. */
  stop(): Promise<void>;
  /** SIGSTOP to every process of the server. */
  pause(): Promise<void>;
}

/** Nodes: who they are now, each node's controls, and how a topology brings one back. */
export interface NodeControls {
  nodesNow(): NodeSnapshot[];
  node(name: string): FaultableNode;
  /** Brings a killed or stopped node back; after a failover an old primary rejoins as a replica. */
  recover(name: string): Promise<void>;
}

/** The network as directed links, and what puts a link in a state (the link proxy, namespace rules). */
export interface LinkControls {
  links(): readonly LinkInfo[];
  readonly linkControl: LinkControl;
}

/** A manual failover step. */
export interface FailoverControl {
  /** Promotes the most caught-up replica now. */
  failover(reason: string): Promise<void>;
}

/** One process beside a node's server (failover.mode patroni): Patroni, or its etcd member. */
export interface NodePartControl {
  kill(): Promise<void>;
  pause(): Promise<void>;
  recover(): Promise<void>;
}

/** Optional abilities: topologies without them leave them out. */
export interface OptionalFaultControls {
  /**
   * Kills the node at the commit point of the next distributed checkout it takes part in
   * (`kill ... during: commit`); resolves once it is dead.
   */
  killAtCommitPoint?(name: string): Promise<void>;
  /** failover.mode patroni: `part: manager` (Patroni) or `part: store` (its etcd member) of a node. */
  nodePart?(name: string, part: 'manager' | 'store'): NodePartControl;
}

/** What a topology offers the nemesis: its nodes, its network, and how it heals itself. */
export interface FaultSurface extends NodeControls, LinkControls, FailoverControl, OptionalFaultControls {}
