import type { Json } from '../json.js';

/**
 * Strict, typed, deep equality of JSON values: no coercion (`200` vs `"200"` and `true` vs
 * `"true"` differ), arrays equal element by element in order, objects equal when they have the
 * same own keys with equal values, in any order.
 *
 * jsonEquals({ a: [1, { b: null }] }, { a: [1, { b: null }] })  // true
 * jsonEquals(200, '200')                                      // false
 */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!jsonEquals(a[i] as Json, b[i] as Json)) return false;
    return true;
  }
  const ao = a as { readonly [k: string]: Json };
  const bo = b as { readonly [k: string]: Json };
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(bo, k)) return false;
    if (!jsonEquals(ao[k] as Json, bo[k] as Json)) return false;
  }
  return true;
}
