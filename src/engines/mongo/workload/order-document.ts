import type { CheckoutArgs } from '../../../harness/workload/ecommerce/op-args.ts';
import { parseCents } from '../../../harness/workload/ecommerce/seeded-facts.ts';
import { money, type OrderDoc } from './documents.ts';

export interface Buyer {
  readonly region: string;
  readonly address: string;
}

/**
 * The order a checkout writes, with its items, payment and shipment embedded: one document, so
 * a checkout that commits writes them all or none. Prices come from the products as read inside
 * the transaction; the payment is the order's total by construction.
 */
export function orderDocument(args: CheckoutArgs, buyer: Buyer, priceCents: ReadonlyMap<number, number>, now: Date): { doc: OrderDoc; totalCents: number } {
  const items = args.items.map((item, index) => {
    const cents = priceCents.get(item.productId);
    if (cents === undefined) throw new Error(`product ${item.productId} has no price`);
    return { line: index + 1, productId: item.productId, warehouseId: args.warehouseId, quantity: item.quantity, cents };
  });
  const totalCents = items.reduce((sum, item) => sum + item.cents * item.quantity, 0);
  return {
    totalCents,
    doc: {
      _id: args.orderId,
      customerId: args.customerId,
      region: buyer.region,
      status: 'placed',
      total: money(totalCents),
      createdAt: now,
      historical: false,
      items: items.map(({ cents, ...item }) => ({ ...item, unitPrice: money(cents) })),
      payment: { amount: money(totalCents), method: args.paymentMethod, status: 'captured', createdAt: now },
      shipment: { carrier: args.carrier, address: buyer.address, status: 'pending', createdAt: now },
    },
  };
}

/** Cents of a Decimal128 (or its string form) without float rounding. */
export function centsOf(value: { toString(): string }): number {
  return parseCents(value.toString());
}
