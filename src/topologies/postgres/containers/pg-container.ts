import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import type { RunNetwork } from '../../../harness/containers/run-network.ts';
import { killFrozenContainer } from './kill-frozen-container.ts';
import { dockerExec, dockerKill, dockerPause, dockerStop, dockerUnpause, logTo } from '../../../harness/containers/container-runtime.ts';
import { pgContainerCommand, pgContainerEnvironment, PG_PORT, type ContainerFile } from './pg-container-files.ts';
import { PgPingWait, waitUntilAccepting, type PingTarget } from './pg-ping.ts';

/**
 * What a PostgreSQL node asks of its container: Docker's kill, stop, pause, start, files copied
 * in (a running, paused or stopped container), and commands run in it (partition rules in its
 * network namespace). testcontainers in production; a recording fake in unit tests.
 */
export interface PgContainer {
  /** The engine's container id (CPU figures from its stats). */
  readonly id?: string;
  writeFiles(files: readonly ContainerFile[]): Promise<void>;
  /** Starts the container again after kill or stop, and waits until the server accepts connections. */
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** Runs a command in the container; undefined when it runs nothing now (paused, killed, stopped). */
  exec(command: readonly string[]): Promise<{ exitCode: number; output: string } | undefined>;
  remove(): Promise<void>;
}

export interface PgContainerSpec {
  readonly image: string;
  readonly containerName: string;
  /** The node's name: its alias on the run's network. */
  readonly alias: string;
  /** The run's network: the container's only one (its published port goes through it too). */
  readonly network: RunNetwork;
  /** Its static address there, which partition rules name. */
  readonly address: string;
  /** The run's labels: the watchdog and `faultline clean` find the container by them. */
  readonly labels: Record<string, string>;
  /** Host port Docker publishes 5432 on, claimed from the run's sandbox. */
  readonly hostPort: number;
  /** Bind the published port to 127.0.0.1 (Docker on this machine), not every interface. */
  readonly loopback: boolean;
  /** Where the harness reaches the published port, and as whom: readiness is pinged there. */
  readonly ping: PingTarget;
  readonly logPath: string;
  readonly files: readonly ContainerFile[];
  /** The run's Ctrl-C / SIGTERM: a start in progress stops waiting and its container goes at once. */
  readonly signal?: AbortSignal | undefined;
  /** Where its processes compete for CPU (see cpuPlacement); the engine's default when undefined. */
  readonly cpu?: CpuPlacement | undefined;
}

/** A cgroup parent for the container and its CPU weight there (cgroup v1 cpu.shares). */
export interface CpuPlacement {
  readonly cgroupParent: string;
  readonly shares: number;
}

/**
 * With the cgroupfs driver every container sits under the engine's one "docker" cgroup, which
 * competes for CPU as a single task against each process of the machine: on a loaded machine all
 * the run's servers together got a few percent of the CPU (logins stuck in authentication for
 * seconds) while local servers, plain processes, got their share. Under the root cgroup with the
 * weight of a handful of processes, a node competes as a local PostgreSQL (postmaster, backends,
 * WAL sender) does. Only for cgroupfs: the systemd driver needs a slice as parent.
 */
export function cpuPlacement(cgroupDriver: string | undefined): CpuPlacement | undefined {
  return cgroupDriver === 'cgroupfs' ? { cgroupParent: '/', shares: 8 * 1024 } : undefined;
}

/** A start given up because the run was interrupted (Ctrl-C, SIGTERM), not because it failed. */
export class StartInterrupted extends Error {
  constructor(what: string) {
    super(`interrupted while starting ${what}`);
    this.name = 'StartInterrupted';
  }
}

/**
 * `work`, unless the signal fires first: then `onAbort` runs (it ends whatever `work` waits on,
 * so nothing is left behind) and this rejects at once instead of after the readiness timeout.
 */
