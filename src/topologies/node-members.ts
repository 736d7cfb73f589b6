import type { NodeSnapshot } from '../harness/fault/targets.ts';
import type { DbNode, TopologyNodeInfo } from './topology.ts';

// What every PostgreSQL topology's fault surface does the same way: name its nodes with their
// roles at this moment, find one by name, and bring a stopped or frozen one back as it was.

export function snapshotsOf(members: readonly DbNode[]): NodeSnapshot[] {
  return members.map((node) => ({ name: node.name, role: node.role }));
}

export function memberNamed<T extends DbNode>(members: readonly T[], name: string): T {
  const node = members.find((n) => n.name === name);
  if (!node) throw new Error(`no node named ${name}`);
  return node;
}

/** A frozen node is resumed, a stopped or killed one started with its data and config as they are. */
export async function bringBack(node: DbNode): Promise<void> {
  if (node.state === 'paused') return node.resume();
  if (node.state !== 'running') await node.start();
}

/** How a topology describes its nodes in results: servers listen on 127.0.0.1 only. */
export function describeNodes(members: readonly DbNode[]): TopologyNodeInfo[] {
  return members.map((node) => ({
    name: node.name,
    role: node.role,
    host: '127.0.0.1',
    port: node.port,
    ...(node.region === undefined ? {} : { region: node.region }),
  }));
}
