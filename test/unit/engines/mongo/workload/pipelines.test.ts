import { describe, expect, it } from 'vitest';
import { addToCartUpdate, bestRatedPipeline, customersByNamePipeline, customersByRegionPipeline, customersPerRegionPipeline } from '../../../../../src/engines/mongo/workload/pipelines.ts';

// A tiny evaluator for the aggregation expressions addToCartUpdate uses, so the test checks what
// the update does to a cart rather than how it is spelled.
type Vars = Record<string, unknown>;
function evaluate(expr: unknown, doc: Record<string, unknown>, vars: Vars = {}): unknown {
  if (typeof expr === 'string' && expr.startsWith('$$')) {
    const [name, ...path] = expr.slice(2).split('.');
    return path.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], vars[name!]);
  }
  if (typeof expr === 'string' && expr.startsWith('$')) return doc[expr.slice(1)];
  if (Array.isArray(expr)) return expr.map((e) => evaluate(e, doc, vars));
  if (expr === null || typeof expr !== 'object' || expr instanceof Date) return expr;
  const [op, arg] = Object.entries(expr)[0]!;
  const args = arg as unknown[];
  switch (op) {
    case '$ifNull':
      return evaluate(args[0], doc, vars) ?? evaluate(args[1], doc, vars);
    case '$cond':
      return evaluate(args[0], doc, vars) ? evaluate(args[1], doc, vars) : evaluate(args[2], doc, vars);
    case '$in':
      return (evaluate(args[1], doc, vars) as unknown[]).includes(evaluate(args[0], doc, vars));
    case '$eq':
      return evaluate(args[0], doc, vars) === evaluate(args[1], doc, vars);
    case '$add':
      return (args.map((a) => evaluate(a, doc, vars)) as number[]).reduce((a, b) => a + b, 0);
    case '$concatArrays':
      return (args.map((a) => evaluate(a, doc, vars)) as unknown[][]).flat();
    case '$map': {
      const { input, as, in: body } = arg as { input: unknown; as: string; in: unknown };
      return (evaluate(input, doc, vars) as unknown[]).map((item) => evaluate(body, doc, { ...vars, [as]: item }));
    }
    default:
      return Object.fromEntries(Object.entries(expr).map(([k, v]) => [k, evaluate(v, doc, vars)]));
  }
}

function apply(cart: Record<string, unknown>, pipeline: Record<string, unknown>[]): Record<string, unknown> {
  const set = pipeline[0]!.$set as Record<string, unknown>;
  return { ...cart, ...Object.fromEntries(Object.entries(set).map(([k, v]) => [k, evaluate(v, cart)])) };
}

const t0 = new Date('2025-02-01T10:00:00Z');
const t1 = new Date('2025-02-01T10:05:00Z');
const expires = new Date('2025-02-01T10:15:00Z');

describe('add-to-cart as one pipeline update', () => {
  it('creates the cart on upsert with one line', () => {
    const cart = apply({ _id: 7 }, addToCartUpdate(3, 2, t0, expires));
    expect(cart).toEqual({ _id: 7, items: [{ productId: 3, quantity: 2, addedAt: t0 }], createdAt: t0, updatedAt: t0, expiresAt: expires });
  });

  it('adds to the product’s line, leaves the others, and pushes the expiry forward', () => {
    const before = { _id: 7, items: [{ productId: 3, quantity: 2, addedAt: t0 }, { productId: 9, quantity: 1, addedAt: t0 }], createdAt: t0, updatedAt: t0, expiresAt: t0 };
    const cart = apply(before, addToCartUpdate(3, 1, t1, expires));
    expect(cart.items).toEqual([{ productId: 3, quantity: 3, addedAt: t1 }, { productId: 9, quantity: 1, addedAt: t0 }]);
    expect(cart).toMatchObject({ createdAt: t0, updatedAt: t1, expiresAt: expires });
  });

  it('appends a line for a new product', () => {
    const cart = apply({ _id: 7, items: [{ productId: 3, quantity: 2, addedAt: t0 }], createdAt: t0 }, addToCartUpdate(4, 1, t1, expires));
    expect(cart.items).toEqual([{ productId: 3, quantity: 2, addedAt: t0 }, { productId: 4, quantity: 1, addedAt: t1 }]);
  });
});

describe('aggregation pipelines', () => {
  it('ranks seed 000’s recommendations by average rating, then count, then id, and embeds name and price', () => {
    const pipeline = bestRatedPipeline({ $in: [1, 2, 3] });
    expect(pipeline[0]).toEqual({ $match: { productId: { $in: [1, 2, 3] } } });
    expect(pipeline).toContainEqual({ $sort: { averageRating: -1, ratings: -1, _id: 1 } });
    expect(pipeline).toContainEqual({ $limit: 2 });
    expect(pipeline.at(-1)).toEqual({ $project: { _id: 0, productId: '$_id', name: '$product.name', averageRating: { $round: ['$averageRating', 2] }, price: '$product.price' } });
    expect(bestRatedPipeline({ $nin: [5] }, 1)).toContainEqual({ $limit: 1 });
  });

  it('looks customers up by region and by name prefix as seed 001 did, the prefix taken literally', () => {
    expect(customersByRegionPipeline('EMEA')[0]).toEqual({ $match: { region: 'EMEA' } });
    expect(customersByNamePipeline('A.(b')[0]).toEqual({ $match: { name: { $regex: '^A\\.\\(b' } } });
    expect(customersByNamePipeline('Ann')).toContainEqual({ $sort: { name: 1, _id: 1 } });
    expect(customersPerRegionPipeline()).toEqual([{ $group: { _id: '$region', customers: { $sum: 1 } } }, { $sort: { _id: 1 } }]);
  });
});
