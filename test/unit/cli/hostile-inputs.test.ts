import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/harness/cli/main.ts';

// The corpus of hostile and careless inputs (test/fixtures/hostile/cases.json): each file with the
// exit code and the message faultline must answer with. Every case is refused before anything
// starts; none may print a raw control character or a stack trace.

const HOSTILE = fileURLToPath(new URL('../../fixtures/hostile/', import.meta.url));
const VALID = fileURLToPath(new URL('../../fixtures/scenarios/valid.yaml', import.meta.url));

interface Case {
  readonly file: string;
  readonly command?: 'validate' | 'run' | 'list';
  readonly exit: number;
  readonly stderr?: string;
  readonly stdout?: string;
}

interface Said {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process (as faultline.mjs does), capturing what it writes. */
async function faultline(args: string[]): Promise<Said> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

// ESC, BEL, CSI and the other C0/C1 controls; newline and tab are fine.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const STACK = /^\s+at /m;

const cases = JSON.parse(await readFile(join(HOSTILE, 'cases.json'), 'utf8')) as Case[];

describe('the corpus of hostile inputs', () => {
  it.each(cases.map((c) => [c.file, c] as const))('%s gets its exit code and message', async (_name, c) => {
    const command = c.command ?? 'validate';
    const args = command === 'list' ? ['list', HOSTILE] : [command, join(HOSTILE, c.file)];
    const said = await faultline(args);
    expect(said.code, said.stderr).toBe(c.exit);
    if (c.stderr) expect(said.stderr).toMatch(new RegExp(c.stderr));
    if (c.stdout) expect(said.stdout).toMatch(new RegExp(c.stdout));
    expect(said.stdout + said.stderr).not.toMatch(RAW_CONTROL);
    expect(said.stderr).not.toMatch(STACK);
  });

  it('covers every file in the folder', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(HOSTILE)).filter((name) => name.endsWith('.yaml'));
    expect(files.sort()).toEqual(cases.map((c) => c.file).sort());
  });
});

describe('hostile inputs made on the spot', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-hostile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a 50 MB file of unknown keys is refused by its size, without reading it', async () => {
    const file = join(dir, 'huge.yaml');
    const line = 'k0123456789abcdef: 1\n';
    await writeFile(file, `name: h\ndescription: d\ntopology: { kind: pg-single-leader }\n${line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))}`);
    const said = await faultline(['validate', file]);
    expect(said.code).toBe(2);
    expect(said.stderr).toMatch(/huge\.yaml: is 50(\.\d)? MB; a scenario file is at most 1 MB/);
  });

  it('a file just under the size bound, full of unknown keys, lists the first 50 problems and counts the rest', async () => {
    const file = join(dir, 'keys.yaml');
    const keys = Array.from({ length: 30_000 }, (_, i) => `unknown${i}: 1`).join('\n');
    await writeFile(file, `name: h\ndescription: d\ntopology: { kind: pg-single-leader }\n${keys}\n`);
    const said = await faultline(['validate', file]);
    expect(said.code).toBe(2);
    const lines = said.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toMatch(/keys\.yaml:4:1: unknown0: unknown key "unknown0"/);
    expect(lines.at(-1)).toMatch(/\.\.\. and 29950 more problems \(the first 50 are shown\)/);
  });

  it('a FIFO is refused without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const said = await faultline(['validate', fifo]);
    expect(said.code).toBe(2);
    expect(said.stderr).toMatch(/pipe\.yaml: is not a regular file/);
  });

  it('/dev/zero is refused, not read forever', async () => {
    const said = await faultline(['validate', '/dev/zero']);
    expect(said).toMatchObject({ code: 2 });
    expect(said.stderr).toMatch(/\/dev\/zero: is not a regular file/);
  });

  it('--out naming a file exits 2 with one line, before anything starts', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, '');
    const said = await faultline(['run', VALID, '--out', file]);
    expect(said.code).toBe(2);
    expect(said.stderr).toBe(`faultline: --out ${file}: is a file, not a folder; give a folder to write into\n`);
  });

  it('--out below a file exits 2 naming the file', async () => {
    const file = join(dir, 'plain-file');
    await writeFile(file, '');
    const said = await faultline(['compare', VALID, '--out', join(file, 'sub')]);
    expect(said.code).toBe(2);
    expect(said.stderr).toMatch(new RegExp(`--out .*: ${file} is a file, not a folder`));
  });

  it('--out where the kernel refuses a folder exits 2 (a recursive mkdir would loop there)', async () => {
    const said = await faultline(['run', VALID, '--out', '/proc/faultline-x']);
    expect(said.code).toBe(2);
    expect(said.stderr).toMatch(/^faultline: --out \/proc\/faultline-x: cannot write there \(ENOENT\)/);
  });

  it('an undefined alias in --set exits 2 naming the argument', async () => {
    const said = await faultline(['run', VALID, '--set', 'workload.duration=*nowhere']);
    expect(said.code).toBe(2);
    expect(said.stderr).toMatch(/--set "workload\.duration=\*nowhere": the value is not valid YAML \(Unresolved alias/);
  });

  it('a binDir given by --set is refused like one in the file', async () => {
    const said = await faultline(['validate', VALID].concat([]));
    expect(said.code).toBe(0);
    const viaSet = await faultline(['run', VALID, '--set', 'provider={kind: local, binDir: /tmp/x}']);
    expect(viaSet.code).toBe(2);
    expect(viaSet.stderr).toMatch(/provider\.binDir: a scenario cannot choose the server binaries/);
  });
});
