import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ENGINE_FILE, type EngineEndpoint } from './container-reaper.mjs';
import { allocatePort, releasePort } from './port-allocator.ts';
import { runsDir, runtimeRoot } from './runtime-root.ts';

const WATCHDOG = fileURLToPath(new URL('./watchdog.mjs', import.meta.url));

/**
 * Owns everything a run starts on this machine: its directory, its ports, its containers (by
 * label), and a watchdog child that reaps it all if this process dies in any way. Disposing it
 * is the normal teardown.
 */
export class RunSandbox implements AsyncDisposable {
  private readonly ports: number[] = [];
  private disposed = false;

  private constructor(
    readonly id: string,
    readonly dir: string,
    private readonly watchdog: ChildProcess,
  ) {}

  static async create(id: string): Promise<RunSandbox> {
    const dir = join(runsDir(runtimeRoot()), id);
    await mkdir(dir, { recursive: true, mode: 0o711 });
    await writeFile(join(dir, 'owner'), `${process.pid}\n`);
    const watchdog = spawn(process.execPath, [WATCHDOG, dir], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.unref();
    // The pipe must not keep the harness alive either; it only has to close when we die.
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return new RunSandbox(id, dir, watchdog);
  }

  async allocatePort(): Promise<number> {
    const port = await allocatePort();
    this.ports.push(port);
    // Listed so that the watchdog can release the lock if this process dies.
    await appendFile(join(this.dir, 'ports'), `${port}\n`);
    return port;
  }

  /** Tells the watchdog about a process to kill if we die; marker guards against pid reuse. */
  async registerPid(pid: number, marker: string): Promise<void> {
    await appendFile(join(this.dir, 'pids'), `${pid} ${marker}\n`);
  }

  /**
   * Tells the watchdog where the run's containers live, before the first one exists: if we die,
   * it removes everything labelled with this run's id there (no reaper image needed).
   */
  async recordContainerEngine(endpoint: EngineEndpoint): Promise<void> {
    await writeFile(join(this.dir, ENGINE_FILE), `${JSON.stringify(endpoint)}\n`, { mode: 0o600 });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.ports.map((port) => releasePort(port)));
    const exited = new Promise<void>((resolve) => {
      if (this.watchdog.exitCode !== null) resolve();
      else this.watchdog.once('exit', () => resolve());
    });
    // Closing the pipe is the signal: the watchdog reaps leftovers and removes the directory.
    this.watchdog.stdin?.end();
    this.watchdog.stdin?.destroy();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
  }
}
