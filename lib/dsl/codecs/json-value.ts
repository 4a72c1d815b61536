import * as t from 'io-ts';
import type { Json } from '../../json.js';
import { isPlainMap } from '../describe-value.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * Any YAML value that is also JSON: null, booleans, finite numbers, strings, lists and maps of
 * those. Used where the DSL keeps a value with its YAML type (`expected: 200` stays the number
 * 200, `expected: "200"` the string), and for `vars`.
 *
 * JsonValue.decode({ a: [1, true, null] })   // Right({ a: [1, true, null] })
 * JsonValue.decode(.inf)                      // Left: expected a JSON value, found Infinity
 */
export const JsonValue: t.Type<Json, Json, unknown> = withJsonSchema(
  new t.Type<Json, Json, unknown>(
    'a JSON value (string, number, boolean, null, list or map)',
    (u): u is Json => isJson(u),
    (u, c) => (isJson(u) ? t.success(u as Json) : t.failure(u, c)),
    (a) => a,
  ),
  {
    id: 'JsonValue',
    // JSON Schema's `number` is finite: YAML's .inf and .nan are not JSON values.
    schema: (walk) => ({
      type: ['null', 'boolean', 'number', 'string', 'array', 'object'],
      items: walk(JsonValue),
      additionalProperties: walk(JsonValue),
    }),
  },
);
export type JsonValue = Json;

/** A YAML map whose values are any JSON values: `vars`, `openapi`, a JSON Schema. */
export const JsonMap = withJsonSchema(
  new t.Type<{ [k: string]: Json }, { [k: string]: Json }, unknown>(
    'a map',
    (u): u is { [k: string]: Json } => isPlainMap(u) && isJson(u),
    (u, c) => {
      if (!isPlainMap(u)) return t.failure(u, c);
      const errors: t.Errors = [];
      for (const [key, value] of Object.entries(u)) {
        if (!isJson(value)) errors.push({ value, context: t.appendContext(c, key, JsonValue, value) });
      }
      return errors.length > 0 ? t.failures(errors) : t.success(u as { [k: string]: Json });
    },
    (a) => a,
  ),
  { schema: (walk) => ({ type: 'object', additionalProperties: walk(JsonValue) }) },
);
export type JsonMap = { [k: string]: Json };

function isJson(u: unknown): boolean {
  if (u === null || typeof u === 'string' || typeof u === 'boolean') return true;
  if (typeof u === 'number') return Number.isFinite(u);
  if (Array.isArray(u)) return u.every(isJson);
  if (isPlainMap(u)) return Object.values(u).every(isJson);
  return false;
}
