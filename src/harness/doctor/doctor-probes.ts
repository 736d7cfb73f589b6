import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { binaryProbe, firstLine, type ProbeResult, type Runner } from '../../engines/doctor-probe.ts';
import { ENGINES } from '../../engines/registry/engine-registry.ts';

// What `faultline doctor` checks: each engine (its own probes, Engine.doctorProbes) and provider
// faultline can use, whether it works on this machine now, and if not, why and how to get it.
// Every answer comes from trying the real thing (running the binary, asking the Docker engine),
// never from guessing.

export type { ProbeResult, ProbeStatus, Runner } from '../../engines/doctor-probe.ts';

const exec = promisify(execFile);
export const realRunner: Runner = async (command, args) => {
  try {
    const { stdout, stderr } = await exec(command, [...args], { timeout: 10_000 });
    return { ok: true, output: `${stdout}${stderr}`.trim() };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') return { ok: false, output: '' };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() || 'not found' };
  }
};

async function docker(run: Runner): Promise<ProbeResult> {
  const client = await run('docker', ['--version']);
  if (!client.ok) return { name: 'docker', status: 'missing', detail: 'no docker command', fix: 'install Docker Engine; container providers (testcontainers) need it' };
  const engine = await run('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (engine.ok && engine.output) return { name: 'docker', status: 'ok', detail: `engine ${firstLine(engine.output)} (${firstLine(client.output)})` };
  return {
    name: 'docker',
    status: 'unusable',
    detail: `${firstLine(client.output)} is only a client here: no engine answers (${firstLine(engine.output) || 'docker info failed'})`,
    fix: 'start a Docker engine (or point DOCKER_HOST at one); the local-process provider needs none',
  };
}

/** Each engine's probes, then the containers provider's engine, then the browser the report test uses. */
export async function runProbes(run: Runner = realRunner): Promise<ProbeResult[]> {
  const engines: ProbeResult[] = [];
  for (const engine of ENGINES) engines.push(...((await engine.doctorProbes?.(run)) ?? []));
  return [
    ...engines,
    await docker(run),
    await binaryProbe(run, 'chromium', ['--version'], 'apt-get install -y chromium (only the browser test of report.html needs it)'),
  ];
}
