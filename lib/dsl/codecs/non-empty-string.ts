import * as t from 'io-ts';
import { withJsonSchema } from './with-json-schema.js';

/**
 * A string with at least one non-blank character: names, `as`, header names.
 *
 * NonEmptyString.decode('Create user')   // Right('Create user')
 * NonEmptyString.decode('  ')            // Left: expected a non-empty string, found "  "
 */
export const NonEmptyString = withJsonSchema(
  new t.Type<string, string, unknown>(
    'a non-empty string',
    (u): u is string => typeof u === 'string' && u.trim() !== '',
    (u, c) => (typeof u === 'string' && u.trim() !== '' ? t.success(u) : t.failure(u, c)),
    (a) => a,
  ),
  // \S: JavaScript's \s is the set of characters trim() removes.
  { schema: () => ({ type: 'string', pattern: '\\S' }) },
);
export type NonEmptyString = string;
