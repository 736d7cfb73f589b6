import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportHtml } from '../../../../src/harness/report/html/write-report-html.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import { FIXTURE_PASSWORD } from '../fixtures.ts';
import { syntheticResults, writeSyntheticHistory, type SyntheticRunOptions } from './synthetic-run.ts';
import { distributedCommit, multiLeader, partitionedLayout, regionalCentral, shards } from '../topology-results-fixtures.ts';

// Everything a scenario file or a database can put in a report is hostile text here: the
// scenario's name and description, node names (they reach the charts' SVG too), fault kinds and
// targets, error classes, checker names, counts, examples and explanations, the run's error.
// None of it may become markup: no script, no image, no event handler, anywhere in the page.

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const EVIL_NODE = `<img src=x onerror=alert(2)>`;
const RUN: SyntheticRunOptions = {
  seconds: 3,
  opsPerSecond: 400,
  failoverAfterSeconds: 0.3,
  nodes: ['primary', EVIL_NODE, `${SCRIPT}-2`],
  faults: [
    { kind: `kill${SCRIPT}`, targets: ['primary'], atSeconds: 0.3, durationSeconds: 0.3 },
    { kind: 'partition', targets: [`primary->${EVIL_NODE}`], atSeconds: 0.1, durationSeconds: 0.5 },
  ],
};

const evil = (name: string) => `${name}${IMG}`;

function hostileResults(): RunResults {
  const base = syntheticResults(RUN);
  const checkout = base.operations.checkout!;
  return {
    ...base,
    scenario: { ...base.scenario, name: SCRIPT, description: `Shop traffic ${IMG} and more.\n\nSecond ${SCRIPT} paragraph.` },
    run: { ...base.run, status: 'failed', error: `primary died ${SCRIPT} ${IMG}` },
    // An operation name only results.json holds (the fan-out table lists it).
    operations: { ...base.operations, checkout: { ...checkout, errors: { [SCRIPT]: 3, [IMG]: 2 }, fanout: 2 }, [evil('op')]: { ...checkout, fanout: 1 } },
    // Leader, region, table, key, product, column and node names of the newer topologies' sections
    // (and the central-freshness chart's legend).
    ...shards(evil),
    partitionedLayout: partitionedLayout(evil),
    multiLeader: multiLeader(evil),
    regionalCentral: regionalCentral(evil),
    distributedCommit: distributedCommit(evil),
    checks: {
      [`"><script>alert(3)</script>`]: {
        verdict: 'invalid',
        counts: { [`<b onmouseover=alert(4)>`]: 1 },
        examples: [{ note: `</code></li>${SCRIPT}`, node: EVIL_NODE }, `<img src=y onerror=alert(5)>`],
        explanation: `Found ${IMG}.\n\n${SCRIPT}`,
      },
    },
  };
}

let dir = '';
let page = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-html-security-'));
  await writeSyntheticHistory(join(dir, 'history.jsonl'), RUN);
  page = await readFile(await writeReportHtml(dir, hostileResults(), [FIXTURE_PASSWORD]), 'utf8');
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The page is large: report a failed match by what was looked for, not by dumping the page.
const has = (text: string) => page.includes(text);
const matches = (pattern: RegExp) => pattern.exec(page)?.[0];

describe('report.html with hostile names and text', () => {
  it('contains no script, image, embed or link element, and no inline event handler', () => {
    expect(matches(/<\s*script/i)).toBeUndefined();
    expect(matches(/<\s*img/i)).toBeUndefined();
    expect(matches(/<\s*(?:iframe|object|embed|foreignObject|link|base|meta\s+http-equiv="refresh")/i)).toBeUndefined();
    // Any attribute named on... inside any tag.
    expect(matches(/<[^>]*\son[a-z]+\s*=/i)).toBeUndefined();
    expect(matches(/javascript:/i)).toBeUndefined();
  });

  it('shows the hostile text as text', () => {
    expect(has('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe(true);
    expect(has('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')).toBe(true);
    expect(has('<title>faultline: &lt;script&gt;')).toBe(true);
    // In the topology table, the fault table, the check's examples and the charts' SVG.
    expect(page.split('&lt;img src=x onerror=alert(2)&gt;').length).toBeGreaterThan(3);
    // In the shards, partitioned-layout, multi-leader, regions-and-central and distributed-commit sections.
    for (const id of ['shards', 'partitioned-layout', 'multi-leader', 'regional-central', 'distributed-commit']) {
      const section = new RegExp(`<section id="${id}">[\\s\\S]*?</section>`).exec(page)?.[0] ?? '';
      expect(section.split('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;').length, id).toBeGreaterThan(2);
    }
  });

  it('still draws the charts, with hostile node names as SVG text', () => {
    expect(page.match(/<svg\b/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(matches(/<text[^>]*>[^<]*&lt;img src=x onerro/)).toBeDefined();
    expect(has('could not be drawn')).toBe(false);
    expect(page.match(/<figure id="chart-[a-z-]+"/g)).toEqual([
      '<figure id="chart-latency-quantiles"',
      '<figure id="chart-latency-scatter"',
      '<figure id="chart-throughput"',
      '<figure id="chart-replication-lag"',
      '<figure id="chart-central-freshness"',
      '<figure id="chart-writable-nodes"',
    ]);
  });

  it('keeps check anchors to safe characters', () => {
    for (const [, id] of page.matchAll(/\sid="([^"]*)"/g)) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('declares a policy that forbids script and network access', () => {
    expect(has(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)).toBe(true);
  });
});

describe('secrets', () => {
  it('refuses to write the page or any chart spec when the run password would appear', async () => {
    const leaky = await mkdtemp(join(tmpdir(), 'faultline-html-secret-'));
    try {
      await writeSyntheticHistory(join(leaky, 'history.jsonl'), { ...RUN, nodes: ['primary', `replica-${FIXTURE_PASSWORD}`] });
      const results = syntheticResults({ ...RUN, nodes: ['primary', 'replica'] });
      // The password reaches only the history (a node name), so only a chart spec and its SVG carry it.
      await expect(writeReportHtml(leaky, results, [FIXTURE_PASSWORD])).rejects.toThrow(/refusing to write a report/);
      expect(existsSync(join(leaky, 'report.html'))).toBe(false);
      expect(existsSync(join(leaky, 'charts')) ? await readdir(join(leaky, 'charts')) : []).toEqual([]);
      const described = { ...results, scenario: { ...results.scenario, description: `uses ${FIXTURE_PASSWORD}` } };
      await expect(writeReportHtml(leaky, described, [FIXTURE_PASSWORD])).rejects.toThrow(/secret #1/);
    } finally {
      await rm(leaky, { recursive: true, force: true });
    }
  });
});
