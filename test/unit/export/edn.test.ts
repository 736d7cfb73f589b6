import { describe, expect, it } from 'vitest';
import { ednMap, kw, toEdn } from '../../../src/harness/export/edn.ts';

describe('toEdn', () => {
  it('writes keywords, integers, strings, nil and nested vectors as Clojure reads them', () => {
    expect(toEdn([[kw('append'), 17, 2501]])).toBe('[[:append 17 2501]]');
    expect(toEdn([[kw('r'), 17, null]])).toBe('[[:r 17 nil]]');
    expect(toEdn([[kw('r'), 17, []]])).toBe('[[:r 17 []]]');
    expect(toEdn('pg:40001 "x"')).toBe('"pg:40001 \\"x\\""');
  });

  it('refuses a number that is not an integer: Elle keys and elements are integers', () => {
    expect(() => toEdn(1.5)).toThrow(/not an integer/);
    expect(() => toEdn(Number.NaN)).toThrow(/not an integer/);
  });

  it('writes maps in the order given, leaving out undefined entries', () => {
    expect(ednMap({ type: kw('ok'), f: kw('txn'), time: 5, error: undefined, node: 'primary' })).toBe(
      '{:type :ok, :f :txn, :time 5, :node "primary"}',
    );
  });
});
