import type { RunResults } from '../../../results/results-types.ts';
import { describeReplication } from '../../describe-replication.ts';
import type { TopologySpec } from '../../../scenario/schema.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlTable } from './html-table.ts';

// Where the numbers came from: the servers, their roles as the run ended, and how they replicate
// (replication mode changes every latency and consistency figure, so it is stated, not implied).

export function renderTopologyHtml(results: RunResults): SafeHtml {
  const { topology } = results;
  const spec = results.resolvedScenario.topology;
  const summary = spec.kind === 'pg-single-leader' && spec.kind === topology.kind ? describeSpec(spec) : html`<p>${topology.kind}.</p>`;
  const table =
    topology.nodes.length > 0
      ? htmlTable(
          ['Node', 'Role', 'Host', 'Port'],
          topology.nodes.map((node) => [node.name, node.role, node.host, String(node.port)]),
          ['left', 'left', 'left', 'right'],
        )
      : html`<p class="muted">No node was started.</p>`;
  const env = results.environment;
  const versions = `Roles as the run ended. ${env.engine ?? env.postgres ?? 'database version unknown'} · Node.js ${env.node} · ${env.cpus} CPUs · ${env.platform}`;
  return html`<section id="topology"><h2>Topology</h2>${summary}${table}<p class="muted">${versions}</p></section>`;
}

// Only single-leader specs describe replication; other kinds (pg-partitioned) render their own section.
type SingleLeaderSpec = Extract<TopologySpec, { kind: 'pg-single-leader' }>;

function describeSpec(spec: SingleLeaderSpec): SafeHtml {
  const replicas = `${spec.replicas} ${spec.replicas === 1 ? 'replica' : 'replicas'}`;
  const settings = Object.entries(spec.settings);
  const settingsLine =
    settings.length > 0 ? html`<p>Settings: ${settings.map(([key, value], i) => html`${i > 0 ? ', ' : ''}<code>${key} = ${String(value)}</code>`)}.</p>` : '';
  return html`<p>${spec.kind}: ${replicas}, ${describeReplication(spec)}.</p>${settingsLine}`;
}

