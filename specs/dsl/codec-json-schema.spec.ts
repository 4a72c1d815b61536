import { expect } from 'chai';
import * as t from 'io-ts';
import { codecJsonSchema, CodecSchemaError } from '../../lib/dsl/codec-json-schema.js';
import { strictType } from '../../lib/dsl/codecs/strict-type.js';
import { withJsonSchema } from '../../lib/dsl/codecs/with-json-schema.js';

/** A codec of a program's own, made with `new t.Type` and declaring no schema (a new one each time: declaring one changes it). */
const custom = (): t.Type<string, string, unknown> =>
  new t.Type<string, string, unknown>(
    'a word',
    (u): u is string => typeof u === 'string',
    t.success as never,
    (a) => a,
  );

interface PositiveBrand {
  readonly Positive: unique symbol;
}

describe('dsl/codec-json-schema', () => {
  it("reads io-ts's own codecs", () => {
    const Int = t.Int;
    const codec = t.type({
      s: t.string,
      n: t.union([t.number, t.null]),
      i: Int,
      l: t.literal('x'),
      k: t.keyof({ a: null, b: null }),
      a: t.array(t.boolean),
      r: t.record(t.string, t.unknown),
      p: t.exact(t.partial({ q: t.string })),
      both: t.intersection([t.type({ a: t.string }), t.partial({ b: t.number })]),
      tuple: t.tuple([t.string, t.number]),
      positive: t.brand(t.number, (n): n is t.Branded<number, PositiveBrand> => n > 0, 'Positive'),
    });
    expect(codecJsonSchema(codec).schema).to.deep.equal({
      type: 'object',
      properties: {
        s: { type: 'string' },
        n: { anyOf: [{ type: 'number' }, { type: 'null' }] },
        i: { type: 'integer' },
        l: { const: 'x' },
        k: { enum: ['a', 'b'] },
        a: { type: 'array', items: { type: 'boolean' } },
        r: { type: 'object', additionalProperties: {} },
        p: { type: 'object', properties: { q: { type: 'string' } } },
        both: {
          allOf: [
            { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
            { type: 'object', properties: { b: { type: 'number' } } },
          ],
        },
        tuple: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], minItems: 2, maxItems: 2 },
        // A brand's predicate is a function: the schema is the branded codec's, which accepts more.
        positive: { type: 'number' },
      },
      required: ['s', 'n', 'i', 'l', 'k', 'a', 'r', 'p', 'both', 'tuple', 'positive'],
    });
  });

  it('makes a t.recursion a definition that refers to itself', () => {
    interface Tree {
      readonly children: readonly Tree[];
    }
    const Tree: t.Type<Tree> = t.recursion('Tree', () => t.type({ children: t.readonlyArray(Tree) }));
    expect(codecJsonSchema(t.type({ root: Tree }))).to.deep.equal({
      schema: { type: 'object', properties: { root: { $ref: '#/$defs/Tree' } }, required: ['root'] },
      defs: {
        Tree: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Tree' } } }, required: ['children'] },
      },
    });
  });

  it('names a codec that declares no schema, with the way there, unless told to accept it', () => {
    const codec = strictType('an outer map', { inner: custom() });
    expect(() => codecJsonSchema(codec)).to.throw(
      CodecSchemaError,
      /the codec "a word" declares no JSON Schema.*\(at an outer map > a word\)/,
    );
    expect(codecJsonSchema(codec, { undescribed: 'accept' }).schema['properties']).to.deep.equal({ inner: { description: 'a word' } });
  });

  it('refuses two different codecs declared with one id', () => {
    const a = withJsonSchema(strictType('a', { x: t.string }), { id: 'Same' });
    const b = withJsonSchema(strictType('b', { y: t.string }), { id: 'Same' });
    expect(() => codecJsonSchema(t.type({ a, b }))).to.throw(CodecSchemaError, /both declared as \$defs\/Same/);
  });
});
