import type { MongoReplicaSetSpec } from '../../../harness/scenario/mongo-schema.ts';

// The replica-set configuration document (replSetInitiate's argument), built from the scenario.
// Pure, so what a scenario asks MongoDB for can be read and tested without a server.

export type MemberKind = 'data' | 'arbiter' | 'hidden';

export interface MemberPlan {
  readonly name: string;
  readonly kind: MemberKind;
  readonly priority: number;
  readonly votes: 0 | 1;
  /** Hidden members only: whole seconds behind the primary. */
  readonly delaySecs?: number;
}

export interface ReplicaSetMember {
  readonly _id: number;
  readonly host: string;
  readonly priority: number;
  readonly votes: 0 | 1;
  readonly arbiterOnly?: true;
  readonly hidden?: true;
  readonly secondaryDelaySecs?: number;
}

export interface ReplicaSetConfig {
  readonly _id: string;
  readonly configsvr?: true;
  readonly members: readonly ReplicaSetMember[];
  readonly settings: { readonly electionTimeoutMillis: number; readonly heartbeatIntervalMillis: number };
}

/** Default priorities: the first member a little higher, so it is primary at start and after it comes back. */
export function defaultPriorities(members: number): number[] {
  return Array.from({ length: members }, (_, i) => (i === 0 ? 2 : 1));
}

/** Members mongo1..N (data, voting), then the arbiter and the hidden member when asked for. */
export function planMembers(spec: Pick<MongoReplicaSetSpec, 'members' | 'priorities' | 'arbiter' | 'hidden'>, prefix = 'mongo'): MemberPlan[] {
  const priorities = spec.priorities ?? defaultPriorities(spec.members);
  const plan: MemberPlan[] = priorities.map((priority, i) => ({ name: `${prefix}${i + 1}`, kind: 'data', priority, votes: 1 }));
  if (spec.arbiter) plan.push({ name: `${prefix}-arbiter`, kind: 'arbiter', priority: 0, votes: 1 });
  // A hidden member must not vote here: it would change the majority that w:majority waits for.
  if (spec.hidden) plan.push({ name: `${prefix}-hidden`, kind: 'hidden', priority: 0, votes: 0, delaySecs: Math.floor(spec.hidden.delay / 1000) });
  return plan;
}

/** Plain members for config servers and shards: the first one preferred. */
export function plainMembers(prefix: string, count: number): MemberPlan[] {
  return planMembers({ members: count, priorities: undefined, arbiter: false, hidden: undefined }, prefix);
}

export function replicaSetConfig(
  id: string,
  members: readonly MemberPlan[],
  hostOf: (name: string) => string,
  electionTimeoutMs: number,
  configsvr = false,
): ReplicaSetConfig {
  return {
    _id: id,
    ...(configsvr ? { configsvr: true as const } : {}),
    members: members.map((member, i) => ({
      _id: i,
      host: hostOf(member.name),
      priority: member.priority,
      votes: member.votes,
      ...(member.kind === 'arbiter' ? { arbiterOnly: true as const } : {}),
      ...(member.kind === 'hidden' ? { hidden: true as const, secondaryDelaySecs: member.delaySecs ?? 0 } : {}),
    })),
    settings: {
      electionTimeoutMillis: electionTimeoutMs,
      // Heartbeats at least twice per election timeout, so a slow heartbeat is not mistaken for a dead peer.
      heartbeatIntervalMillis: Math.max(200, Math.min(2_000, Math.floor(electionTimeoutMs / 2))),
    },
  };
}

/** How many acknowledgements w:majority waits for: a majority of voting data-bearing members. */
export function majorityOf(members: readonly MemberPlan[]): number {
  const voters = members.filter((member) => member.votes === 1).length;
  const dataVoters = members.filter((member) => member.votes === 1 && member.kind !== 'arbiter').length;
  return Math.min(Math.floor(voters / 2) + 1, dataVoters);
}
