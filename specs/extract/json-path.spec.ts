import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../lib/json.js';
import jsonpath from 'jsonpath';
import { compileJsonPath, MAX_CACHED_PATHS, type JsonPathQuery, type Lookup } from '../../lib/extract/json-path.js';

function compile(expr: string): JsonPathQuery {
  const r = compileJsonPath(expr);
  if (E.isLeft(r)) throw new Error(`expected ${expr} to compile: ${r.left}`);
  return r.right;
}

function q(expr: string, doc: Json): Lookup {
  return compile(expr).query(doc);
}

function rejection(expr: string): string {
  const r = compileJsonPath(expr);
  if (E.isRight(r)) throw new Error(`expected ${expr} to be rejected`);
  return r.left;
}

const found = (value: Json): Lookup => ({ _tag: 'Found', value });
const missing: Lookup = { _tag: 'Missing' };

describe('extract/json-path', () => {
  const doc: Json = {
    status: 'completed',
    deployment: { status: 'success' },
    items: [{ id: 'a1' }, { id: 'a2' }],
    headers: { 'X-Custom': 'test-value' },
    'key.with.dots': 42,
    errors: null,
    flag: false,
    zero: 0,
    price: 19.99,
    nested: { x: 1, deeper: { x: 2 } },
  };

  describe('jq-style paths', () => {
    it('reads a top-level key', () => expect(q('.status', doc)).to.deep.equal(found('completed')));
    it('reads nested keys', () => expect(q('.deployment.status', doc)).to.deep.equal(found('success')));
    it('indexes arrays', () => expect(q('.items[0].id', doc)).to.deep.equal(found('a1')));
    it('indexes the root array with .[0]', () => expect(q('.[0].id', [{ id: 7 }, { id: 8 }])).to.deep.equal(found(7)));
    it('accepts .a.[0] like jq 1.7', () => expect(q('.items.[1].id', doc)).to.deep.equal(found('a2')));
    it('reads bracketed keys with dashes', () => expect(q('.headers["X-Custom"]', doc)).to.deep.equal(found('test-value')));
    it('reads a key containing dots', () => expect(q('.["key.with.dots"]', doc)).to.deep.equal(found(42)));
    it('decodes JSON escapes in bracketed keys', () => {
      expect(q('.["a\\"b"]', { 'a"b': 1 })).to.deep.equal(found(1));
      expect(q('.["\\u00e9"]', { é: 2 })).to.deep.equal(found(2));
    });
    it('treats . as the whole document, whatever its type', () => {
      expect(q('.', doc)).to.deep.equal(found(doc));
      expect(q('.', 'Hello, World!')).to.deep.equal(found('Hello, World!'));
      expect(q('.', 3)).to.deep.equal(found(3));
      expect(q('.', null)).to.deep.equal(found(null));
    });
    it('counts negative indexes from the end', () => {
      expect(q('.items[-1].id', doc)).to.deep.equal(found('a2'));
      expect(q('.items[-2].id', doc)).to.deep.equal(found('a1'));
      expect(q('.items[-3]', doc)).to.deep.equal(missing);
      expect(q('.[-1]', [])).to.deep.equal(missing);
    });
    it('allows spaces inside brackets and around the path', () => {
      expect(q('  .items[ 1 ].id ', doc)).to.deep.equal(found('a2'));
    });
    it('shows the JSONPath it runs as', () => {
      expect(compile('.items[0].id').jsonPath).to.equal('$.items[0].id');
      expect(compile('.headers["X-Custom"]').jsonPath).to.equal('$.headers["X-Custom"]');
      expect(compile('.').jsonPath).to.equal('$');
      expect(compile('.a | length').jsonPath).to.equal('$.a | length');
      expect(compile('.a | length').source).to.equal('.a | length');
    });
  });

  describe('JSONPath', () => {
    it('reads $.a.b', () => expect(q('$.deployment.status', doc)).to.deep.equal(found('success')));
    it('reads $ as the whole document', () => expect(q('$', [1, 2])).to.deep.equal(found([1, 2])));
    it('returns every match of $..x, in document order', () => expect(q('$..x', doc)).to.deep.equal(found([1, 2])));
    it('returns the list for $.a[*].id', () => expect(q('$.items[*].id', doc)).to.deep.equal(found(['a1', 'a2'])));
    it('returns a single match as the value, not a list', () => {
      expect(q('$.items[*].id', { items: [{ id: 'only' }] })).to.deep.equal(found('only'));
    });
    it('supports quoted keys, unions and slices', () => {
      expect(q("$['key.with.dots']", doc)).to.deep.equal(found(42));
      expect(q("$['it\\'s']", { "it's": 'yes' })).to.deep.equal(found('yes'));
      expect(q('$.items[0,1].id', doc)).to.deep.equal(found(['a1', 'a2']));
      expect(q('$.items[0:1].id', doc)).to.deep.equal(found('a1'));
    });
    it('is Missing when nothing matches', () => {
      expect(q('$..nope', doc)).to.deep.equal(missing);
      expect(q('$.items[*].nope', doc)).to.deep.equal(missing);
    });
  });

  describe('values that are present but falsy', () => {
    it('finds a key whose value is null', () => expect(q('.errors', doc)).to.deep.equal(found(null)));
    it('finds false and 0', () => {
      expect(q('.flag', doc)).to.deep.equal(found(false));
      expect(q('.zero', doc)).to.deep.equal(found(0));
    });
    it('keeps numbers exact', () => expect(q('.price', doc)).to.deep.equal(found(19.99)));
    it('is Missing for an absent key, and below null', () => {
      expect(q('.nope', doc)).to.deep.equal(missing);
      expect(q('.errors.x', doc)).to.deep.equal(missing);
      expect(q('.status.x', doc)).to.deep.equal(missing);
      expect(q('.items[5]', doc)).to.deep.equal(missing);
      expect(q('.a', 'text')).to.deep.equal(missing);
      expect(q('.[0]', { '0': 'object key, not an index' })).to.deep.equal(missing);
    });
  });

  describe('only own data is reachable', () => {
    it('does not find inherited members', () => {
      expect(q('.items.length', doc)).to.deep.equal(missing);
      expect(q('$.items.length', doc)).to.deep.equal(missing);
      expect(q('.toString', doc)).to.deep.equal(missing);
      expect(q('.constructor', {})).to.deep.equal(missing);
      expect(q('.["__proto__"]', {})).to.deep.equal(missing);
      expect(q('$.__proto__', {})).to.deep.equal(missing);
    });
    it('still finds keys with those names when the document has them', () => {
      expect(q('.length', { length: 3 })).to.deep.equal(found(3));
      expect(q('.constructor', JSON.parse('{"constructor":"c"}') as Json)).to.deep.equal(found('c'));
    });
  });

  describe('documents nested deeper than a stack (issue 11, item 2)', () => {
    /** `{ a: { a: ... { x: 'leaf' } } }`, `levels` objects deep. */
    const deep = (levels: number): Json => {
      let v: Json = { x: 'leaf' };
      for (let i = 0; i < levels; i += 1) v = { a: v, n: i };
      return v;
    };
    const doc100k = deep(100_000);

    it('finds $..x at the bottom of a document 100,000 levels deep (jsonpath itself overflows its stack there)', () => {
      expect(() => jsonpath.query(doc100k, '$..x')).to.throw(RangeError);
      expect(q('$..x', doc100k)).to.deep.equal(found('leaf'));
      expect(q('$..x | length', doc100k)).to.deep.equal(found(4));
    });

    it('gives every match of $..n in document order, 100,000 of them, in linear time', () => {
      const all = q('$..n', doc100k);
      expect(all._tag).to.equal('Found');
      const values = (all as unknown as { value: Json[] }).value;
      expect(values).to.have.length(100_000);
      expect(values[0]).to.equal(99_999);
      expect(values[99_999]).to.equal(0);
    });

    it('never reads a path it cannot evaluate as missing: exists: false does not pass on a deep body', () => {
      expect(q('$..nope', doc100k)).to.deep.equal(missing);
      expect(q('$..x', doc100k)._tag).to.equal('Found');
    });
  });

  describe('agrees with the jsonpath package on ordinary documents', () => {
    // Keys that make paths match, including an index-like key and values of every kind.
    const key = fc.constantFrom('a', 'b', 'x', '0');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom<Json>(null, 1, 'v', true),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 3, noNullPrototype: true }),
      ),
    })).node as fc.Arbitrary<Json>;
    const paths = [
      '$..a',
      '$..*',
      '$.a[*]',
      '$..[0]',
      '$.a[1:3]',
      '$.a[-2:]',
      '$.a[::2]',
      "$['a','b']",
      '$.*.a',
      '$..a.b',
      '$..x',
      '$.a.0',
      '$[*][*]',
    ];

    for (const path of paths) {
      it(`${path}: the same values in the same order`, () => {
        fc.assert(
          fc.property(fc.dictionary(key, tree, { maxKeys: 4, noNullPrototype: true }), (root) => {
            const theirs = jsonpath.query(root, path) as Json[];
            const ours = q(path, root);
            const values = ours._tag === 'Missing' ? [] : theirs.length === 1 ? [ours.value] : (ours.value as Json[]);
            expect(values).to.deep.equal(theirs);
          }),
          { numRuns: 200 },
        );
      });
    }
  });

  describe('| length', () => {
    it('counts array elements, string characters and object keys', () => {
      expect(q('.items | length', doc)).to.deep.equal(found(2));
      expect(q('.status | length', doc)).to.deep.equal(found(9));
      expect(q('.deployment|length', doc)).to.deep.equal(found(1));
      expect(q('.s | length', { s: 'héllo🙂' })).to.deep.equal(found(6));
      expect(q('$.items | length', doc)).to.deep.equal(found(2));
      expect(q('. | length', [1, 2, 3])).to.deep.equal(found(3));
    });
    it('treats bare length as the whole document, as jq does', () => {
      expect(q('length', [1, 2])).to.deep.equal(found(2));
    });
    it('gives 0 for null, as jq does', () => expect(q('.errors | length', doc)).to.deep.equal(found(0)));
    it('is Missing with a reason for numbers and booleans', () => {
      const r = q('.flag | length', doc);
      expect(r._tag).to.equal('Missing');
      expect(r._tag === 'Missing' && r.reason).to.match(/needs an array, string or object/);
    });
    it('is Missing when the path is missing', () => expect(q('.nope | length', doc)).to.deep.equal(missing));
    it('counts the list of several matches', () => expect(q('$..x | length', doc)).to.deep.equal(found(2)));
    it('ignores a pipe inside a quoted key', () => {
      expect(q('.["a|b"]', { 'a|b': 1 })).to.deep.equal(found(1));
      expect(q('.["a|b"] | length', { 'a|b': 'xy' })).to.deep.equal(found(2));
    });
  });

  describe('rejections', () => {
    it('rejects a bare name and suggests the jq form', () => {
      const msg = rejection('status');
      expect(msg).to.contain('invalid path "status"');
      expect(msg).to.contain('did you mean ".status"?');
      expect(msg).to.contain('accepted: jq-style paths');
      expect(msg).to.contain('JSONPath starting with "$"');
    });
    it('rejects malformed jq paths with the column', () => {
      expect(rejection('.a..')).to.contain('at column 4');
      expect(rejection('..a')).to.contain('at column 2');
      expect(rejection('.a[')).to.contain('expected an array index');
      expect(rejection('.a["x"')).to.contain('expected "]"');
      expect(rejection('.a["x]')).to.contain('unterminated string');
      expect(rejection('.a[]')).to.contain('.[] is not supported');
      expect(rejection('.a b')).to.contain('unexpected " "');
      expect(rejection('.a-b')).to.contain('unexpected "-"');
      expect(rejection('.1')).to.contain('expected a name');
    });
    it('rejects malformed JSONPath', () => {
      expect(rejection('$.[')).to.contain('not a valid JSONPath');
      expect(rejection('$.a.')).to.contain('not a valid JSONPath');
      expect(rejection('$..')).to.contain('not a valid JSONPath');
    });
    it('rejects pipes other than | length', () => {
      expect(rejection('.a | foo')).to.contain('only "| length" may follow a path, found "| foo"');
      expect(rejection('.a | length | length')).to.contain('only one pipe');
      expect(rejection('| length')).to.contain('the path is empty');
    });
    it('rejects filter and script expressions', () => {
      expect(rejection('$.items[?(@.id == "a1")]')).to.contain('filter expressions');
      expect(rejection('$..[?(@.id)]')).to.contain('filter expressions');
      expect(rejection('$.items[(@.length-1)]')).to.contain('script expressions');
    });
    it('rejects descendant unions and zero-step slices', () => {
      expect(rejection("$..['a','b']")).to.contain('descendant unions');
      expect(rejection('$.a[0:2:0]')).to.contain('step 0');
    });
    it('accepts exactly the JSONPath steps the jsonpath package can evaluate', () => {
      // One path per kind of step its parser makes (filters and scripts aside: rejected above).
      const kinds = [
        '$.a',
        '$..a',
        '$.0',
        '$..0',
        '$.*',
        '$..*',
        '$[0]',
        '$..[0]',
        "$['a']",
        "$..['a']",
        '$[*]',
        '$..[*]',
        '$[0:1]',
        '$..[0:1]',
        '$..[-1:]',
        "$['a',0]",
      ];
      for (const path of kinds) {
        let resolvable = true;
        try {
          jsonpath.query({ a: [1] }, path);
        } catch (e) {
          resolvable = !String(e).includes("couldn't resolve key");
        }
        const compiled = compileJsonPath(path);
        // descendant unions are ours to reject (see above); everything else follows jsonpath
        expect(E.isRight(compiled), `${path}: ${E.isLeft(compiled) ? compiled.left : 'accepted'}`).to.equal(resolvable);
      }
      expect(rejection('$..[0:2]')).to.include("unsupported JSONPath (couldn't resolve key: subscript-descendant-slice)");
    });

    it('rejects empty input', () => {
      expect(rejection('')).to.contain('empty');
      expect(rejection('   ')).to.contain('empty');
    });
  });

  describe('compile once, query many', () => {
    it('reuses one compiled query over many documents', () => {
      const query = compile('.status');
      const docs: Json[] = [{ status: 'a' }, { status: 'b' }, {}];
      expect(docs.map((d) => query.query(d))).to.deep.equal([found('a'), found('b'), missing]);
    });
  });

  describe('never throws', () => {
    const json = fc.jsonValue() as fc.Arbitrary<Json>;
    it('compiles any string to Right or Left', () => {
      fc.assert(
        fc.property(fc.string(), (s) => {
          const r = compileJsonPath(s);
          return E.isLeft(r) ? typeof r.left === 'string' : typeof r.right.query === 'function';
        }),
      );
    });
    it('compiles path-like strings and queries any JSON without throwing', () => {
      const pathLike = fc
        .array(fc.constantFrom('.', '$', 'a', 'b', '[', ']', '0', '-1', '*', '"x"', "'y'", '..', ':', ',', ' | length', '?(@.a)'), {
          maxLength: 8,
        })
        .map((parts) => parts.join(''));
      fc.assert(
        fc.property(pathLike, json, (path, d) => {
          const r = compileJsonPath(path);
          if (E.isLeft(r)) return true;
          const out = r.right.query(d);
          return out._tag === 'Found' || out._tag === 'Missing';
        }),
      );
    });
    it('survives an absurdly deep document with $..', () => {
      let deep: Json = 1;
      for (let i = 0; i < 20000; i += 1) deep = { a: deep };
      const out = q('$..b', deep);
      expect(out._tag).to.equal('Missing');
    });
  });

  describe('compiled once', () => {
    it('the same path gives the same query, which answers for any document', () => {
      const a = compile('.cache.probe[0]');
      expect(compile('.cache.probe[0]')).to.equal(a);
      expect(a.query({ cache: { probe: [1] } })).to.deep.equal(found(1));
      expect(a.query({ cache: { probe: [] } })).to.deep.equal(missing);
    });

    it('a rejected path is rejected again, with the same message', () => {
      expect(rejection('cache_probe')).to.equal(rejection('cache_probe')).and.to.include('did you mean ".cache_probe"');
    });

    it(`remembers at most ${MAX_CACHED_PATHS} paths: the oldest is compiled again`, () => {
      const first = compile('.evicted.first');
      for (let i = 0; i < MAX_CACHED_PATHS; i++) compile(`.evicted.n${i}`);
      const again = compile('.evicted.first');
      expect(again).not.to.equal(first);
      expect(again.query({ evicted: { first: 'x' } })).to.deep.equal(found('x'));
      expect(compile(`.evicted.n${MAX_CACHED_PATHS - 1}`)).to.equal(compile(`.evicted.n${MAX_CACHED_PATHS - 1}`));
    });

    it('does not remember a long path (one rendered from server data): the cache stays small in bytes', () => {
      const long = `.long["${'x'.repeat(2000)}"]`;
      const a = compile(long);
      expect(compile(long)).not.to.equal(a);
      expect(a.query({ long: { ['x'.repeat(2000)]: 1 } })).to.deep.equal(found(1));
    });
  });
});
