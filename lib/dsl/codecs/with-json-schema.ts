import type * as t from 'io-ts';
import type { Json } from '../../json.js';

/** A JSON Schema (draft 2020-12) object, as written to `schema/rocketship.schema.json`. */
export type JsonSchema = { readonly [keyword: string]: Json };

/** Gives the JSON Schema of a codec another one is built on (see {@link codecJsonSchema}). */
export type SchemaWalk = (codec: t.Mixed) => JsonSchema;

/**
 * What a codec says about its JSON Schema. io-ts's own codecs (`t.string`, `t.type`, `t.union`,
 * ...) are understood by the walker from their `_tag`; a codec made with `new t.Type` (every
 * combinator of ours: `strictType`, `list`, `templatable`, `Duration`, ...) is a function the
 * walker cannot look into, so it declares its schema here.
 */
export interface JsonSchemaDeclaration {
  /**
   * The name of the definition (`#/$defs/<id>`) this codec becomes: every use of it is a
   * `$ref`, and the schema's documentation is looked up by this name. Without one, the schema
   * is written in place.
   */
  readonly id?: string;
  /** The codec's schema; `walk` gives the schema of each codec it is built on. */
  readonly schema?: (walk: SchemaWalk) => JsonSchema;
}

const declarations = new WeakMap<t.Mixed, JsonSchemaDeclaration>();

/**
 * Declares the JSON Schema of a codec (merged over what was declared before) and returns the
 * codec itself, so it wraps a definition:
 *
 * export const Duration = withJsonSchema(new t.Type(...), { id: 'Duration', schema: () => ({ type: 'string', pattern: '...' }) });
 * export const Polling = withJsonSchema(strictType('a polling map', {...}), { id: 'Polling' });
 *
 * The schema must accept every value the codec accepts. It may accept more where a rule cannot
 * be written as JSON Schema (a JSON path's syntax); specs/dsl/suite-json-schema.spec.ts lists
 * those rules.
 */
export function withJsonSchema<C extends t.Mixed>(codec: C, declaration: JsonSchemaDeclaration): C {
  declarations.set(codec, { ...declarations.get(codec), ...declaration });
  return codec;
}

/** What {@link withJsonSchema} declared for a codec, if anything. */
export function jsonSchemaDeclaration(codec: t.Mixed): JsonSchemaDeclaration | undefined {
  return declarations.get(codec);
}
