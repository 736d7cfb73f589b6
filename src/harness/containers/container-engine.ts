import { hostname } from 'node:os';
import type { ContainerRuntimeClient } from 'testcontainers';
import type { EngineEndpoint } from '../process/container-reaper.mjs';

// The Docker engine as faultline uses it, whatever machine it runs on. testcontainers reads its
// settings from the environment the first time a client is made (and caches that client), so
// they are set here, before any container, network or client exists:
// - no reaper image (Ryuk): it would be pulled from a registry, and faultline's own run watchdog
//   removes the run's containers, networks and volumes by label (container-reaper.mjs);
// - with an engine on this machine, published ports are reached on 127.0.0.1. testcontainers
//   otherwise takes the docker0 gateway as the host whenever /.dockerenv exists (a VM or CI
//   runner that is itself a container), and every client link on 127.0.0.1 is refused.

/** Every container, network and volume of a run carries its id under this label. */
export const RUN_LABEL = 'faultline.run';
/** `<hostname>:<pid>` of the harness that made it: `faultline clean` reaps only what a dead harness of this machine owned. */
export const OWNER_LABEL = 'faultline.owner';

/** True when DOCKER_HOST names no engine or one on this machine (a unix socket). */
export function engineIsLocal(env: NodeJS.ProcessEnv = process.env): boolean {
  const host = env.DOCKER_HOST;
  return host === undefined || host === '' || host.startsWith('unix://') || host.startsWith('npipe://');
}

/** The settings faultline needs testcontainers to run with; a value the user set is kept. */
export function containerEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const wanted: Record<string, string> = { TESTCONTAINERS_RYUK_DISABLED: 'true' };
  if (engineIsLocal(env) && env.TESTCONTAINERS_HOST_OVERRIDE === undefined) wanted.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
  return wanted;
}

export function prepareContainerEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  // The reaper is never wanted, even if the user's environment asks for it: it cannot be pulled
  // where no registry answers, and the run's watchdog already does its work.
  Object.assign(env, containerEnvironment(env), { TESTCONTAINERS_RYUK_DISABLED: 'true' });
}

/**
 * testcontainers' client for the engine, with faultline's settings in force. Loaded here, on first
 * use: testcontainers (dockerode, ssh2, gRPC, archiver) takes about a second of CPU to import, and
 * every run, local or not, reaches this module through the saturation sampler.
 */
export async function containerEngine(): Promise<ContainerRuntimeClient> {
  prepareContainerEnvironment();
  const { getContainerRuntimeClient } = await import('testcontainers');
  return getContainerRuntimeClient();
}

export function ownerLabel(): string {
  return `${hostname()}:${process.pid}`;
}

export function runLabels(runId: string): Record<string, string> {
  return { [RUN_LABEL]: runId, [OWNER_LABEL]: ownerLabel() };
}

interface ModemLike {
  socketPath?: string | (() => string);
  host?: string;
  port?: number | string;
  protocol?: string;
}

/** Where the engine answers, as the watchdog (plain JavaScript, no testcontainers) can reach it. */
export function engineEndpoint(client: ContainerRuntimeClient): EngineEndpoint {
  const modem = (client.container.dockerode as unknown as { modem: ModemLike }).modem;
  const socketPath = typeof modem.socketPath === 'function' ? modem.socketPath() : modem.socketPath;
  if (socketPath) return { socketPath };
  return { host: modem.host ?? '127.0.0.1', port: Number(modem.port ?? 2375), protocol: modem.protocol === 'https' ? 'https' : 'http' };
}
