import type { ProbeResult } from '../../doctor/doctor-probes.ts';
import { ExitCode } from '../../output/exit-codes.ts';
import type { CliCommand } from './cli-command.ts';

export const doctor: CliCommand = {
  name: 'doctor',
  synopsis: 'faultline doctor',
  options: ['help'],
  register: (cli, done) =>
    cli.command('doctor', 'which engines and providers work on this machine, and how to get the others', {}, async () => {
      done(await doctorCommand());
    }),
};

const MARK: Record<ProbeResult['status'], string> = { ok: 'ok        ', missing: 'missing   ', unusable: 'unusable  ' };

/** Prints one line per engine or provider, with the fix under anything that is not ok. */
export async function doctorCommand(print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  // Loaded when asked: the probes import every provider.
  const { runProbes } = await import('../../doctor/doctor-probes.ts');
  const results = await runProbes();
  const width = Math.max(...results.map((r) => r.name.length));
  for (const result of results) {
    print(`${MARK[result.status]}${result.name.padEnd(width)}  ${result.detail}`);
    if (result.fix) print(`${' '.repeat(10 + width)}  to get it: ${result.fix}`);
  }
  return ExitCode.ok;
}
