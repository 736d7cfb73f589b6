import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reapRunContainers } from '../../../src/harness/process/container-reaper.mjs';
import { countOf, engine, HAS_ENGINE, NO_ENGINE, runResources } from '../../support/containers.ts';
import { killHard, removePortLocksOf, runDirOwnedBy, startCli, waitUntil, type Cli } from '../../support/processes.ts';

// SIGTERM while the run's containers are still starting (the primary's initdb, the replicas' base
// backups): the harness stops waiting for them at once instead of sitting out the 180 s readiness
// timeout, removes them, writes its partial report and exits 130. Real containers of the project's
// image; skipped only where no container engine answers.

if (!HAS_ENGINE) console.warn(`SIGTERM during container start: ${NO_ENGINE}`);

let cli: Cli | undefined;
let reports: string | undefined;
let runId: string | undefined;

afterEach(async () => {
  await killHard(cli);
  if (cli) removePortLocksOf(cli.pid);
  if (runId && HAS_ENGINE) await reapRunContainers(await engine(), runId);
  if (reports) await rm(reports, { recursive: true, force: true });
  cli = reports = runId = undefined;
});

/** The readiness timeout the start would otherwise have waited out: the bound is well under it. */
const STARTUP_TIMEOUT_MS = 180_000;

describe.skipIf(!HAS_ENGINE)(`SIGTERM during container start${HAS_ENGINE ? '' : ` (${NO_ENGINE})`}`, () => {
  it('stops waiting for the starting containers, removes them, reports the run as interrupted and exits 130', async () => {
    reports = await mkdtemp(join(tmpdir(), 'faultline-interrupted-start-'));
    cli = startCli(['run', 'scenarios/known/sync-failover.yaml', '--provider', 'containers', '--out', reports]);
    await waitUntil('the harness has a run directory', () => (runId = runDirOwnedBy(cli!.pid)?.split('/').pop()) !== undefined, 60_000, 50);
    await waitUntil('the first container of the run exists', async () => (await runResources(runId!)).containers.length > 0, 240_000, 100);
    const sentAt = Date.now();
    cli.child.kill('SIGTERM');
    const exit = await Promise.race([cli.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), STARTUP_TIMEOUT_MS / 3))]);
    expect(exit, 'the harness exits long before the readiness timeout').not.toBe('still running');
    console.log(`SIGTERM during container start: exited ${Date.now() - sentAt} ms later`);
    expect(exit).toMatchObject({ code: 130 });
    expect(cli.stderr()).not.toMatch(/^\s+at /m);
    await waitUntil('nothing of the run is on the engine', async () => countOf(await runResources(runId!)) === 0, 15_000, 250);
    const [name] = await readdir(reports);
    const [run] = await readdir(join(reports, name!));
    const results = JSON.parse(await readFile(join(reports, name!, run!, 'results.json'), 'utf8'));
    expect(results.run.status).toBe('interrupted');
  }, 420_000);
});
