import type pg from 'pg';
import { ECOMMERCE_TABLES, type EcommerceTable, SCHEMA_PG } from '../../data-model/ecommerce-schema-pg.ts';

// Creates the e-commerce schema (its tables and DDL are data in harness/data-model, where the
// scenario schema reads them to check partitioning and vertical splits).

export { ECOMMERCE_TABLES, type EcommerceTable, SCHEMA_PG };

export async function createSchemaPg(client: pg.ClientBase): Promise<void> {
  // One simple-protocol round trip, and all-or-nothing: a multi-statement query is one transaction.
  await client.query(SCHEMA_PG);
}
