import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPgImage, type BuildResult } from '../src/topologies/postgres/containers/image/build-pg-image.ts';
import { docker, engineProblem } from '../src/harness/containers/docker-cli.ts';
import { BENCH_MARKER, fixed, median, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// `faultline images build`, cold and cached, as .ci/setup meets it: cold = debootstrap from the
// Debian mirror + docker import + docker build, with nothing cached; cached = the tag for the
// current inputs already exists (what every later `npm test` pays). Also the warm rebuild (the
// rootfs tarball cached, the Dockerfile or entrypoint edited). All under bench-only repositories
// and a temporary cache, so the project's own image and rootfs cache are never touched, and
// removed afterwards. The cold build takes minutes (debootstrap): it is the baseline of the ratio.

const NAME = 'image-build';
const CACHED_ROUNDS = 5;
/** A cached build must cost under 2% of a cold one: it runs before every npm test. */
const GOAL = 0.02;

export async function runBench(print: Print): Promise<BenchReport> {
  const problem = await engineProblem();
  if (problem) return { name: NAME, met: false, line: `${NAME}: NOT MEASURED, no Docker engine (${problem}); bash .ci/setup starts one` };
  const cacheDir = await mkdtemp(join(tmpdir(), `${BENCH_MARKER}-images-`));
  const repositories = { image: `${BENCH_MARKER}/postgres`, rootfs: `${BENCH_MARKER}/rootfs` };
  const log = (line: string): void => print(`   ${line}`);
  const tags: string[] = [];
  try {
    print(`   cold build (debootstrap, import, build) into ${cacheDir}`);
    const cold = await buildPgImage({ repositories, cacheDir, log });
    // Ids as well as tags: the forced rebuild below moves the tag, leaving the cold image untagged.
    tags.push(cold.id, cold.tag, ...(cold.from ? [cold.from] : []));
    const cached: number[] = [];
    for (let round = 0; round < CACHED_ROUNDS; round++) cached.push((await buildPgImage({ repositories, cacheDir, log: () => {} })).seconds);
    print('   warm rebuild (rootfs tarball cached: import and build again)');
    // Without the imported rootfs tag, the warm rebuild imports the cached tarball again, as a machine whose engine lost its images would.
    if (cold.from) await docker(['image', 'rm', '--force', cold.from]);
    const warm = await buildPgImage({ repositories, cacheDir, log, force: true });
    tags.push(warm.id);
    const cachedS = median(cached);
    const ratio = cachedS / cold.seconds;
    await writeFigures(NAME, {
      goal: `cached / cold <= ${GOAL}`,
      coldSeconds: cold.seconds,
      coldSteps: cold.steps,
      cachedSecondsMedian: cachedS,
      cachedSeconds: cached,
      warmSeconds: warm.seconds,
      warmSteps: warm.steps,
      ratio,
    });
    const steps = (r: BuildResult): string => r.steps.map((s) => `${s.name} ${fixed(s.seconds, 1)} s${s.cached ? ' (cached)' : ''}`).join(', ');
    return {
      name: NAME,
      met: ratio <= GOAL,
      line: `${NAME}: cached ${fixed(cachedS, 2)} s vs cold ${fixed(cold.seconds, 1)} s, ratio cached/cold ${fixed(ratio, 4)} (goal <= ${GOAL}) ${verdict(ratio <= GOAL)}`,
      detail: `   cold: ${steps(cold)}\n   warm rebuild (rootfs cached): ${fixed(warm.seconds, 1)} s (${steps(warm)}), ratio warm/cold ${fixed(warm.seconds / cold.seconds, 3)}`,
    };
  } finally {
    const mine = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    const benchTags = String(mine.stdout).split('\n').filter((t) => t.startsWith(`${BENCH_MARKER}/`));
    if (benchTags.length > 0 || tags.length > 0) await docker(['image', 'rm', '--force', ...new Set([...tags, ...benchTags])]);
    await rm(cacheDir, { recursive: true, force: true });
  }
}
