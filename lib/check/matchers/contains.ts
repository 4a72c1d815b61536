import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../json.js';
import { jsonTypeOf, typed } from '../describe-json.js';
import { jsonEquals } from '../json-equals.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

/**
 * `contains`, by the type of the value:
 * - string: the operand, a string, is a substring (`"hello world"` contains `"o w"`);
 * - array: some element equals the operand (strict, deep: `[1, 2]` contains `2`, not `"2"`);
 * - object: the operand is a key (`contains: "id"`), or an object whose every key is present
 *   with an equal value, recursively for nested objects (`{a: {b: 1, c: 2}, d: 3}` contains
 *   `{a: {b: 1}}`); arrays inside are compared whole.
 * Anything else fails with a reason.
 */
export const compileContains: CompileMatcher = (operand) =>
  E.right(
    presentValueMatcher('contains', operand, (value) => {
      if (typeof value === 'string') {
        if (typeof operand !== 'string') return verdict(false, value, `a string can only contain a string, got ${typed(operand)}`);
        return verdict(value.includes(operand), value);
      }
      if (Array.isArray(value))
        return verdict(
          value.some((item: Json) => jsonEquals(item, operand)),
          value,
        );
      if (isPlainObject(value)) {
        if (typeof operand === 'string')
          return verdict(Object.prototype.hasOwnProperty.call(value, operand), value, `no key ${JSON.stringify(operand)}`);
        if (isPlainObject(operand)) return verdict(containsObject(value, operand), value);
        return verdict(false, value, `an object contains a key (string) or a sub-object, got ${typed(operand)}`);
      }
      return verdict(false, value, `contains needs a string, array or object, got ${jsonTypeOf(value)}`);
    }),
  );

function containsObject(value: { readonly [k: string]: Json }, part: { readonly [k: string]: Json }): boolean {
  // Iterative, like jsonEquals: the operand may be a saved value of any depth.
  const pending: Array<readonly [{ readonly [k: string]: Json }, { readonly [k: string]: Json }]> = [[value, part]];
  while (pending.length > 0) {
    const [whole, sub] = pending.pop() as readonly [{ readonly [k: string]: Json }, { readonly [k: string]: Json }];
    for (const k of Object.keys(sub)) {
      if (!Object.prototype.hasOwnProperty.call(whole, k)) return false;
      const v = whole[k] as Json;
      const p = sub[k] as Json;
      if (isPlainObject(v) && isPlainObject(p)) pending.push([v, p]);
      else if (!jsonEquals(v, p)) return false;
    }
  }
  return true;
}

function isPlainObject(v: Json): v is { readonly [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
