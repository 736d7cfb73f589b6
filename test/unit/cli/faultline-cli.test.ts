import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runMain, STACK_LINE } from './run-cli.ts';

// Fixture paths are given relative to the repository root, which is the CLI's working directory.
const FIXTURES = 'test/fixtures/scenarios';

describe('faultline validate', () => {
  it.each([
    ['unknown-key.yaml', /unknown-key\.yaml:6:3: topology\.replcas: unknown key "replcas" \(did you mean "replicas"\?\)/],
    ['wrong-type.yaml', /wrong-type\.yaml:6:13: topology\.replicas: expected a number, got string "two"/],
    ['negative-rate.yaml', /negative-rate\.yaml:9:11: workload\.loop\.rate: must be greater than 0/],
    ['missing-topology.yaml', /missing-topology\.yaml: topology: missing required key "topology"/],
    ['syntax-error.yaml', /syntax-error\.yaml:5:9: YAML syntax error: /],
    ['bad-duration.yaml', /bad-duration\.yaml:7:13: workload\.duration: expected a duration/],
  ])('%s exits 2 and names the field, without a stack trace', async (name, expected) => {
    const result = await runMain(['validate', `${FIXTURES}/${name}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });

  it('prints ok for good files and exits 0', async () => {
    const result = await runMain(['validate', 'scenarios/quickstart.yaml', `${FIXTURES}/valid.yaml`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`ok scenarios/quickstart.yaml\nok ${FIXTURES}/valid.yaml\n`);
  });

  it('checks every file and exits 2 if any is invalid', async () => {
    const result = await runMain(['validate', `${FIXTURES}/valid.yaml`, 'no/such/file.yaml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(`ok ${FIXTURES}/valid.yaml\n`);
    expect(result.stderr).toMatch(/^no\/such\/file\.yaml: no such file; check the path/m);
    expect(result.stderr).toMatch(/1 of 2 scenario files are invalid/);
  });
});

describe('faultline list', () => {
  it('shows the shipped scenarios with their descriptions, not the fixtures', async () => {
    const result = await runMain(['list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^quickstart\s+scenarios\/quickstart\.yaml\s+Baseline shop traffic/m);
    expect(result.stdout).not.toMatch(/fixtures/);
  });

  it('aligns columns and marks invalid scenarios', async () => {
    const result = await runMain(['list', FIXTURES]);
    expect(result.code).toBe(0);
    // The scenarios' table; incomplete runs under reports/ (if any) are listed after a blank line.
    const lines = result.stdout.split('\n\n')[0]!.trimEnd().split('\n');
    expect(lines.find((line) => line.startsWith('unknown-key '))).toMatch(/invalid: topology\.replcas: unknown key "replcas"/);
    expect(lines.find((line) => line.startsWith('fixture-valid '))).toMatch(/Minimal valid scenario for tests$/);
    const fileColumn = new Set(lines.map((line) => line.indexOf(FIXTURES)));
    expect(fileColumn.size).toBe(1);
  });

  it('exits 2 for a folder that does not exist', async () => {
    const result = await runMain(['list', 'no-such-dir']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"no-such-dir" is not a directory/);
  });
});

describe('bad command lines', () => {
  it.each([
    [['validate', 'scenarios/quickstart.yaml', '--frobnicate'], /unknown option --frobnicate \(see faultline validate --help\)/],
    [['run', 'scenarios/quickstart.yaml', '--sets', 'a=1'], /unknown option --sets \(did you mean "--set"\?\)/],
    [['valdate', 'x.yaml'], /unknown command "valdate" \(did you mean "validate"\?\); commands are run, validate, list, clean/],
    [['validate'], /validate needs at least one scenario file/],
    [['run'], /run needs a scenario file.*usage: faultline run <scenario\.\.>/],
    [['run', 'scenarios/quickstart.yaml', '--set'], /--set needs a value, e\.g\. --set workload\.duration=10s/],
    // A set is validated whole before any server starts: a matrix or a bad second file stops it.
    [['run', 'scenarios/quickstart.yaml', 'scenarios/matrix-replication.yaml'], /matrix-replication\.yaml: a scenario with a matrix cannot be run in a set/],
    [[], /choose a command: run, validate, list, clean/],
    [['--frob'], /unknown option --frob; choose a command first/],
  ])('%j exits 2 with a clear message', async (args, expected) => {
    const result = await runMain(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^faultline: /);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it.each([
    [['run', 'scenarios/quickstart.yaml', 'scenarios/no-such-file.yaml'], /no-such-file\.yaml/],
    [['run', 'scenarios/quickstart.yaml', 'scenarios/partitioning/hash-price.yaml', '--set', 'workload.duration=soon'], /workload\.duration/],
  ])('a set with a bad file: %j exits 2 naming it, before any server starts', async (args, expected) => {
    const result = await runMain(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stdout).not.toContain('faultline: set');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('--help lists the commands and exits 0', () => {
    const result = runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['run <scenario..>', 'validate <files..>', 'list [dir]', 'clean']) expect(result.stdout).toContain(command);
  });
});

describe('faultline validate on a matrix', () => {
  it('checks every variant as run would, naming the variant and the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-matrix-'));
    try {
      const source = await readFile('scenarios/matrix-replication.yaml', 'utf8');
      const bad = join(dir, 'bad.yaml');
      await writeFile(bad, source.replace(/topology\.replication: \[[^\]]*\]/, 'topology.replication: [async, snyc]'));
      const good = await runMain(['validate', 'scenarios/matrix-replication.yaml']);
      expect(good.code).toBe(0);
      expect(good.stdout).toContain('ok scenarios/matrix-replication.yaml (3 variants)');
      const result = await runMain(['validate', bad]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/topology\.replication: variant 2 \(replication=snyc\): .*did you mean "sync"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
