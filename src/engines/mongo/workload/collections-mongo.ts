import type { Db, IndexDescription } from 'mongodb';
import type { CollectionName } from './documents.ts';

// Indexes per collection: what each operation's query needs, as the SQL dialect's indexes do.
// No $jsonSchema validators: as with the SQL dialect's missing CHECK on stock, a topology that
// can oversell must be allowed to, so the invariants checker can see it.

export const HEARTBEAT_COLLECTION = 'faultlineHeartbeat';

export const INDEXES: Readonly<Partial<Record<CollectionName, readonly IndexDescription[]>>> = {
  products: [
    { key: { categoryId: 1, price: 1, _id: 1 }, name: 'category_price' },
    { key: { price: 1, _id: 1 }, name: 'price' },
  ],
  customers: [
    // Seed 001's lookups by region and by name.
    { key: { region: 1, name: 1 }, name: 'region_name' },
    { key: { name: 1 }, name: 'name' },
  ],
  carts: [
    { key: { updatedAt: 1 }, name: 'updated_at' },
    // TTL: the server removes a cart once expiresAt has passed (its monitor runs every few seconds).
    { key: { expiresAt: 1 }, name: 'expires_at_ttl', expireAfterSeconds: 0 },
  ],
  ratings: [{ key: { productId: 1 }, name: 'product' }],
  orders: [{ key: { customerId: 1, createdAt: -1, _id: -1 }, name: 'customer_created' }],
};

/** Creates every collection and its indexes (collections first: transactions cannot create them). */
export async function createSchemaMongo(db: Db, collections: readonly CollectionName[]): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of [...collections, HEARTBEAT_COLLECTION]) {
    if (!existing.has(name)) await db.createCollection(name);
  }
  for (const [name, indexes] of Object.entries(INDEXES)) {
    if (indexes && indexes.length > 0) await db.collection(name).createIndexes([...indexes]);
  }
}
