import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { statementName } from '../../../../src/harness/workload/statements/statement-name.ts';
import { inlineValues, runStatement, statement } from '../../../../src/harness/workload/statements/statement-protocol.ts';

// No server: escapeLiteral is pure, and query() is replaced to see what would be sent.
const client = new pg.Client();

describe('statement names', () => {
  it('keeps names PostgreSQL takes whole (up to 63 bytes)', () => {
    expect(statementName('faultline.view-product')).toBe('faultline.view-product');
    expect(statementName('x'.repeat(63))).toBe('x'.repeat(63));
  });

  it('hashes longer names: unique, stable, readable head, at most 63 bytes', () => {
    const a = `faultline.2pc.insert.order_items.${'order_id.line.product_id.warehouse_id.quantity'}.unit_price`;
    const b = `faultline.2pc.insert.order_items.${'order_id.line.product_id.warehouse_id.quantity'}.unit_price_x`;
    // Same first 63 bytes: PostgreSQL would take them for one statement.
    expect(a.slice(0, 63)).toBe(b.slice(0, 63));
    const [ha, hb] = [statementName(a), statementName(b)];
    expect(ha).not.toBe(hb);
    expect(statementName(a)).toBe(ha);
    expect(Buffer.byteLength(ha)).toBeLessThanOrEqual(63);
    expect(ha.startsWith('faultline.2pc.insert.order_items.')).toBe(true);
    expect(Buffer.byteLength(statementName(`é${'ü'.repeat(40)}`))).toBeLessThanOrEqual(63);
  });
});

describe('simple protocol text', () => {
  it('writes each value as the literal of the text node-postgres would send as its parameter', () => {
    const text = inlineValues(client, 'SELECT $1, $2::bigint[], $3, $4, $10', [42, [1, 2, 3], "O'Brien \\ x", null, 1.5, 0, 0, 0, 0, true]);
    expect(text).toBe(`SELECT '42', '{"1","2","3"}'::bigint[],  E'O''Brien \\\\ x', NULL, 'true'`);
  });

  it('refuses a placeholder without a value', () => {
    expect(() => inlineValues(client, 'SELECT $2', [1])).toThrow(/\$2/);
  });

  it('sends one Query message without parameters for simple, a named statement for prepared', async () => {
    const sent: unknown[] = [];
    const fake = { escapeLiteral: (s: string) => client.escapeLiteral(s), query: async (q: unknown) => (sent.push(q), { rows: [] }) } as unknown as pg.ClientBase;
    const s = statement('faultline.view-product', 'SELECT * FROM products WHERE id = $1');
    await runStatement(fake, 'simple', s, [7]);
    await runStatement(fake, 'prepared', s, [7]);
    expect(sent).toEqual(["SELECT * FROM products WHERE id = '7'", { name: 'faultline.view-product', text: 'SELECT * FROM products WHERE id = $1', values: [7] }]);
  });
});
