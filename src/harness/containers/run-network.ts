import type { ContainerRuntimeClient } from 'testcontainers';
import { EnvironmentError } from '../output/errors.ts';

// The run's own Docker network. Two things about it are deliberate:
// - Its name starts with "faultline-", so it sorts after Docker's "bridge": Docker routes a
//   container's published ports through the network whose name sorts first, and a random name
//   (testcontainers' default) sorts before "bridge" most of the time. Nodes live on this network
//   alone anyway, and partitions never take them off it (rules in their namespaces do the
//   cutting), so client connections through published ports are never cut by a partition.
// - Its subnet is fixed when it is made and every node gets a static address in it: partition
//   rules name peers by address, and a container that restarts (after kill or stop) would
//   otherwise come back with another one, slipping out of the rules written for the old.

export interface RunNetwork {
  readonly id: string;
  readonly name: string;
  readonly subnet: string;
  readonly gateway: string;
  /** The address of the index-th container of the run (0, 1, ...). */
  address(index: number): string;
  remove(): Promise<void>;
}

/** A Docker network name for the run, that sorts after "bridge". */
export function runNetworkName(runId: string): string {
  return `faultline-${runId}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

const toInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** Host addresses of an IPv4 subnet from .10 on (below: the gateway and room Docker might use). */
export function subnetAddress(subnet: string, index: number): string {
  const [base, bits] = subnet.split('/');
  const size = 2 ** (32 - Number(bits));
  const offset = 10 + index;
  if (offset >= size - 1) throw new Error(`the run network ${subnet} has no room for container ${index + 1}`);
  return toIp(toInt(base!) - (toInt(base!) % size) + offset);
}

interface NetworkInspect {
  Id: string;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
}

const isOverlap = (error: unknown) => /overlap|already exists|in use/i.test(String((error as Error)?.message ?? error));

/**
 * Creates the run's network with a subnet of the engine's choosing, made explicit: Docker gives
 * static addresses only on networks whose subnet was configured. The engine picks a free subnet
 * on a first creation; the network is made again with that subnet named (retried if another
 * network took it in between).
 */
export async function createRunNetwork(client: ContainerRuntimeClient, runId: string, labels: Record<string, string>): Promise<RunNetwork> {
  const docker = client.container.dockerode;
  const name = runNetworkName(runId);
  const base = { Name: name, Driver: 'bridge', CheckDuplicate: true, Internal: false, Attachable: false, EnableIPv6: false, Labels: labels };
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const probe = docker.getNetwork((await docker.createNetwork(base)).id);
    const config = ((await probe.inspect()) as NetworkInspect).IPAM?.Config?.[0];
    await probe.remove();
    if (!config?.Subnet || config.Subnet.includes(':')) throw new EnvironmentError(`the engine gave the run network no IPv4 subnet (${JSON.stringify(config)})`);
    const subnet = config.Subnet;
    const gateway = config.Gateway ?? subnetAddress(subnet, -9);
    try {
      const created = await docker.createNetwork({ ...base, IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: gateway }] } });
      const network = docker.getNetwork(created.id);
      return {
        id: created.id,
        name,
        subnet,
        gateway,
        address: (index) => subnetAddress(subnet, index),
        remove: async () => {
          await network.remove().catch((error: { statusCode?: number }) => {
            if (error.statusCode !== 404) throw error;
          });
        },
      };
    } catch (error) {
      if (!isOverlap(error)) throw error;
      lastError = error;
    }
  }
  throw new EnvironmentError(`could not create the run network ${name}: ${String((lastError as Error)?.message ?? lastError)}`);
}
