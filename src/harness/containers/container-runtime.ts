import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { StartedTestContainer } from 'testcontainers';
import { containerEngine } from './container-engine.ts';

// The few things faultline asks of Docker beyond what testcontainers' container object offers:
// freeze and thaw (docker pause), crash (docker kill), and taking a node off the run's network.
// All of it through testcontainers' own Docker client, so DOCKER_HOST, contexts and Podman work
// as testcontainers has them, with faultline's settings (containerEngine: no reaper image,
// loopback as the host of an engine on this machine).

export async function dockerPause(container: StartedTestContainer): Promise<void> {
  const client = await containerEngine();
  await client.container.getById(container.getId()).pause();
}

export async function dockerUnpause(container: StartedTestContainer): Promise<void> {
  const client = await containerEngine();
  await client.container.getById(container.getId()).unpause();
}

/** SIGKILL to the container's main process: the server dies as in a crash; the container stays. */
export async function dockerKill(container: StartedTestContainer): Promise<void> {
  const client = await containerEngine();
  await client.container.getById(container.getId()).kill({ signal: 'SIGKILL' });
}

/** Graceful: SIGTERM, then SIGKILL after `seconds`. The container stays, so restart() brings the data back. */
export async function dockerStop(container: StartedTestContainer, seconds = 30): Promise<void> {
  const client = await containerEngine();
  await client.container.getById(container.getId()).stop({ t: seconds });
}

export async function dockerDisconnect(container: StartedTestContainer, networkId: string): Promise<void> {
  const client = await containerEngine();
  await client.network.getById(networkId).disconnect({ Container: container.getId(), Force: true });
}

export async function dockerConnect(container: StartedTestContainer, networkId: string, alias: string): Promise<void> {
  const client = await containerEngine();
  await client.network.getById(networkId).connect({ Container: container.getId(), EndpointConfig: { Aliases: [alias] } });
}

/**
 * Runs a command in a running container. Undefined when the engine refuses because the container
 * runs nothing now (paused, killed, stopped: HTTP 409), so callers can keep the work for later.
 */
export async function dockerExec(container: StartedTestContainer, command: readonly string[]): Promise<{ exitCode: number; output: string } | undefined> {
  try {
    const result = await container.exec([...command]);
    return { exitCode: result.exitCode, output: result.output };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 409) return undefined;
    throw error;
  }
}

/** Follows a container's output into a log file, the way a local node writes its own. */
export function logTo(path: string): { consumer: (stream: Readable) => void; close(): void } {
  let file: WriteStream | undefined;
  return {
    consumer: (stream) => {
      file ??= createWriteStream(path, { flags: 'a', mode: 0o600 });
      stream.pipe(file, { end: false });
    },
    close: () => file?.end(),
  };
}

/** True when a Docker (or compatible) engine answers; the reason when it does not. */
export async function containerRuntimeProblem(): Promise<string | undefined> {
  try {
    await containerEngine();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}
