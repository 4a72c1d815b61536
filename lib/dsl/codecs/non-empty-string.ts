import * as t from 'io-ts';

/**
 * A string with at least one non-blank character: names, `as`, header names.
 *
 * NonEmptyString.decode('Create user')   // Right('Create user')
 * NonEmptyString.decode('  ')            // Left: must not be empty
 */
export const NonEmptyString = new t.Type<string, string, unknown>(
  'a non-empty string',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    return u.trim() === '' ? t.failure(u, c, 'must not be empty') : t.success(u);
  },
  (a) => a,
);
export type NonEmptyString = string;