export async function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string, onAbort: () => Promise<void>): Promise<T> {
  if (!signal) return work;
  work.catch(() => {}); // Its failure after an abort is expected; the abort is the answer.
  if (signal.aborted) {
    await onAbort().catch(() => {});
    throw new StartInterrupted(what);
  }
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    listener = () => {
      onAbort()
        .catch(() => {})
        .finally(() => reject(new StartInterrupted(what)));
    };
    signal.addEventListener('abort', listener, { once: true });
  });
  aborted.catch(() => {});
  try {
    return await Promise.race([work, aborted]);
  } catch (error) {
    // Removing the container makes the start itself fail (HTTP 409, "not running"), often before
    // the removal has returned: after an abort, the abort is the answer. The removal goes on
    // (seconds for a container in the middle of its first boot); the run's teardown removes
    // whatever carries its label in any case.
    if (!signal.aborted) throw error;
    throw new StartInterrupted(what);
  } finally {
    signal.removeEventListener('abort', listener!);
  }
}

/**
 * Starts a stopped or killed container again and waits until the server accepts connections.
 * Not testcontainers' restart(): when its readiness wait fails it removes the container with its
 * volumes, and a node whose boot failed (a rewind that could not finish) would lose its data and
 * its log. A container that exits while booting fails at once, not after the timeout.
 */
async function startAgain(id: string, alias: string, ping: PingTarget, timeoutMs = 180_000): Promise<void> {
  const client = await getContainerRuntimeClient();
  const container = client.container.getById(id);
  await container.start();
  await waitUntilAccepting(ping, container, `${alias} (started again)`, timeoutMs);
}

async function containerState(id: string): Promise<{ Running: boolean; Paused: boolean }> {
  const client = await getContainerRuntimeClient();
  return (await client.container.getById(id).inspect()).State;
}

/** After its processes got SIGKILL: the container counts as killed once Docker has seen it exit. */
async function waitUntilExited(id: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await containerState(id)).Running) {
    if (Date.now() > deadline) throw new Error(`container ${id.slice(0, 12)} still runs ${timeoutMs} ms after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Removes a container by name, volumes included, whatever state it is in (a start being given up). */
export async function forceRemove(name: string): Promise<void> {
  const client = await getContainerRuntimeClient();
  await client.container.getById(name).remove({ force: true, v: true });
}

/** testcontainers publishes on every interface; faultline's servers listen on 127.0.0.1 only. */
export class PgGenericContainer extends GenericContainer {
  /**
   * The run's network only, at a static address, under the node's name. Created there directly
   * (testcontainers would create it on Docker's default bridge and connect it to the run's network
   * afterwards whenever it is given an alias).
   */
  onRunNetwork(network: RunNetwork, alias: string, address: string): this {
    this.withNetworkMode(network.name);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network.name]: { Aliases: [alias], IPAMConfig: { IPv4Address: address } } } };
    return this;
  }

  /** Partition rules (nftables) inside its own network namespace need NET_ADMIN there, and only there. */
  placedFor(cpu: CpuPlacement | undefined): this {
    if (cpu) Object.assign(this.hostConfig, { CgroupParent: cpu.cgroupParent, CpuShares: cpu.shares });
    return this;
  }

  withNetAdmin(): this {
    this.hostConfig.CapAdd = [...(this.hostConfig.CapAdd ?? []), 'NET_ADMIN'];
    return this;
  }

  publishOn(hostIp: string | undefined, hostPort: number, containerPort = PG_PORT): this {
    this.withExposedPorts({ container: containerPort, host: hostPort });
    const binding = hostIp === undefined ? { HostPort: String(hostPort) } : { HostIp: hostIp, HostPort: String(hostPort) };
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${containerPort}/tcp`]: [binding] };
    return this;
  }
}

/**
 * Creates and starts one PostgreSQL container on the run's network, under its node name (its
 * peers) and with its port published (the harness and the clients), with faultline's files
 * copied in before the boot script runs. Labelled with the run's id, so the run's watchdog
 * removes it (with its volume) if the harness dies, and `faultline clean` finds it.
 */
