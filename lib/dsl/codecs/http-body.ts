import * as t from 'io-ts';
import type { Json } from '../../json.js';
import { isPlainMap } from '../describe-value.js';
import { JsonValue } from './json-value.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * An HTTP request body: a string is sent as is (a `|` block of JSON text included); a YAML
 * map or list is sent as JSON, with `Content-Type: application/json` unless the headers set
 * one. Templates inside either are rendered when the step runs.
 *
 * HttpBody.decode('{"a": 1}')   // Right('{"a": 1}')
 * HttpBody.decode({ a: 1 })     // Right({ a: 1 })
 * HttpBody.decode(42)           // Left: expected a string, or a map or list sent as JSON
 */
export const HttpBody = withJsonSchema(
  new t.Type<string | Json, string | Json, unknown>(
    'a string, or a map or list sent as JSON',
    (u): u is string | Json => typeof u === 'string' || ((Array.isArray(u) || isPlainMap(u)) && JsonValue.is(u)),
    (u, c) => {
      if (typeof u === 'string') return t.success(u);
      if (Array.isArray(u) || isPlainMap(u)) return JsonValue.validate(u, c);
      return t.failure(u, c);
    },
    (a) => a,
  ),
  { schema: (walk) => ({ type: ['string', 'array', 'object'], items: walk(JsonValue), additionalProperties: walk(JsonValue) }) },
);
export type HttpBody = string | Json;
