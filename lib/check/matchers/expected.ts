import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../json.js';
import { jsonTypeOf, typed } from '../describe-json.js';
import { jsonEquals } from '../json-equals.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

/**
 * `expected`: the value equals the operand, strictly and deeply (see `jsonEquals`).
 * When the types differ the reason says so: `expected number 200, got string "200"`.
 */
export const compileExpected: CompileMatcher = (operand) =>
  E.right(presentValueMatcher('expected', operand, (value) => verdict(jsonEquals(value, operand), value, typeMismatch(operand, value))));

/** `types differ: expected number 200, got string "200"` when the JSON types differ. */
export function typeMismatch(expected: Json, actual: Json): string | undefined {
  return jsonTypeOf(expected) === jsonTypeOf(actual) ? undefined : `types differ: expected ${typed(expected)}, got ${typed(actual)}`;
}
