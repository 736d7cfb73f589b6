import { formatCount } from './format-number.ts';
import { describeReplication } from './describe-replication.ts';
import { mdCode, mdTable, mdText } from './markdown.ts';
import type { RunResults } from '../results/results-types.ts';
import type { TopologySpec } from '../scenario/schema.ts';

// Where the numbers came from: the servers and how they replicate, then the machine and versions.
// Replication mode changes every latency and consistency figure, so it is stated, not implied.

export function renderTopologyMd(results: RunResults): string {
  const { topology } = results;
  const parts = ['## Topology'];
  const spec = results.resolvedScenario.topology;
  parts.push(spec.kind === 'pg-single-leader' && spec.kind === topology.kind ? describeSpec(spec) : `${mdText(topology.kind)}.`);
  if (topology.nodes.length > 0) {
    const rows = topology.nodes.map((node) => [mdText(node.name), mdText(node.role), mdText(node.host), String(node.port)]);
    parts.push(mdTable(['Node', 'Role', 'Host', 'Port'], rows, ['left', 'left', 'left', 'right']));
  } else {
    parts.push('No node was started.');
  }
  return parts.join('\n\n');
}

// Only single-leader specs describe replication; other kinds (pg-partitioned) render their own section.
type SingleLeaderSpec = Extract<TopologySpec, { kind: 'pg-single-leader' }>;

function describeSpec(spec: SingleLeaderSpec): string {
  const replicas = `${spec.replicas} ${spec.replicas === 1 ? 'replica' : 'replicas'}`;
  const lines = [`${mdText(spec.kind)}: ${replicas}, ${describeReplication(spec)}.`];
  const settings = Object.entries(spec.settings);
  if (settings.length > 0) {
    lines.push(`Settings: ${settings.map(([key, value]) => mdCode(`${key} = ${String(value)}`)).join(', ')}.`);
  }
  return lines.join('\n');
}


export function renderEnvironmentMd(results: RunResults): string {
  const env = results.environment;
  return [
    '## Environment',
    [
      `- **Node.js:** ${mdText(env.node)}`,
      `- **Database:** ${(env.engine ?? env.postgres) === undefined ? 'unknown' : mdText((env.engine ?? env.postgres)!)}`,
      `- **CPUs:** ${formatCount(env.cpus)}`,
      `- **Platform:** ${mdText(env.platform)}`,
      `- **results.json schema:** ${results.schemaVersion}`,
    ].join('\n'),
  ].join('\n\n');
}
