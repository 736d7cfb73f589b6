import type { ClientSession, ClusterTime, Timestamp } from 'mongodb';

/**
 * What makes a worker one causally consistent session across its two connections (writes to the
 * primary, reads from a secondary): the operation and cluster times it has seen, carried from
 * one driver session to the other. A read then waits (afterClusterTime) until its node has
 * applied everything the worker's earlier operations did.
 */
export class CausalToken {
  private operationTime: Timestamp | undefined;
  private clusterTime: ClusterTime | undefined;

  /** Before an operation: the session starts where the worker's last operation ended. */
  advance(session: ClientSession): void {
    if (this.clusterTime) session.advanceClusterTime(this.clusterTime);
    if (this.operationTime) session.advanceOperationTime(this.operationTime);
  }

  /** After an operation: keep the later of what we had and what the session saw. */
  capture(session: ClientSession): void {
    const time = session.operationTime;
    if (time && (!this.operationTime || time.greaterThan(this.operationTime))) this.operationTime = time;
    const cluster = session.clusterTime;
    if (cluster && (!this.clusterTime || cluster.clusterTime.greaterThan(this.clusterTime.clusterTime))) this.clusterTime = cluster;
  }
}
