import type { Timestamp } from 'mongodb';
import type { MongoNode, MongoProvider } from '../mongo-node.ts';
import { adminCommand, waitUntil } from '../admin/with-mongo-client.ts';
import type { ReplicaSetConfig } from './replica-set-config.ts';
import { replicaSetBootstrap } from './replica-set-bootstrap.ts';

interface MemberStatus {
  readonly name: string;
  readonly stateStr: string;
  readonly optime?: { ts: Timestamp };
}

/** Initiates the set on its first member and creates the run's user there; resolves once it is primary. */
export async function initiateReplicaSet(provider: MongoProvider, first: MongoNode, config: ReplicaSetConfig, createUser: boolean, user: string): Promise<void> {
  for (const step of replicaSetBootstrap(config, createUser ? user : undefined, provider.password)) {
    if (step.kind === 'command') await provider.bootstrap(first, step.command);
    else await waitUntil(`${config._id}: ${first.name} elected primary`, async () => (await provider.bootstrap(first, { hello: 1 })).isWritablePrimary === true, 60_000);
  }
  first.role = 'primary';
}

export async function memberStatuses(node: MongoNode): Promise<MemberStatus[]> {
  const status = await adminCommand(node.adminEndpoint(), { replSetGetStatus: 1 });
  return (status.members as MemberStatus[] | undefined) ?? [];
}

/** Ready: every member is PRIMARY, SECONDARY or ARBITER (initial sync done). */
export async function waitMembersReady(primary: MongoNode, expected: number, timeoutMs = 120_000): Promise<void> {
  await waitUntil(
    `${primary.replicaSet}: ${expected} members up`,
    async () => {
      const members = await memberStatuses(primary);
      return members.length === expected && members.every((m) => ['PRIMARY', 'SECONDARY', 'ARBITER'].includes(m.stateStr));
    },
    timeoutMs,
  );
}

/** True when every secondary whose host is in `hosts` has applied the primary's last write. */
export function caughtUp(members: readonly MemberStatus[], hosts: ReadonlySet<string>): boolean {
  const primary = members.find((m) => m.stateStr === 'PRIMARY');
  if (!primary?.optime) return false;
  return members
    .filter((m) => m.stateStr === 'SECONDARY' && hosts.has(m.name))
    .every((m) => m.optime !== undefined && m.optime.ts.compare(primary.optime!.ts) >= 0);
}

/** Bounded wait until the listed secondaries have caught up with the primary; false on timeout. */
export async function waitReplicated(primary: MongoNode, secondaries: readonly MongoNode[], timeoutMs: number): Promise<boolean> {
  const hosts = new Set(secondaries.map((node) => node.memberHost()));
  try {
    await waitUntil('secondaries caught up', async () => caughtUp(await memberStatuses(primary), hosts), timeoutMs, 100);
    return true;
  } catch {
    return false;
  }
}

/** A manual failover: the primary steps down and the most caught-up electable secondary takes over. */
export async function stepDown(primary: MongoNode): Promise<void> {
  await adminCommand(primary.adminEndpoint(), { replSetStepDown: 10, secondaryCatchUpPeriodSecs: 5 }).catch((error: unknown) => {
    // The primary closes connections as it steps down; that is success, not failure.
    if (!/connection|closed|not primary|interrupted/i.test(error instanceof Error ? error.message : String(error))) throw error;
  });
}
