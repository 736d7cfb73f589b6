import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runProbes, type Runner } from '../../../src/harness/doctor/doctor-probes.ts';
import { runCli } from '../cli/run-cli.ts';

// A fake runner answers like the machines faultline meets: the probes' wording and verdicts are
// checked for each case. The last test holds doctor to what this very machine says.
function runner(answers: Record<string, { ok: boolean; output: string }>): Runner {
  return async (command, args) => answers[`${command} ${args[0]}`] ?? { ok: false, output: '' };
}

const byName = async (run: Runner) => new Map((await runProbes(run)).map((r) => [r.name, r]));

describe('faultline doctor', () => {
  it('tells a Docker client without an engine apart from a working engine and from no Docker at all', async () => {
    const clientOnly = await byName(
      runner({ 'docker --version': { ok: true, output: 'Docker version 28.2.2' }, 'docker info': { ok: false, output: 'Cannot connect to the Docker daemon' } }),
    );
    expect(clientOnly.get('docker')).toMatchObject({ status: 'unusable', detail: expect.stringMatching(/only a client.*Cannot connect/) });
    const engine = await byName(runner({ 'docker --version': { ok: true, output: 'Docker version 28' }, 'docker info': { ok: true, output: '27.1.1' } }));
    expect(engine.get('docker')).toMatchObject({ status: 'ok', detail: expect.stringContaining('engine 27.1.1') });
    const none = await byName(runner({}));
    expect(none.get('docker')).toMatchObject({ status: 'missing', fix: expect.stringContaining('Docker Engine') });
  });

  it('reports mongod and mongos with their versions, or how to get them', async () => {
    const present = await byName(runner({ 'mongod --version': { ok: true, output: 'db version v8.0.4\nBuild Info: ...' } }));
    expect(present.get('mongod')).toMatchObject({ status: 'ok', detail: 'db version v8.0.4' });
    expect(present.get('mongos')).toMatchObject({ status: 'missing', fix: expect.stringContaining('MongoDB') });
  });

  it('agrees with this machine about PostgreSQL and the Docker engine', async () => {
    const result = await runCli(['doctor']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok\s+postgresql\s+PostgreSQL \d+/m);
    const engine = spawnSync('docker', ['info'], { stdio: 'ignore' });
    const dockerWorks = engine.error === undefined && engine.status === 0;
    expect(result.stdout).toMatch(dockerWorks ? /^ok\s+docker\s/m : /^(unusable|missing)\s+docker\s/m);
  });
});
