import type { CheckResult } from '../../../harness/checker/checker-types.ts';
import { ExampleList, plural, roundMs } from '../../../harness/checker/checker-format.ts';
import type { HistorySource } from '../../../harness/checker/history-source.ts';
import { checkoutIds, ORDER_PAGE_LIMIT, orderHistoryRead } from '../../../harness/checker/history-values.ts';
import { OperationPairer } from '../../../harness/checker/operation-pairer.ts';

// MongoDB's session guarantees, with the client worker as the session (each worker is one
// causally consistent session when the scenario asks for causal consistency):
// - read your writes: an order-history read a worker starts after its own checkout for that
//   customer was acknowledged must list the order;
// - monotonic reads: an order a worker saw for a customer must not be missing from the
//   worker's later read of that customer.
// MongoDB promises both inside a causally consistent session (with majority read and write
// concerns); without one, a read on a lagging secondary can break either. A full page (the
// newest ORDER_PAGE_LIMIT) may hide older orders, so a miss on a full page is not judged.

interface Seen {
  readonly orderId: number;
  readonly at: number;
}

type Kind = 'read-your-writes' | 'monotonic-reads';

interface Violation {
  readonly kind: Kind;
  readonly worker: number;
  readonly customerId: number;
  readonly missingOrderIds: readonly number[];
  readonly since: number;
  readonly readId: number;
  readonly readNode: string;
  readonly readInvokedAt: number;
}

export interface SessionGuaranteeOptions {
  /** Whether the workers were causally consistent sessions (the verdict's explanation says what that promises). */
  readonly causal: boolean;
}

export async function evaluateSessionGuarantees(history: HistorySource, options: SessionGuaranteeOptions): Promise<CheckResult> {
  const pairer = new OperationPairer((f) => f === 'checkout' || f === 'order-history');
  const written = new Map<string, Seen[]>();
  const seen = new Map<string, Map<number, number>>();
  const counts: Record<string, number> = { sessions: 0, readsChecked: 0, 'read-your-writes': 0, 'monotonic-reads': 0, unjudgeable: 0 };
  const examples = new ExampleList<Violation>();
  const workers = new Set<number>();

  for await (const event of history) {
    const op = pairer.accept(event);
    if (op === undefined || op.type !== 'ok') continue;
    workers.add(op.worker);
    if (op.f === 'checkout') {
      const ids = checkoutIds(op.value) ?? checkoutIds(op.args);
      if (!ids) continue;
      const key = `${op.worker}:${ids.customerId}`;
      written.set(key, [...(written.get(key) ?? []), { orderId: ids.orderId, at: op.time }]);
      continue;
    }
    const read = orderHistoryRead(op.value);
    if (!read) continue;
    const key = `${op.worker}:${read.customerId}`;
    const listed = new Set(read.orderIds);
    const fullPage = read.orderIds.length >= ORDER_PAGE_LIMIT;
    const earlier = seen.get(key) ?? new Map<number, number>();
    const due: [Kind, Seen[]][] = [
      ['read-your-writes', (written.get(key) ?? []).filter((w) => w.at < op.invokeTime)],
      ['monotonic-reads', [...earlier].filter(([, at]) => at < op.invokeTime).map(([orderId, at]) => ({ orderId, at }))],
    ];
    if (due.some(([, list]) => list.length > 0)) counts.readsChecked!++;
    for (const [kind, list] of due) {
      const missing = list.filter((w) => !listed.has(w.orderId));
      if (missing.length === 0) continue;
      if (fullPage) {
        counts.unjudgeable!++;
        continue;
      }
      counts[kind]!++;
      examples.offer({
        kind,
        worker: op.worker,
        customerId: read.customerId,
        missingOrderIds: missing.map((w) => w.orderId),
        since: roundMs(Math.max(...missing.map((w) => w.at))),
        readId: op.id,
        readNode: op.node,
        readInvokedAt: roundMs(op.invokeTime),
      });
    }
    for (const id of read.orderIds) if (!earlier.has(id)) earlier.set(id, op.time);
    seen.set(key, earlier);
  }
  counts.sessions = workers.size;
  const violations = counts['read-your-writes']! + counts['monotonic-reads']!;
  const session = options.causal ? 'causally consistent session' : 'session (without causal consistency)';
  if (counts.readsChecked === 0) {
    return {
      verdict: 'unknown',
      counts,
      examples: [],
      explanation: `No worker read a customer's orders after writing or reading that customer's orders itself, so no ${session} guarantee was put to the test (a small customer count or hotspot keys make it happen).`,
    };
  }
  if (violations === 0) {
    return {
      verdict: 'valid',
      counts,
      examples: [],
      explanation: `In ${plural(counts.readsChecked!, 'read')} judged, every worker (each a ${session}) saw its own acknowledged orders and never lost an order it had seen before.`,
    };
  }
  const promise = options.causal
    ? 'A causally consistent session promises both, so this breaks MongoDB\'s guarantee (unless the read or write concern was weaker than majority, where MongoDB promises nothing across a failover).'
    : 'Without causal consistency MongoDB does not promise either: a read served by a secondary sees only what it has applied so far.';
  return {
    verdict: 'invalid',
    counts,
    examples: examples.items,
    explanation:
      `${counts['read-your-writes']} read-your-writes and ${counts['monotonic-reads']} monotonic-reads violations in ${plural(counts.readsChecked!, 'read')} judged, ` +
      `with each worker as one ${session}. ${promise}`,
  };
}
