import { ExitCode } from '../output/exit-codes.ts';

/** Runs `body` with Ctrl-C and SIGTERM turned into an abort; a second signal exits at once. */
export async function withSignals(rest: string, body: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(ExitCode.interrupted);
    process.stderr.write(`\nfaultline: ${signal}: stopping the load, writing the report, tearing down${rest} (again to quit now)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
