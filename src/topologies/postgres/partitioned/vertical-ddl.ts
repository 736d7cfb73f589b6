import { partitionName, quoteIdent, quoteLiteral, type TableShape } from './partition-ddl.ts';

// Vertical partitioning (seed 001's SHIPMENT_DETAILS and CUSTOMER_DETAILS): one table's column
// groups on different shards, the primary key in every group. On the coordinator the table
// becomes a view joining one postgres_fdw foreign table per group, and INSTEAD OF triggers send
// each written row's columns to the group that holds them, so the workload's SQL is unchanged.
// Pure functions over the table's shape, unit-tested without a server.

export interface VerticalGroup {
  /** The shard holding this group; also its foreign server's name on the coordinator. */
  readonly node: string;
  /** The group's columns in the table's order, primary key included. */
  readonly columns: readonly string[];
}

export interface VerticalLayout {
  readonly table: string;
  readonly key: readonly string[];
  readonly groups: readonly VerticalGroup[];
}

/** The primary key's columns, from its constraint definition ("PRIMARY KEY (a, b)"). */
export function primaryKeyOf(shape: TableShape): string[] {
  const def = shape.keys.find((k) => k.def.startsWith('PRIMARY KEY'))?.def;
  const list = def && /^PRIMARY KEY \((.+)\)/.exec(def)?.[1];
  if (!list) throw new Error(`vertical.${shape.table}: ${shape.table} has no primary key to join its column groups on`);
  return list.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

/** Each node's group in table order, the key added to every group. */
export function verticalLayout(shape: TableShape, groups: Readonly<Record<string, readonly string[]>>): VerticalLayout {
  const key = primaryKeyOf(shape);
  const names = shape.columns.map((c) => c.name);
  for (const [node, columns] of Object.entries(groups)) {
    const unknown = columns.filter((c) => !names.includes(c));
    if (unknown.length > 0) throw new Error(`vertical.${shape.table}.${node}: ${shape.table} has no column ${unknown.join(', ')}`);
  }
  return {
    table: shape.table,
    key,
    groups: Object.entries(groups).map(([node, columns]) => ({ node, columns: names.filter((n) => key.includes(n) || columns.includes(n)) })),
  };
}

/** A word of `text` that names a column outside `kept`: the constraint or index cannot come along. */
function mentionsOnly(text: string, kept: readonly string[], all: readonly string[]): boolean {
  return all.filter((c) => !kept.includes(c)).every((c) => !new RegExp(`\\b${c}\\b`).test(text));
}

/** The shape of one group's real table on its shard: its columns and what constrains only them. */
export function groupShape(shape: TableShape, group: VerticalGroup): TableShape {
  const all = shape.columns.map((c) => c.name);
  const only = (text: string) => mentionsOnly(text, group.columns, all);
  return {
    ...shape,
    columns: shape.columns.filter((c) => group.columns.includes(c.name)),
    keys: shape.keys.filter((k) => only(k.def)),
    checks: shape.checks.filter((c) => only(c.def)),
    indexes: shape.indexes.filter((def) => only(def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+/, ''))),
  };
}

/** The coordinator's foreign table for one group, reading the shard's table of the same name. */
export function groupForeignTableDdl(shape: TableShape, group: VerticalGroup): string {
  const columns = shape.columns.filter((c) => group.columns.includes(c.name)).map((c) => `${quoteIdent(c.name)} ${c.type}`);
  return (
    `CREATE FOREIGN TABLE ${quoteIdent(partitionName(shape.table, group.node))} (${columns.join(', ')}) ` +
    `SERVER ${quoteIdent(group.node)} OPTIONS (schema_name 'public', table_name ${quoteLiteral(shape.table)})`
  );
}

const alias = (i: number) => `g${i + 1}`;

/**
 * The view with the table's name and columns in their order, an inner join on the key: a row is
 * visible only when every group holds its part (the report counts each group's rows apart, so
 * a part left alone shows there). The table's defaults move onto the view, where INSERT uses them.
 */
export function verticalViewDdl(shape: TableShape, layout: VerticalLayout): string[] {
  const source = (column: string) => alias(Math.max(0, layout.groups.findIndex((g) => !layout.key.includes(column) && g.columns.includes(column))));
  const select = shape.columns.map((c) => `${source(c.name)}.${quoteIdent(c.name)}`).join(', ');
  const from = layout.groups
    .map((g, i) => {
      const table = `${quoteIdent(partitionName(shape.table, g.node))} ${alias(i)}`;
      if (i === 0) return table;
      return `JOIN ${table} ON ${layout.key.map((k) => `${alias(i)}.${quoteIdent(k)} = g1.${quoteIdent(k)}`).join(' AND ')}`;
    })
    .join(' ');
  const view = `CREATE VIEW ${quoteIdent(shape.table)} AS SELECT ${select} FROM ${from}`;
  const defaults = shape.columns
    .filter((c) => c.default !== null)
    .map((c) => `ALTER VIEW ${quoteIdent(shape.table)} ALTER COLUMN ${quoteIdent(c.name)} SET DEFAULT ${c.default}`);
  return [view, ...defaults];
}

export const triggerFunctionName = (table: string): string => `faultline_vertical_${table}`;

function groupStatements(shape: TableShape, layout: VerticalLayout, group: VerticalGroup): { insert: string; update: string; del: string } {
  const foreign = quoteIdent(partitionName(shape.table, group.node));
  const cols = group.columns.map(quoteIdent);
  const byOldKey = layout.key.map((k) => `${quoteIdent(k)} = OLD.${quoteIdent(k)}`).join(' AND ');
  const row = (prefix: string) => `ROW(${cols.map((c) => `${prefix}.${c}`).join(', ')})`;
  return {
    insert: `INSERT INTO ${foreign} (${cols.join(', ')}) VALUES (${cols.map((c) => `NEW.${c}`).join(', ')});`,
    // Only groups whose columns changed are written: an update of one group touches one node.
    update:
      `IF ${row('NEW')} IS DISTINCT FROM ${row('OLD')} THEN ` +
      `UPDATE ${foreign} SET ${cols.map((c) => `${c} = NEW.${c}`).join(', ')} WHERE ${byOldKey}; END IF;`,
    del: `DELETE FROM ${foreign} WHERE ${byOldKey};`,
  };
}

/** The routing trigger: each column group of an inserted, updated or deleted row goes to its node. */
export function verticalTriggerDdl(shape: TableShape, layout: VerticalLayout): string[] {
  const statements = layout.groups.map((g) => groupStatements(shape, layout, g));
  const fn = quoteIdent(triggerFunctionName(shape.table));
  const body = [
    "IF TG_OP = 'INSERT' THEN",
    ...statements.map((s) => `  ${s.insert}`),
    '  RETURN NEW;',
    "ELSIF TG_OP = 'UPDATE' THEN",
    ...statements.map((s) => `  ${s.update}`),
    '  RETURN NEW;',
    'END IF;',
    ...statements.map((s) => s.del),
    'RETURN OLD;',
  ].join('\n');
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $faultline$\nBEGIN\n${body}\nEND\n$faultline$`,
    `CREATE TRIGGER faultline_vertical_route INSTEAD OF INSERT OR UPDATE OR DELETE ON ${quoteIdent(shape.table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
  ];
}
