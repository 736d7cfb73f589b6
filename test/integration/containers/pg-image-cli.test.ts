import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineProblem } from '../../../src/harness/containers/docker-cli.ts';
import { projectImageTag } from '../../../src/topologies/postgres/containers/image/pg-image-inputs.ts';
import { ROOT, STACK_LINE } from '../../unit/cli/run-cli.ts';

// `faultline images` against the real engine, and the promise that a scenario naming an image that
// is not here exits 2 in one line without contacting a registry. .ci/setup (npm test's pretest)
// builds the project image, so here it must be present. No cold build here: that is bench/'s.

const problem = await engineProblem();
const SKIP = `skipped: no Docker engine (${problem ?? ''}); bash .ci/setup starts one on Debian as root`;
if (problem) console.warn(`faultline images: ${SKIP}`);

// Where .ci/setup has dockerd write its log; the no-pull check reads what the engine logged meanwhile.
const DOCKERD_LOG = process.env.FAULTLINE_DOCKERD_LOG ?? '/var/log/faultline/dockerd.log';
// What dockerd 20.10 logs for any pull, even a failed one (measured): POST /images/create, the
// v2 registry lookup, "next endpoint for pull". The lines do not name the image.
const PULL_TRACE = /images\/create|v2 registry|endpoint for pull/i;

// The real entry point, as a user runs it; a generous timeout, since loading every command takes
// many seconds on a machine busy with other suites' servers.
function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const { FAULTLINE_DEBUG: _ignored, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['src/harness/cli/faultline.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...inherited, ...env }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function logSince(offset: number): string {
  return readFileSync(DOCKERD_LOG, 'utf8').slice(offset);
}

describe.skipIf(problem !== undefined)(`faultline images${problem ? ` (${SKIP})` : ''}`, () => {
  it('lists the project image for the current inputs as built, and says how to get a MongoDB image', () => {
    const listed = runCli(['images', 'list'], { FORCE_COLOR: '0' });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const tag = projectImageTag();
    expect(listed.stdout).toMatch(new RegExp(`${tag.replace(/[/.]/g, '\\$&')}\\s+postgres, base debian, \\d+ MB, .*<- current`));
    expect(listed.stdout).toContain(`the current inputs make ${tag}: built`);
    expect(listed.stdout).toMatch(/MongoDB: .*(present|docker pull mongo:)/);
  }, 150_000);

  it('builds nothing when the image for the current inputs exists', () => {
    const built = runCli(['images', 'build']);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain(`${projectImageTag()} is up to date`);
  }, 150_000);

  it('exits 2 with one line, no stack trace and no pull, when a scenario names an image that is not here', () => {
    const hasLog = existsSync(DOCKERD_LOG);
    const offset = hasLog ? statSync(DOCKERD_LOG).size : 0;
    const missing = `faultline/no-such-image-${process.pid}`;
    const result = runCli(['run', 'scenarios/quickstart.yaml', '--set', `provider={kind: containers, image: ${missing}, version: "0"}`]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^faultline: image ${missing}:0 \\(provider\\.image\\) is not on this machine and provider\\.pull is never: run \`docker pull ${missing}:0\``));
    expect(result.stderr).not.toMatch(STACK_LINE);
    // The engine's own log: a pull, even a failed one, leaves these lines; no test may pull, so any is a fault.
    if (hasLog) expect(logSince(offset).split('\n').filter((line) => PULL_TRACE.test(line))).toEqual([]);
    else console.warn(`no dockerd log at ${DOCKERD_LOG}: the no-pull check relied on the exit path only`);
  }, 150_000);
});
