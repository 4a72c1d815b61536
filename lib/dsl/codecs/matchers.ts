import * as t from 'io-ts';
import type { Json } from '../../json.js';
import { boundedNumber } from './bounded-number.js';
import { JsonMap, JsonValue } from './json-value.js';
import { keyword } from './keyword.js';
import { list } from './list.js';
import { RegexString } from './regex-string.js';
import { orTemplateString } from './templatable.js';
import { withJsonSchema } from './with-json-schema.js';

/** The JSON types a `value_type` matcher can ask for. */
export const ValueType = keyword('value_type', ['string', 'number', 'boolean', 'null', 'array', 'object'] as const);
export type ValueType = t.TypeOf<typeof ValueType>;

/**
 * What a check compares its subject (status code, header value, value at a JSON path) with.
 * A check has at least one; all of them must hold. Every value keeps its YAML type
 * (`expected: 200` is the number, `expected: "200"` the string), and a string holding a
 * template stays raw until the step runs.
 */
export interface Matchers {
  /** Equal to this value (deep, typed: `true` is not `"true"`). */
  expected?: Json;
  /** `true`: the subject is present (a JSON `null` is present); `false`: it is absent. */
  exists?: boolean;
  /** Not equal to this value. */
  not_equals?: Json;
  /** A string containing this text, or a list containing this item. */
  contains?: Json;
  /** A string matching this regular expression (JavaScript syntax). */
  matches?: string;
  /** Equal to one of these values. */
  one_of?: Json[];
  /** Number comparisons. */
  greater_than?: Json;
  greater_than_or_equal?: Json;
  less_than?: Json;
  less_than_or_equal?: Json;
  /** The subject's JSON type. Named `value_type` because `type` names the check kind. */
  value_type?: ValueType;
  /** The length of a string, list or map. */
  length?: Json;
  /** A JSON Schema the subject must satisfy. */
  schema?: { [k: string]: Json };
}

const Comparable = orTemplateString(
  withJsonSchema(
    new t.Type<number, number, unknown>(
      'a number',
      (u): u is number => typeof u === 'number' && Number.isFinite(u),
      (u, c) => (typeof u === 'number' && Number.isFinite(u) ? t.success(u) : t.failure(u, c)),
      (a) => a,
    ),
    { schema: () => ({ type: 'number' }) },
  ),
);

/** The io-ts props of every matcher, for the check codecs. `exists` is left to each check. */
export const matcherProps = {
  expected: JsonValue,
  not_equals: JsonValue,
  contains: JsonValue,
  matches: RegexString,
  one_of: list(JsonValue, 'value', { min: 1 }),
  greater_than: Comparable,
  greater_than_or_equal: Comparable,
  less_than: Comparable,
  less_than_or_equal: Comparable,
  value_type: ValueType,
  length: orTemplateString(boundedNumber({ label: 'length', integer: true, min: 0 })),
  schema: JsonMap,
};

/** Names of all matchers, in the order messages list them. */
export const MATCHER_KEYS = [
  'expected',
  'exists',
  'not_equals',
  'contains',
  'matches',
  'one_of',
  'greater_than',
  'greater_than_or_equal',
  'less_than',
  'less_than_or_equal',
  'value_type',
  'length',
  'schema',
] as const;
