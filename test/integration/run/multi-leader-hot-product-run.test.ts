import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { killHard, startCli, type Cli } from '../../support/processes.ts';

// The multi-leader hot product and its single-leader control through the real CLI, as one set:
// the same shop, regions and traffic; only the topology differs. Shortened to 4 s of load.

const MEMBERS = ['multi-leader-hot-product', 'multi-leader-hot-product-control'] as const;

let reports: string;
let cli: Cli | undefined;
let exit: { code: number | null; signal: NodeJS.Signals | null };
let results: RunResults[];
let setDir: string;

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-ml-'));
  const files = MEMBERS.map((name) => `scenarios/${name}.yaml`);
  cli = startCli(['run', ...files, '--set', 'workload.duration=4s', '--set', 'workload.warmup=500ms', '--out', reports]);
  exit = await Promise.race([cli.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('set took over 150 s')), 150_000))]);
  const root = join(reports, `${MEMBERS[0]}-set`);
  setDir = join(root, (await readdir(root)).find((name) => name !== 'latest')!);
  results = await Promise.all(MEMBERS.map(async (name) => JSON.parse(await readFile(join(setDir, name, 'results.json'), 'utf8')) as RunResults));
}, 170_000);

afterAll(async () => {
  await killHard(cli);
  await rm(reports, { recursive: true, force: true });
});

describe('multi-leader hot product against its single-leader control', () => {
  it('runs both to completion', () => {
    expect(exit, cli!.stderr()).toEqual({ code: 0, signal: null });
    expect(results.map((r) => r.run.status)).toEqual(['completed', 'completed']);
  });

  it('multi-leader under last_update_wins: conflicts on inventory, lost decrements and oversells, yet converged', () => {
    const [multi] = results;
    const ml = multi!.multiLeader!;
    expect(ml.conflictResolution).toBe('last_update_wins');
    expect(ml.conflicts.total).toBeGreaterThan(0);
    expect(ml.conflicts.byKind.update_update).toBeGreaterThan(0);
    expect(ml.conflicts.byRelation.inventory).toBeGreaterThan(0);
    expect(Object.keys(ml.conflicts.byNode).sort()).toEqual(['eu-west', 'us-east']);
    expect(Object.keys(ml.lagMs)).toEqual(['eu-west->us-east', 'us-east->eu-west']);
    for (const lag of Object.values(ml.lagMs)) expect(lag.samples).toBeGreaterThan(0);
    const invariants = multi!.checks.invariants!;
    expect(invariants.verdict).toBe('invalid');
    expect(invariants.counts['stock-not-conserved']).toBeGreaterThan(0);
    expect(invariants.counts['lost-decrement-units']).toBeGreaterThan(0);
    // The leaders agree, on the wrong stock: convergence alone would never show the damage.
    expect(multi!.checks.convergence!.verdict).toBe('valid');
    expect(ml.divergence.rows).toBe(0);
    expect(ml.convergenceMs).not.toBeNull();
    // Orders from both leaders reached both copies once each (lost-writes may still be invalid:
    // last_update_wins can drop an acknowledged restock's increment of restocked_total).
    expect(multi!.checks['lost-writes']!.counts['checkout.lost']).toBe(0);
    expect(invariants.counts['duplicate-order-id']).toBe(0);
  });

  it('the single-leader control keeps every decrement: no conflicts, invariants valid', () => {
    const [, control] = results;
    expect(control!.multiLeader).toBeUndefined();
    expect(control!.checks.invariants!.verdict).toBe('valid');
    expect(control!.checks.invariants!.counts).toMatchObject({ oversold: 0, 'stock-not-conserved': 0, 'lost-decrement-units': 0, 'oversold-units': 0 });
    expect(control!.operations.checkout!.ok).toBeGreaterThan(0);
  });

  it('reports the conflicts in report.md and compares both runs in one comparison', async () => {
    const md = await readFile(join(setDir, MEMBERS[0], 'report.md'), 'utf8');
    expect(md).toContain('## Multi-leader replication');
    expect(md).toMatch(/\| \*\*all\*\* \| [1-9]/);
    const comparison = await readFile(join(setDir, 'comparison.md'), 'utf8');
    expect(comparison).toContain('lost stock decrements');
    expect(existsSync(join(setDir, 'comparison.html'))).toBe(true);
  });
});
