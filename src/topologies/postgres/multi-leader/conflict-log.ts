import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CONFLICT_KINDS, type ConflictCounts, type ConflictExample, type ConflictKind, type ConflictReport } from '../../../harness/results/multi-leader-results.ts';

export { CONFLICT_KINDS, type ConflictCounts, type ConflictExample, type ConflictKind, type ConflictReport };

// pglogical 2 resolves conflicts silently as far as SQL can tell: the only record is a line in the
// applying node's server log (pglogical_conflict.c, pglogical_report_conflict), one of
//   CONFLICT: remote INSERT on relation public.t (local index t_pkey). Resolution: keep_local.
//   CONFLICT: remote UPDATE on relation public.t (local index t_pkey). Resolution: apply_remote.
//   CONFLICT: remote UPDATE on relation public.t replica identity index t_pkey (tuple not found). Resolution: skip.
//   CONFLICT: remote DELETE on relation public.t replica identity index t_pkey (tuple not found). Resolution: skip.
// each followed by a DETAIL line with both tuples. Kinds use pglogical's own names for them.

const CONFLICT = /CONFLICT: remote (INSERT|UPDATE|DELETE) on relation (\S+) (\(local index [^)]*\)|replica identity index .*\(tuple not found\))\. Resolution: ([a-z_]+)\./;
const DETAIL = /DETAIL:\s+(.*)$/;
const MAX_EXAMPLES = 5;

export function emptyCounts(): ConflictCounts {
  return { total: 0, byKind: { insert_insert: 0, update_update: 0, update_delete: 0, delete_delete: 0 }, byRelation: {}, byResolution: {} };
}

export function emptyReport(): ConflictReport {
  return { ...emptyCounts(), byNode: {}, examples: [] };
}

function kindOf(operation: string, found: boolean): ConflictKind {
  if (operation === 'INSERT') return 'insert_insert';
  if (operation === 'DELETE') return 'delete_delete';
  return found ? 'update_update' : 'update_delete';
}

function relationName(qualified: string): string {
  const unquoted = qualified.replaceAll('"', '');
  return unquoted.startsWith('public.') ? unquoted.slice('public.'.length) : unquoted;
}

function add(counts: ConflictCounts, kind: ConflictKind, relation: string, resolution: string): void {
  counts.total++;
  counts.byKind[kind]++;
  counts.byRelation[relation] = (counts.byRelation[relation] ?? 0) + 1;
  counts.byResolution[resolution] = (counts.byResolution[resolution] ?? 0) + 1;
}

/** Adds one node's log lines to `report`; lines are read one at a time, so memory stays flat. */
export async function countConflicts(node: string, lines: AsyncIterable<string> | Iterable<string>, report: ConflictReport): Promise<void> {
  const mine = (report.byNode[node] ??= emptyCounts());
  let pending: { kind: ConflictKind; relation: string; resolution: string } | undefined;
  const flush = (detail?: string) => {
    if (pending && report.examples.length < MAX_EXAMPLES) {
      report.examples.push({ node, ...pending, ...(detail === undefined ? {} : { detail }) });
    }
    pending = undefined;
  };
  for await (const line of lines) {
    const match = CONFLICT.exec(line);
    if (match) {
      flush();
      const kind = kindOf(match[1]!, match[3]!.startsWith('(local index'));
      const relation = relationName(match[2]!);
      add(report, kind, relation, match[4]!);
      add(mine, kind, relation, match[4]!);
      pending = { kind, relation, resolution: match[4]! };
      continue;
    }
    const detail = pending ? DETAIL.exec(line) : null;
    flush(detail?.[1]);
  }
  flush();
}

/** Counts the conflicts in each leader's server log; a log that cannot be read counts nothing. */
export async function readConflictLogs(logs: readonly { node: string; path: string }[]): Promise<ConflictReport> {
  const report = emptyReport();
  for (const { node, path } of logs) {
    const stream = createReadStream(path, { encoding: 'utf8' });
    try {
      await countConflicts(node, createInterface({ input: stream, crlfDelay: Infinity }), report);
    } catch {
      report.byNode[node] ??= emptyCounts();
    } finally {
      stream.destroy();
    }
  }
  return report;
}
