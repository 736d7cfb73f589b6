import type { ReplicaSetConfig } from './replica-set-config.ts';

// The commands that turn fresh mongods into a replica set with the run's user, in order. Steps
// are data: the local provider sends them over a loopback connection, the container provider
// through mongosh inside the container; both before any user exists (the localhost exception).

export type BootstrapStep =
  | { readonly kind: 'command'; readonly command: Record<string, unknown> }
  /** Wait until the first member says it is the writable primary. */
  | { readonly kind: 'await-primary' };

export function createUserCommand(user: string, password: string): Record<string, unknown> {
  return {
    createUser: user,
    pwd: password,
    roles: [{ role: 'root', db: 'admin' }],
    // Majority: a user created on a primary that loses it at once must not vanish with it.
    writeConcern: { w: 'majority' },
  };
}

/**
 * initiate → wait for a primary → create the user. With `user` undefined (shard members behind
 * mongos still get one for the harness's direct sampling) nothing is created.
 */
export function replicaSetBootstrap(config: ReplicaSetConfig, user: string | undefined, password: string): BootstrapStep[] {
  return [
    { kind: 'command', command: { replSetInitiate: config } },
    { kind: 'await-primary' },
    ...(user === undefined ? [] : [{ kind: 'command' as const, command: createUserCommand(user, password) }]),
  ];
}
