import { expect } from 'chai';
import fc from 'fast-check';
import { jsonEquals } from '../../lib/check/json-equals.js';
import type { Json } from '../../lib/json.js';

describe('check/json-equals', () => {
  it('is strict about types', () => {
    expect(jsonEquals(200, '200')).to.equal(false);
    expect(jsonEquals(true, 'true')).to.equal(false);
    expect(jsonEquals(null, 0)).to.equal(false);
    expect(jsonEquals([], {})).to.equal(false);
    expect(jsonEquals({ 0: 'a' }, ['a'])).to.equal(false);
  });
  it('compares deeply, object keys in any order, arrays in order', () => {
    expect(jsonEquals({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).to.equal(true);
    expect(jsonEquals([1, 2], [2, 1])).to.equal(false);
    expect(jsonEquals({ a: 1 }, { a: 1, b: undefined as unknown as Json })).to.equal(false);
    expect(jsonEquals({ a: undefined as unknown as Json }, { b: undefined as unknown as Json })).to.equal(false);
  });
  it('agrees with a structural comparison of JSON values', () => {
    const json = fc.jsonValue() as fc.Arbitrary<Json>;
    fc.assert(fc.property(json, (v) => jsonEquals(v, JSON.parse(JSON.stringify(v)) as Json)));
    fc.assert(
      fc.property(json, json, (a, b) => {
        // equal values serialise alike once object keys are sorted
        const canon = (v: unknown): string =>
          JSON.stringify(v, (_k, x: unknown) =>
            x !== null && typeof x === 'object' && !Array.isArray(x)
              ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1)))
              : x,
          );
        return jsonEquals(a, b) === (canon(a) === canon(b));
      }),
    );
  });
});
