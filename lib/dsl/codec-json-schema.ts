import type * as t from 'io-ts';
import type { Json } from '../json.js';
import { type JsonSchema, jsonSchemaDeclaration, type JsonSchemaDeclaration } from './codecs/with-json-schema.js';

/** Options of {@link codecJsonSchema}. */
export interface CodecJsonSchemaOptions {
  /**
   * A codec made with `new t.Type` that declares no schema (see `withJsonSchema`): `'throw'`
   * (default) fails with a {@link CodecSchemaError} naming it; `'accept'` writes the schema `{}`
   * (any value) for it, with the codec's name as its description.
   */
  readonly undescribed?: 'throw' | 'accept' | undefined;
}

/** The JSON Schema of a codec: the root's schema, and the definitions its `$ref`s point to. */
export interface CodecJsonSchema {
  /** The root codec's schema, written in place (never a `$ref`, even when it has an id). */
  readonly schema: JsonSchema;
  /** `#/$defs/<id>` of every codec declared with an id, in the order they were first met. */
  readonly defs: Readonly<Record<string, JsonSchema>>;
}

/**
 * A codec whose JSON Schema cannot be made: one that declares none (with `undescribed: 'throw'`),
 * or two different codecs declared with the same id. `trail` names the codecs from the root down
 * to it.
 */
export class CodecSchemaError extends Error {
  override readonly name = 'CodecSchemaError';
  readonly trail: readonly string[];

  constructor(message: string, trail: readonly string[]) {
    super(`${message} (at ${trail.join(' > ')})`);
    this.trail = trail;
  }
}

/**
 * Walks a codec and the codecs it is built on, and gives their JSON Schema (draft 2020-12).
 *
 * - io-ts's own codecs are read from their `_tag`: `t.string`, `t.number`, `t.boolean`,
 *   `t.null`, `t.unknown`, `t.literal`, `t.keyof`, `t.union` (`anyOf`), `t.intersection`
 *   (`allOf`), `t.array`, `t.tuple`, `t.type` and `t.partial` (other keys allowed, as io-ts
 *   allows them), `t.exact`/`t.strict` (which strip other keys rather than reject them),
 *   `t.record`, `t.readonly`, `t.recursion` (a definition named after it), `t.Int` (`integer`).
 *   A refinement or brand other than `t.Int` has the schema of the codec it refines: its
 *   predicate is a function.
 * - Any other codec declares its schema with `withJsonSchema`, as every combinator of
 *   `lib/dsl/codecs` does (`strictType`, `list`, `templatable`, `withCheck`, `Duration`, ...).
 * - A codec declared with an `id` is written once under `defs` and referred to with `$ref`
 *   everywhere it is used; two different codecs with one id must have the same schema (each
 *   `testCodec(step)` call makes a new `Test` codec, and they are all the definition `Test`).
 *
 * codecJsonSchema(strictType('a point map', { x: t.number }, { label: t.string }))
 * // { schema: { type: 'object', properties: { x: { type: 'number' }, label: { type: 'string' } },
 * //             required: ['x'], additionalProperties: false }, defs: {} }
 */
export function codecJsonSchema(root: t.Mixed, options: CodecJsonSchemaOptions = {}): CodecJsonSchema {
  const undescribed = options.undescribed ?? 'throw';
  const defs = new Map<string, JsonSchema>();
  const owners = new Map<string, t.Mixed[]>();
  const open = new Set<string>();
  const trail: string[] = [];
  const rootId = idOf(root);

  const describe = (codec: t.Mixed, declared: JsonSchemaDeclaration | undefined): JsonSchema => {
    trail.push(codec.name);
    try {
      if (declared?.schema !== undefined) return declared.schema(walk);
      const builtin = ioTsSchema(codec, walk);
      if (builtin !== undefined) return builtin;
      if (undescribed === 'accept') return { description: codec.name };
      throw new CodecSchemaError(
        `the codec "${codec.name}" declares no JSON Schema: describe it with withJsonSchema(codec, { schema: () => ({ ... }) })`,
        trail,
      );
    } finally {
      trail.pop();
    }
  };

  const walk = (codec: t.Mixed): JsonSchema => {
    const id = idOf(codec);
    if (id === undefined) return describe(codec, jsonSchemaDeclaration(codec));
    if (id === rootId) return { $ref: '#' };
    const ref = { $ref: `#/$defs/${id}` };
    const seen = owners.get(id) ?? [];
    // A codec met inside its own definition (t.recursion, JsonValue's items) refers to it.
    if (open.has(id) || seen.includes(codec)) return ref;
    open.add(id);
    const schema = describe(codec, jsonSchemaDeclaration(codec));
    open.delete(id);
    const known = defs.get(id);
    if (known === undefined) defs.set(id, schema);
    else if (JSON.stringify(known) !== JSON.stringify(schema))
      throw new CodecSchemaError(`two codecs with different schemas are both declared as $defs/${id}`, [...trail, codec.name]);
    owners.set(id, [...seen, codec]);
    return ref;
  };

  if (rootId !== undefined) open.add(rootId);
  const schema = describe(root, jsonSchemaDeclaration(root));
  return { schema, defs: Object.fromEntries(defs) };
}

