// The e-commerce schema, PostgreSQL dialect, drawn from the five seed projects.
//
// Deliberately absent:
// - foreign keys: later topologies split tables into postgres_fdw foreign partitions, which
//   cannot enforce them; the invariants checker verifies referential integrity instead.
// - CHECK (on_hand >= 0) on inventory: a multi-leader topology can oversell, and the checker
//   must be able to see it. The guarantee comes from checkout's conditional UPDATE.
//
// inventory and carts are updated in place all the time; fillfactor leaves room on each page so
// those updates stay HOT (no index churn, less bloat under a long run).

export const ECOMMERCE_TABLES = [
  'categories',
  'products',
  'warehouses',
  'inventory',
  'customers',
  'carts',
  'cart_items',
  'ratings',
  'orders',
  'order_items',
  'payments',
  'shipments',
] as const;
export type EcommerceTable = (typeof ECOMMERCE_TABLES)[number];

export const SCHEMA_PG = `
CREATE TABLE categories (
  id integer PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE products (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  category_id integer NOT NULL,
  price numeric(10,2) NOT NULL CHECK (price BETWEEN 10 AND 500),
  description text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_category_price ON products (category_id, price, id);
-- browse-price: a price band in price order without sorting the band.
CREATE INDEX products_price ON products (price, id);

CREATE TABLE warehouses (
  id integer PRIMARY KEY,
  region text NOT NULL,
  name text NOT NULL
);

CREATE TABLE inventory (
  product_id bigint NOT NULL,
  warehouse_id integer NOT NULL,
  on_hand integer NOT NULL,
  initial_on_hand integer NOT NULL,
  restocked_total integer NOT NULL DEFAULT 0,
  PRIMARY KEY (product_id, warehouse_id)
) WITH (fillfactor = 70);

CREATE TABLE customers (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  address text NOT NULL,
  region text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Seed 000 embeds each customer's top-2 recommendations in the customer document.
  recommended_products bigint[] NOT NULL DEFAULT '{}'
);

-- One open cart per customer, so the cart is keyed by its customer.
CREATE TABLE carts (
  customer_id bigint PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 70);
CREATE INDEX carts_updated_at ON carts (updated_at);

CREATE TABLE cart_items (
  customer_id bigint NOT NULL,
  product_id bigint NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, product_id)
);

CREATE TABLE ratings (
  customer_id bigint NOT NULL,
  product_id bigint NOT NULL,
  stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, product_id)
);
CREATE INDEX ratings_product ON ratings (product_id);

-- Order ids are supplied by the client (deterministic per worker), never by a sequence, so
-- they stay unique across leaders and partitions.
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  region text NOT NULL,
  status text NOT NULL,
  total numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  historical boolean NOT NULL DEFAULT false
);
CREATE INDEX orders_customer_created ON orders (customer_id, created_at, id);

CREATE TABLE order_items (
  order_id bigint NOT NULL,
  line integer NOT NULL,
  product_id bigint NOT NULL,
  warehouse_id integer NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price numeric(10,2) NOT NULL,
  PRIMARY KEY (order_id, line)
);

CREATE TABLE payments (
  order_id bigint PRIMARY KEY,
  amount numeric(12,2) NOT NULL,
  method text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shipments (
  order_id bigint PRIMARY KEY,
  carrier text NOT NULL,
  address text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;
