// Loaded when the command runs: `validate` and `list` must not pay for the report writers' modules.
import { relative } from 'node:path';
import { terminalLine } from '../terminal-text.ts';
import type { CliCommand } from './cli-command.ts';

export const report: CliCommand = {
  name: 'report',
  synopsis: 'faultline report <run-dir>',
  needs: 'the folder of a run whose harness was killed, e.g. faultline report reports/quickstart/<run-id> (faultline list names them)',
  options: ['help'],
  register: (cli, done) =>
    cli.command(
      'report <dir>',
      'summarise what a killed run recorded (history, timeseries) into a report marked partial',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'the run folder (it holds PARTIAL and history.jsonl)' })
          .example('$0 report reports/quickstart/2026-11-21T14-05-09Z-3f2a', ''),
      async (args) => {
        const { writePartialReport } = await import('../../run/partial-report.ts');
        const { results, written } = await writePartialReport(args.dir);
        const partial = results.run.partial!;
        const where = relative(process.cwd(), args.dir) || args.dir;
        const t = results.totals;
        process.stdout.write(
          `${terminalLine(`partial: ${t.count} measured ops (${t.ok} ok, ${t.fail} fail, ${t.info} info) over ${(results.run.measuredMs / 1000).toFixed(1)} s, ` +
            `${partial.inFlight} in flight when the harness stopped; no check ran`)}\n` +
            `${terminalLine(`report: ${written.map((file) => `${where}/${file}`).join(', ')} (marked partial)`)}\n`,
        );
        done(0);
      },
    ),
};
