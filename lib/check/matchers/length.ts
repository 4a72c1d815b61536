import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../json.js';
import { excerpt, jsonTypeOf } from '../describe-json.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

/**
 * `length`: the number of characters of a string (Unicode code points, as jq counts), elements of
 * an array, or keys of an object. The operand must be a non-negative integer. The reported
 * `actual` is the length, or the value itself when it has no length.
 */
export const compileLength: CompileMatcher = (operand) => {
  if (typeof operand !== 'number' || !Number.isInteger(operand) || operand < 0) {
    return E.left(`length must be a non-negative integer, got ${excerpt(operand)}`);
  }
  return E.right(
    presentValueMatcher('length', operand, (value) => {
      const n = lengthOf(value);
      if (n === undefined) return verdict(false, value, `length needs a string, array or object, got ${jsonTypeOf(value)}`);
      return verdict(n === operand, n);
    }),
  );
};

function lengthOf(value: Json): number | undefined {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}
