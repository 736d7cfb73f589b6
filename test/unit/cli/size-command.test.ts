import { describe, expect, it } from 'vitest';
import { runCli, runMain, STACK_LINE } from './run-cli.ts';

// Every argument `faultline size` takes is checked before a server starts: exit 2, a message
// naming the argument, no stack trace, nothing on stdout.

describe('faultline size with bad arguments', () => {
  it.each([
    [['size', 'scenarios/quickstart.yaml'], /size needs --concurrency, the client counts to measure, e\.g\. --concurrency 1,2,4,8/],
    [['size', 'scenarios/quickstart.yaml', '--concurrency', '1,2'], /--concurrency: the USL fit has 3 parameters and needs at least 3 levels, got 2/],
    [['size', 'scenarios/quickstart.yaml', '--concurrency', '1,x,4'], /--concurrency: "x" is not a number of clients/],
    [['size', 'scenarios/quickstart.yaml', '--concurrency', '1,2,4', '--target', 'abc'], /--target: expected orders per second above 0, e\.g\. --target 500, got "abc"/],
    [['size', 'scenarios/quickstart.yaml', '--concurrency', '1,2,4', '--operating-point', '0'], /--operating-point: .*got "0"/],
    [['size', 'scenarios/quickstart.yaml', '--concurrency', '1,2,4', '--duration', 'forever'], /--duration: "forever" is not a duration/],
    [['size', 'scenarios/quickstart.yaml', '--concurency', '1,2,4'], /unknown option --concurency \(did you mean "--concurrency"\?\)/],
    [['size', '--concurrency', '1,2,4'], /size needs a scenario file.*usage: faultline size <scenario> --concurrency/],
    [['size', 'no/such.yaml', '--concurrency', '1,2,4'], /no\/such\.yaml: no such file/],
    [['size', 'scenarios/quickstart.yaml', '--concurrency', '1,2,4', '--set', 'workload.loop.concurrency=2'], /size sets workload\.loop itself/],
  ])('%j exits 2 and names the argument', async (args, expected) => {
    const result = await runMain(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });

  it('is listed in the help', () => {
    const result = runCli(['--help']);
    expect(result.stdout).toMatch(/faultline size <scenario>\s+measure throughput at several concurrency levels/);
  });
});
