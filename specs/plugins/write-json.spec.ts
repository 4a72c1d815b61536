import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../lib/json.js';
import { TooDeepError, writeJson } from '../../lib/plugins/write-json.js';

function nested(depth: number): Json {
  let v: Json = [];
  for (let i = 1; i < depth; i += 1) v = [v];
  return v;
}

describe('plugins/write-json', () => {
  it('writes what JSON.stringify writes (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(writeJson(v as Json)).to.deep.equal(E.right(JSON.stringify(v)));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a value nested 100,000 levels deep without recursion', () => {
    const r = writeJson(nested(100_000));
    expect(E.isRight(r) && r.right.length).to.equal(200_000);
  });

  it('refuses a value deeper than maxDepth, and takes one exactly that deep', () => {
    expect(writeJson(nested(1000), { maxDepth: 1000 })._tag).to.equal('Right');
    const r = writeJson(nested(1001), { maxDepth: 1000 });
    expect(E.isLeft(r) && r.left).to.be.instanceOf(TooDeepError);
    expect(E.isLeft(r) && r.left.message).to.equal('the value nests lists and maps more than 1000 levels deep');
    expect(writeJson('x', { maxDepth: 0 })).to.deep.equal(E.right('"x"'));
  });

  it('as a JavaScript literal, keeps a "__proto__" key a key', () => {
    const v = JSON.parse('{"__proto__":{"a":1},"b":[{"__proto__":2}]}') as Json;
    const r = writeJson(v, { javascript: true });
    expect(r).to.deep.equal(E.right('{["__proto__"]:{"a":1},"b":[{["__proto__"]:2}]}'));
    const back = (0, eval)(`(${E.isRight(r) ? r.right : ''})`) as object;
    expect(JSON.stringify(back)).to.equal(JSON.stringify(v));
  });
});