/** The definition a codec becomes: its declared id, or the name of a `t.recursion`. */
function idOf(codec: t.Mixed): string | undefined {
  const declared = jsonSchemaDeclaration(codec)?.id;
  if (declared !== undefined) return declared;
  return tagOf(codec) === 'RecursiveType' ? codec.name : undefined;
}

function tagOf(codec: t.Mixed): string | undefined {
  const tag = (codec as { readonly _tag?: unknown })._tag;
  return typeof tag === 'string' ? tag : undefined;
}

/** The schema of one of io-ts's own codecs, from its `_tag`; `undefined` for any other codec. */
function ioTsSchema(codec: t.Mixed, walk: (codec: t.Mixed) => JsonSchema): JsonSchema | undefined {
  // The fields each io-ts class carries, by tag (io-ts 2.2's `t.StringType`, `t.InterfaceType`, ...).
  const c = codec as t.Mixed & {
    readonly value?: Json;
    readonly keys?: Readonly<Record<string, unknown>>;
    readonly types?: readonly t.Mixed[];
    readonly type?: t.Mixed;
    readonly props?: Readonly<Record<string, t.Mixed>>;
    readonly domain?: t.Mixed;
    readonly codomain?: t.Mixed;
  };
  const props = (p: Readonly<Record<string, t.Mixed>> = {}) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, walk(v)]));
  switch (tagOf(codec)) {
    case 'StringType':
      return { type: 'string' };
    case 'NumberType':
      return { type: 'number' };
    case 'BooleanType':
      return { type: 'boolean' };
    case 'NullType':
      return { type: 'null' };
    case 'UnknownType':
    case 'AnyType':
    case 'AnyDictionaryType':
      return {};
    case 'UnknownArrayType':
    case 'AnyArrayType':
      return { type: 'array' };
    case 'UnknownRecordType':
    case 'ObjectType':
      return { type: 'object' };
    // Nothing in a YAML document is `undefined`: as a member of a union (an optional value), it adds nothing.
    case 'NeverType':
    case 'UndefinedType':
    case 'VoidType':
      return { not: {} };
    case 'LiteralType':
      return { const: c.value ?? null };
    case 'KeyofType':
      return { enum: Object.keys(c.keys ?? {}) };
    case 'UnionType':
      return { anyOf: (c.types ?? []).map(walk) };
    case 'IntersectionType':
      return { allOf: (c.types ?? []).map(walk) };
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return { type: 'array', items: walk(c.type as t.Mixed) };
    case 'TupleType': {
      const items = (c.types ?? []).map(walk);
      return { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
    }
    case 'InterfaceType': {
      const required = Object.keys(c.props ?? {});
      return { type: 'object', properties: props(c.props), ...(required.length === 0 ? {} : { required }) };
    }
    case 'PartialType':
      return { type: 'object', properties: props(c.props) };
    case 'ExactType':
    case 'ReadonlyType':
    case 'RecursiveType':
      return walk(c.type as t.Mixed);
    case 'DictionaryType': {
      const domain = walk(c.domain as t.Mixed);
      const keys = JSON.stringify(domain) === JSON.stringify({ type: 'string' }) ? {} : { propertyNames: domain };
      return { type: 'object', ...keys, additionalProperties: walk(c.codomain as t.Mixed) };
    }
    case 'RefinementType':
      // t.Int is the one refinement JSON Schema has a word for.
      return codec.name === 'Int' ? { type: 'integer' } : walk(c.type as t.Mixed);
    default:
      return undefined;
  }
}
