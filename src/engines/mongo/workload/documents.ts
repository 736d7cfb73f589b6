import { Decimal128 } from 'mongodb';
import { formatCents } from '../../../harness/workload/ecommerce/seeded-facts.ts';

// The e-commerce documents, in the seeds' shapes: orders embed their items, payment and
// shipment (seed 003 denormalises them; seed 001 keeps them apart in SQL); customers embed their
// top-2 recommended products (seed 000's Recommended_Products); carts are one document per
// customer that expires; daily inventory levels are buckets (seed 000's Daily_Inventory_Level).
// Money is Decimal128, exact as numeric(…, 2) is in the PostgreSQL dialect.

export const COLLECTIONS = ['categories', 'products', 'warehouses', 'inventory', 'dailyInventory', 'customers', 'carts', 'ratings', 'orders'] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export function money(cents: number): Decimal128 {
  return Decimal128.fromString(formatCents(cents));
}

export interface ProductDoc {
  _id: number;
  name: string;
  categoryId: number;
  price: Decimal128;
  description: string;
  createdAt: Date;
}

export interface InventoryDoc {
  _id: { productId: number; warehouseId: number };
  onHand: number;
  initialOnHand: number;
  restockedTotal: number;
}

/** One bucket per product, warehouse and UTC day: many stock movements, one document. */
export interface DailyInventoryDoc {
  _id: { productId: number; warehouseId: number; day: string };
  unitsSold: number;
  unitsRestocked: number;
  movements: number;
}

export interface RecommendedProduct {
  productId: number;
  name: string;
  averageRating: number;
  price: Decimal128;
}

export interface CustomerDoc {
  _id: number;
  name: string;
  email: string;
  address: string;
  region: string;
  createdAt: Date;
  recommendedProducts: RecommendedProduct[];
}

export interface CartDoc {
  _id: number;
  items: { productId: number; quantity: number; addedAt: Date }[];
  createdAt: Date;
  updatedAt: Date;
  /** The TTL index removes the cart at this instant (updatedAt + the scenario's cartExpiry). */
  expiresAt: Date;
}

export interface RatingDoc {
  _id: { customerId: number; productId: number };
  customerId: number;
  productId: number;
  stars: number;
  createdAt: Date;
}

export interface OrderItem {
  line: number;
  productId: number;
  warehouseId: number;
  quantity: number;
  unitPrice: Decimal128;
}

export interface OrderDoc {
  _id: number;
  customerId: number;
  region: string;
  status: string;
  total: Decimal128;
  createdAt: Date;
  historical: boolean;
  items: OrderItem[];
  payment: { amount: Decimal128; method: string; status: string; createdAt: Date };
  shipment: { carrier: string; address: string; status: string; createdAt: Date };
}

/** The UTC day of an instant, as bucket keys spell it. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}
