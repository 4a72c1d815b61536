import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { parseJqPath, queryJqSteps, type JqStep } from '../../lib/extract/jq-path.js';
import type { Json } from '../../lib/json.js';

/** Parses then queries: the steps of `path` followed in `doc`. */
function query(path: string, doc: Json): O.Option<Json> {
  const steps = parseJqPath(path);
  if (E.isLeft(steps)) throw new Error(steps.left);
  return queryJqSteps(steps.right, doc);
}

describe('extract/jq-path', () => {
  it('parses . as no steps', () => expect(parseJqPath('.')).to.deep.equal(E.right([])));

  it('parses names, indexes and quoted keys', () => {
    expect(parseJqPath('.items[0].id')).to.deep.equal(
      E.right([
        { _tag: 'Key', key: 'items' },
        { _tag: 'Index', index: 0 },
        { _tag: 'Key', key: 'id' },
      ]),
    );
    expect(parseJqPath('.["key.with.dots"][-1]')).to.deep.equal(
      E.right([
        { _tag: 'Key', key: 'key.with.dots' },
        { _tag: 'Index', index: -1 },
      ]),
    );
  });

  it('keeps a quoted key that looks like a number a key', () => {
    expect(parseJqPath('.["0"]')).to.deep.equal(E.right([{ _tag: 'Key', key: '0' }]));
  });

  it('rejects with the column of the problem', () => {
    expect(parseJqPath('status')).to.deep.equal(E.left('a jq-style path starts with "."'));
    expect(parseJqPath('.a..b')).to.deep.equal(E.left('at column 4: expected a name or "[" after ".", found "."'));
    expect(parseJqPath('.a[01]')).to.deep.equal(E.left('at column 5: expected "]", found "1"'));
    expect(parseJqPath('.a[99999999999999999999]')).to.deep.equal(E.left('at column 4: index 99999999999999999999 is too large'));
    expect(parseJqPath('.["\\x"]')).to.deep.equal(E.left('at column 3: invalid string "\\x"'));
  });

  describe('queryJqSteps', () => {
    const doc: Json = { items: [{ id: 'a' }, { id: 'b' }], n: null, zero: 0, 'x.y': 1 };

    it('follows no steps to the document itself, whatever it is', () => {
      expect(queryJqSteps([], doc)).to.deep.equal(O.some(doc));
      expect(queryJqSteps([], null)).to.deep.equal(O.some(null));
    });

    it('follows keys and indexes, negative ones from the end', () => {
      expect(query('.items[1].id', doc)).to.deep.equal(O.some('b'));
      expect(query('.items[-1].id', doc)).to.deep.equal(O.some('b'));
      expect(query('.items[-2].id', doc)).to.deep.equal(O.some('a'));
      expect(query('.["x.y"]', doc)).to.deep.equal(O.some(1));
    });

    it('finds null and 0 as values', () => {
      expect(query('.n', doc)).to.deep.equal(O.some(null));
      expect(query('.zero', doc)).to.deep.equal(O.some(0));
    });

    it('is None past the end, below a scalar or null, and for an index into an object', () => {
      expect(query('.items[2]', doc)).to.deep.equal(O.none);
      expect(query('.items[-3]', doc)).to.deep.equal(O.none);
      expect(query('.n.x', doc)).to.deep.equal(O.none);
      expect(query('.zero[0]', doc)).to.deep.equal(O.none);
      expect(query('.[0]', { '0': 1 })).to.deep.equal(O.none);
    });

    it('reads a whole-number key of an array as its index, as JSONPath does; other keys of an array are nothing', () => {
      expect(query('.items["1"].id', doc)).to.deep.equal(O.some('b'));
      expect(query('.items["01"]', doc)).to.deep.equal(O.none);
      expect(query('.items["-1"]', doc)).to.deep.equal(O.none);
      expect(query('.items.length', doc)).to.deep.equal(O.none);
    });

    it('reaches own data only: inherited members are not keys', () => {
      expect(query('.toString', doc)).to.deep.equal(O.none);
      expect(query('.["__proto__"]', doc)).to.deep.equal(O.none);
      expect(query('.constructor', { constructor: 1 })).to.deep.equal(O.some(1));
    });

    it('walks a path of any length without recursion', () => {
      let deep: Json = 'bottom';
      const steps: JqStep[] = [];
      for (let i = 0; i < 100_000; i += 1) {
        deep = [deep];
        steps.push({ _tag: 'Index', index: 0 });
      }
      expect(queryJqSteps(steps, deep)).to.deep.equal(O.some('bottom'));
    });
  });
});
