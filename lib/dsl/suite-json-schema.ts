import type { Json } from '../json.js';
import { codecJsonSchema, type CodecJsonSchemaOptions } from './codec-json-schema.js';
import { builtinPluginCodecs, type PluginCodecs } from './codecs/plugin-codecs.js';
import { stepCodec } from './codecs/step.js';
import { suiteCodec } from './codecs/suite.js';
import type { JsonSchema } from './codecs/with-json-schema.js';
import { type DefinitionDocs, suiteSchemaDocs } from './suite-schema-docs.js';

/**
 * Options of {@link suiteJsonSchema}. `undescribed` defaults to `'throw'` for the built-in
 * plugins (`builtinPluginCodecs` itself: the build fails when one of our codecs declares no
 * schema) and to `'accept'` for any other map (a program's own codec is written as `{}`).
 */
export interface SuiteJsonSchemaOptions extends CodecJsonSchemaOptions {
  /** Descriptions and examples by definition id; default {@link suiteSchemaDocs}. */
  readonly docs?: Readonly<Record<string, DefinitionDocs>> | undefined;
}

/**
 * The JSON Schema (draft 2020-12) of a suite file, made from the codecs that decode it, so the
 * two cannot drift: `schema/rocketship.schema.json` is this for the built-in plugins, written by
 * `npm run build` and printed by `rocketship schema`. Editors (the YAML language server, VS
 * Code's YAML extension) use it for completion, hover text and errors as you type.
 *
 * `plugins` is what the decoder is given (`pluginCodecs(registry)`): a program with a plugin of
 * its own gets a schema that knows its `plugin:` name and config. A config codec of its own made
 * with `new t.Type` has the schema `{}` unless it declares one with `withJsonSchema`.
 *
 * The schema accepts everything the decoder accepts. It accepts a little more where a rule is not
 * JSON Schema's to say (a JSON path's or a regular expression's syntax, a URL past its scheme, YAML
 * duplicate keys): `validate` and `run` still report those, with line and column.
 *
 * writeFileSync('rocketship.schema.json', JSON.stringify(suiteJsonSchema(), null, 2));
 * suiteJsonSchema(pluginCodecs(withPlugin(builtinPlugins(), sqlPlugin)))   // knows `plugin: sql`
 */
export function suiteJsonSchema(plugins: PluginCodecs = builtinPluginCodecs, options: SuiteJsonSchemaOptions = {}): JsonSchema {
  const docs = options.docs ?? suiteSchemaDocs();
  const builtin = plugins === builtinPluginCodecs;
  const order = Object.keys(docs);
  const rank = (id: string): number => (order.includes(id) ? order.indexOf(id) : order.length);
  const { schema, defs } = codecJsonSchema(suiteCodec(stepCodec(plugins)), {
    undescribed: options.undescribed ?? (builtin ? 'throw' : 'accept'),
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment:
      'Generated from the io-ts codecs that decode suite files (lib/dsl/codecs, by lib/dsl/suite-json-schema.ts); npm run build writes it and rocketship schema prints it. Do not edit.',
    title: 'Rocketship suite file (rocketship-rx)',
    ...documented(schema, docs['Suite']),
    // The definitions in the order of the docs (the suite's outline), any others after them.
    $defs: Object.fromEntries(
      Object.entries(defs)
        .sort(([a], [b]) => rank(a) - rank(b))
        .map(([id, def]) => [id, documented(def, docs[id])]),
    ),
  };
}

/**
 * The text of {@link suiteJsonSchema} for the built-in plugins, as `schema/rocketship.schema.json`
 * holds it and `rocketship schema` prints it: two-space indented JSON and a final newline.
 */
export function formatSuiteJsonSchema(): string {
  return `${JSON.stringify(suiteJsonSchema(), null, 2)}\n`;
}

/** `schema` with the definition's description and examples first, and each documented key's words on its property. */
function documented(schema: JsonSchema, docs: DefinitionDocs | undefined): JsonSchema {
  if (docs === undefined) return schema;
  const out: Record<string, Json> = { description: docs.description };
  if (docs.examples !== undefined) out['examples'] = docs.examples;
  for (const [keyword, value] of Object.entries(schema)) {
    out[keyword] = keyword === 'properties' && isSchemaMap(value) ? documentedKeys(value, docs.keys ?? {}) : value;
  }
  return out;
}

function documentedKeys(properties: Readonly<Record<string, JsonSchema>>, keys: NonNullable<DefinitionDocs['keys']>): JsonSchema {
  return Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => {
      const words = Object.hasOwn(keys, key) ? keys[key] : undefined;
      if (words === undefined) return [key, schema];
      const { description, examples } = words;
      return [key, { description, ...(words.default === undefined ? {} : { default: words.default }), examples, ...schema }];
    }),
  );
}

function isSchemaMap(value: Json): value is Readonly<Record<string, JsonSchema>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
