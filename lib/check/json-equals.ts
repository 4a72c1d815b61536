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
  // Most checks compare two scalars: no work list for them.
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  // Iterative: a saved response body and the same body fetched again may be nested 100,000
  // levels deep, past what a recursive comparison's stack holds.
  const pending: Array<readonly [Json, Json]> = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop() as readonly [Json, Json];
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      for (let i = x.length - 1; i >= 0; i -= 1) pending.push([x[i] as Json, y[i] as Json]);
      continue;
    }
    const xo = x as { readonly [k: string]: Json };
    const yo = y as { readonly [k: string]: Json };
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const k = keys[i] as string;
      if (!Object.prototype.hasOwnProperty.call(yo, k)) return false;
      pending.push([xo[k] as Json, yo[k] as Json]);
    }
  }
  return true;
}