export async function launchPgContainer(spec: PgContainerSpec): Promise<PgContainer> {
  const log = logTo(spec.logPath);
  const starting = new PgGenericContainer(spec.image)
    .withName(spec.containerName)
    .onRunNetwork(spec.network, spec.alias, spec.address)
    .withNetAdmin()
    .placedFor(spec.cpu)
    .withLabels(spec.labels)
    .publishOn(spec.loopback ? '127.0.0.1' : undefined, spec.hostPort)
    .withEnvironment(pgContainerEnvironment())
    .withEntrypoint([])
    .withCommand(pgContainerCommand())
    .withCopyContentToContainer(spec.files.map((file) => ({ content: file.content, target: file.path, mode: file.mode })))
    .withLogConsumer(log.consumer)
    // Pinged over the published port: the image's first-boot temporary server listens on no TCP
    // address, so this answers only once the real server accepts connections (a standby: once it
    // is consistent).
    .withWaitStrategy(new PgPingWait(spec.ping, spec.alias))
    .withStartupTimeout(180_000)
    .start();
  const started = await unlessAborted(starting, spec.signal, spec.alias, async () => {
    // Created after all (the abort came before Docker had it): removed as soon as it exists.
    starting.then((late) => late.stop({ timeout: 0, remove: true, removeVolumes: true })).catch(() => {});
    await forceRemove(spec.containerName).catch(() => {});
  });
  return testcontainersHandle(started, spec.alias, spec.ping, log.consumer, spec.signal, spec.logPath);
}

export function testcontainersHandle(
  started: StartedTestContainer,
  alias: string,
  ping: PingTarget,
  follow: (stream: Readable) => void,
  signal: AbortSignal | undefined,
  logPath?: string,
): PgContainer {
  return {
    id: started.getId(),
    writeFiles: (files) => started.copyContentToContainer(files.map((file) => ({ content: file.content, target: file.path, mode: file.mode }))),
    async start() {
      const since = Math.floor(Date.now() / 1000);
      try {
        await unlessAborted(startAgain(started.getId(), alias, ping), signal, alias, () => dockerKill(started));
      } catch (error) {
        // A start that failed says what its boot script last printed (a rewind, a wait for the
        // source), so that a run's "could not recover" names the step, not only the timeout.
        const tail = logPath ? await lastLines(logPath, 8) : '';
        if (tail && error instanceof Error) error.message += `; the log's last lines: ${tail}`;
        throw error;
      } finally {
        // The log stream ended with the old process; follow the new one into the same file (also,
        // and above all, when its boot failed: the boot script says why).
        const stream = await started.logs({ since }).catch(() => undefined);
        if (stream) follow(stream);
      }
    },
    async kill() {
      // A paused container dies without running again (as a stopped process tree does locally).
      const state = await containerState(started.getId());
      if (state.Paused && (await killFrozenContainer(started.getId()))) return waitUntilExited(started.getId());
      await dockerKill(started).catch(async (error: unknown) => {
        // Under load the engine may answer with an error although the container did die (its
        // exit event came late): what counts is whether it still runs.
        const state = await containerState(started.getId());
        if (!state.Running) return;
        if (!state.Paused) throw error;
        await dockerUnpause(started);
        await dockerKill(started);
      });
    },
    // The image's STOPSIGNAL is SIGINT: PostgreSQL's fast shutdown, as the local provider does.
    stop: () => dockerStop(started),
    pause: () => dockerPause(started),
    unpause: () => dockerUnpause(started),
    exec: (command) => dockerExec(started, command),
    async remove() {
      await started.stop({ timeout: 5_000, remove: true, removeVolumes: true }).catch(() => {});
    },
  };
}

/** The last `n` non-empty lines of a log file, joined with " | "; empty when it cannot be read. */
async function lastLines(path: string, n: number): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.trim() !== '').slice(-n).join(' | ');
}
