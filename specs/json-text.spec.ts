import { expect } from 'chai';
import fc from 'fast-check';
import type { Json } from '../lib/json.js';
import { writeJson } from '../lib/json-text.js';

/** `[[...[leaf]...]]`, `levels` arrays deep. */
function nested(levels: number, leaf: Json = 'leaf'): Json {
  let v: Json = leaf;
  for (let i = 0; i < levels; i += 1) v = [v];
  return v;
}

describe('writeJson', () => {
  it('writes what JSON.stringify writes, on one line and indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, 4), (value, indent) => {
        const expected = JSON.stringify(value, null, indent === 0 ? undefined : indent);
        expect(writeJson(value as Json, { indent })).to.deep.equal({ text: expected, complete: true, tooDeep: false });
        // With a limit that is never reached, the iterative writer does the work (the native one only without limits).
        const limited = { indent, maxDepth: Number.MAX_SAFE_INTEGER, maxChars: Number.MAX_SAFE_INTEGER };
        expect(writeJson(value as Json, limited)).to.deep.equal({ text: expected, complete: true, tooDeep: false });
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out keys whose value is undefined and writes undefined in an array as null, as JSON.stringify does', () => {
    const value = { a: undefined, b: [undefined, 1], c: { d: undefined } } as unknown as Json;
    expect(writeJson(value, { indent: 2 }).text).to.equal(JSON.stringify(value, null, 2));
  });

  it('writes NaN and Infinity as null, empty containers as [] and {}', () => {
    expect(writeJson([NaN, Infinity, [], {}, { a: [] }], { indent: 2 }).text).to.equal(
      JSON.stringify([NaN, Infinity, [], {}, { a: [] }], null, 2),
    );
  });

  it('writes a value nested 100,000 levels deep, which JSON.stringify cannot', () => {
    const deep = nested(100_000);
    expect(() => JSON.stringify(deep)).to.throw(RangeError);
    const { text, complete, tooDeep } = writeJson(deep);
    expect(complete).to.equal(true);
    expect(tooDeep).to.equal(false);
    expect(text).to.equal(`${'['.repeat(100_000)}"leaf"${']'.repeat(100_000)}`);
    // among other values: the whole value is written iteratively
    const inside = { before: [1, 2], deep: nested(100_000), after: 'x' } as Json;
    expect(writeJson(inside).text).to.equal(`{"before":[1,2],"deep":${text},"after":"x"}`);
  });

  it('with maxDepth, writes deeper containers as a string saying how many levels were elided', () => {
    expect(writeJson({ a: [[1]], b: 2 }, { maxDepth: 2 }).text).to.equal('{"a":["… (1 more level of nesting, not shown)"],"b":2}');
    expect(writeJson(nested(100_000), { maxDepth: 3 }).text).to.equal('[[["… (99997 more levels of nesting, not shown)"]]]');
    // what is written parses back
    expect(JSON.parse(writeJson(nested(100_000), { maxDepth: 500, indent: 2 }).text)).to.be.an('array');
  });

  it('with maxChars, stops soon after that many characters: a prefix of the whole text, marked incomplete', () => {
    const big = { items: Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `item ${i}` })) };
    const { text, complete } = writeJson(big, { maxChars: 50 });
    expect(complete).to.equal(false);
    expect(text.length).to.be.within(51, 80);
    expect(JSON.stringify(big).startsWith(text)).to.equal(true);
    const long = writeJson('x'.repeat(1_000_000), { maxChars: 10 });
    expect(long).to.deep.equal({ text: `"${'x'.repeat(10)}`, complete: false, tooDeep: false });
    expect(writeJson('short', { maxChars: 10 })).to.deep.equal({ text: '"short"', complete: true, tooDeep: false });
  });

  it("with tooDeep: 'stop', stops at the first list or map past maxDepth, and takes one exactly that deep", () => {
    const depth = (levels: number): Json => (levels === 1 ? [] : nested(levels - 1, []));
    expect(writeJson(depth(1000), { maxDepth: 1000, tooDeep: 'stop' })).to.deep.include({ complete: true, tooDeep: false });
    expect(writeJson(depth(1001), { maxDepth: 1000, tooDeep: 'stop' })).to.deep.include({ complete: false, tooDeep: true });
    expect(writeJson('x', { maxDepth: 0, tooDeep: 'stop' })).to.deep.equal({ text: '"x"', complete: true, tooDeep: false });
    // elided instead: the rest is still written
    expect(writeJson({ a: [[1]], b: 2 }, { maxDepth: 2 })).to.deep.include({ complete: true, tooDeep: true });
  });

  it('as a JavaScript literal, keeps a "__proto__" key a key', () => {
    const v = JSON.parse('{"__proto__":{"a":1},"b":[{"__proto__":2}]}') as Json;
    const { text } = writeJson(v, { javascript: true });
    expect(text).to.equal('{["__proto__"]:{"a":1},"b":[{["__proto__"]:2}]}');
    const back = (0, eval)(`(${text})`) as object;
    expect(JSON.stringify(back)).to.equal(JSON.stringify(v));
  });
});
