import type { Json } from '../json.js';

/** The JSON type names `value_type` accepts. */
export type ValueType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

/**
 * What a check asserts about the value it reads. At least one must be present; each present one
 * yields one `CheckResult`. `expected: null` is present (it asserts the value is null).
 */
export interface Matchers {
  /** Strict, typed, deep equality: `200` is not `"200"`, `true` is not `"true"`. */
  readonly expected?: Json;
  /** `true`: the value is there (a `null` value counts); `false`: it is not. */
  readonly exists?: boolean;
  /** Not deeply equal. */
  readonly not_equals?: Json;
  /** Substring of a string, element of an array, or key / partial sub-object of an object. */
  readonly contains?: Json;
  /** A regular expression the string value must match somewhere (use ^...$ to anchor). */
  readonly matches?: string;
  /** Deeply equal to one of these. */
  readonly one_of?: Json[];
  /** Numeric comparisons; the operand must be a number. */
  readonly greater_than?: Json;
  readonly greater_than_or_equal?: Json;
  readonly less_than?: Json;
  readonly less_than_or_equal?: Json;
  /** The JSON type of the value. */
  readonly value_type?: ValueType;
  /** Length of a string (characters), array (elements) or object (keys). */
  readonly length?: Json;
  /** A JSON Schema (draft-07, or 2020-12 when its `$schema` says so) the value must satisfy. */
  readonly schema?: { [k: string]: Json };
}

/**
 * One condition or assertion, shared by polling `conditions`, `fail_conditions` and step
 * `assertions`. This is the decoded shape of architecture.md's dsl section (the dsl's io-ts codec
 * decodes to the same shape); `compileCheck` takes it after templates are rendered.
 *
 * - `status_code`: the response status (a number).
 * - `header`: the response header `name` (case-insensitive); a string.
 * - `json_path`: the value at `path` in the JSON body (see `compileJsonPath`).
 */
export type Check =
  | ({ readonly type: 'status_code' } & Matchers)
  | ({ readonly type: 'json_path'; readonly path: string } & Matchers)
  | ({ readonly type: 'header'; readonly name: string } & Matchers);

/** The matcher keys, in the order their results are reported. */
export const MATCHER_NAMES = [
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
] as const satisfies ReadonlyArray<keyof Matchers>;

export type MatcherName = (typeof MATCHER_NAMES)[number];
