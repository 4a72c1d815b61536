import * as t from 'io-ts';
import { didYouMean } from '../did-you-mean.js';
import { hasOwn, isPlainMap } from '../describe-value.js';
import { withJsonSchema } from './with-json-schema.js';

/** The decoded object of a {@link strictType}: required keys present, optional keys maybe. */
export type StrictOutput<R extends t.Props, O extends t.Props> = { [K in keyof R]: t.TypeOf<R[K]> } & {
  [K in keyof O]?: t.TypeOf<O[K]>;
};

/**
 * Marks the context entry of a key that is not allowed in its map. The error reporter places
 * such an error on the key itself (not its value), so the caret sits under the typo.
 */
export const UnknownKey = new t.Type<never, never, unknown>(
  'a known key',
  (_u): _u is never => false,
  (u, c) => t.failure(u, c),
  (a) => a,
);

/**
 * A YAML map with a fixed set of keys: `t.type` plus `t.partial`, except that keys not listed
 * are errors instead of being stripped or ignored.
 *
 * - A missing required key is one error, placed on the map (`missing required key "url"`),
 *   unless an unknown key of the map is a near miss of it (then the typo's error says it all).
 * - An unknown key is one error placed on that key, with a "did you mean" for a near miss
 *   (`unknown key "intervall"; did you mean "interval"?`) or the list of allowed keys.
 * - Every key is checked, so all errors of the map are reported at once.
 * - A value that is not a map fails with the codec's `name` as what was expected, so give it a
 *   name that reads well after "expected" (`'polling map'`).
 *
 * Optional keys that are absent are absent from the result (no `undefined` values).
 *
 * const Point = strictType('point map', { x: t.number }, { label: t.string });
 * Point.decode({ x: 1 })            // Right({ x: 1 })
 * Point.decode({ x: 1, lable: 'a' }) // Left: unknown key "lable"; did you mean "label"?
 */
export function strictType<R extends t.Props, O extends t.Props = {}>(
  name: string,
  required: R,
  optional: O = {} as O,
): t.Type<StrictOutput<R, O>, unknown, unknown> {
  const requiredKeys = Object.keys(required);
  const optionalKeys = Object.keys(optional);
  const allowed = [...requiredKeys, ...optionalKeys];
  const codecOf = (key: string): t.Mixed | undefined =>
    hasOwn(required, key) ? required[key] : hasOwn(optional, key) ? optional[key] : undefined;

  const is = (u: unknown): u is StrictOutput<R, O> =>
    isPlainMap(u) && Object.keys(u).every((k) => codecOf(k)?.is(u[k]) ?? false) && requiredKeys.every((k) => hasOwn(u, k));

  const strict = new t.Type<StrictOutput<R, O>, unknown, unknown>(
    name,
    is,
    (u, c) => {
      if (!isPlainMap(u)) return t.failure(u, c);
      const errors: t.Errors = [];
      const out: Record<string, unknown> = {};
      const suggested = new Set<string>();
      for (const key of Object.keys(u)) {
        const value = u[key];
        const codec = codecOf(key);
        if (codec === undefined) {
          const near = didYouMean(key, allowed);
          if (near !== undefined) suggested.add(near);
          errors.push({ value, context: t.appendContext(c, key, UnknownKey, value), message: unknownKeyMessage(key, allowed) });
          continue;
        }
        const result = codec.validate(value, t.appendContext(c, key, codec, value));
        if (result._tag === 'Left') {
          // One by one: spreading 100,000 errors as arguments overflows the stack.
          for (const e of result.left) errors.push(e);
        } else out[key] = result.right;
      }
      for (const key of requiredKeys) {
        // A misspelt required key is one error (on the typo, with the suggestion), not two.
        if (hasOwn(u, key) || suggested.has(key)) continue;
        const codec = required[key] as t.Mixed;
        errors.push({ value: undefined, context: t.appendContext(c, key, codec, undefined), message: `missing required key "${key}"` });
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out as StrictOutput<R, O>);
    },
    (a) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(a as Record<string, unknown>)) {
        const codec = codecOf(key);
        out[key] = codec === undefined ? value : codec.encode(value);
      }
      return out;
    },
  );
  return withJsonSchema(strict, {
    schema: (walk) => ({
      type: 'object',
      properties: Object.fromEntries(allowed.map((key) => [key, walk(codecOf(key) as t.Mixed)])),
      ...(requiredKeys.length === 0 ? {} : { required: requiredKeys }),
      additionalProperties: false,
    }),
  });
}

/** `unknown key "x"; did you mean "y"?`, or the allowed keys when nothing is close. */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const near = didYouMean(key, allowed);
  if (near !== undefined) return `unknown key "${key}"; did you mean "${near}"?`;
  return allowed.length === 0
    ? `unknown key "${key}"; no keys are allowed here`
    : `unknown key "${key}"; allowed keys: ${allowed.join(', ')}`;
}
