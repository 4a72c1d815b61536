import * as t from 'io-ts';
import { isPlainMap } from '../describe-value.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * HTTP request headers: a map of header name to value. Numbers and booleans are converted to
 * their text (`X-Count: 3` sends `3`, `X-Debug: true` sends `true`) rather than dropped; an
 * empty value, a list or a map is an error. Names and values may hold templates.
 *
 * Headers.decode({ 'X-Count': 3 })   // Right({ 'X-Count': '3' })
 */
export const Headers = withJsonSchema(
  new t.Type<{ [name: string]: string }, { [name: string]: string }, unknown>(
    'a map of header names to values',
    (u): u is { [name: string]: string } => isPlainMap(u) && Object.values(u).every((v) => typeof v === 'string'),
    (u, c) => {
      if (!isPlainMap(u)) return t.failure(u, c);
      const errors: t.Errors = [];
      const out: { [name: string]: string } = {};
      for (const [name, value] of Object.entries(u)) {
        if (name.trim() === '') {
          errors.push({ value, context: t.appendContext(c, name, HeaderValue, value), message: 'a header name must not be empty' });
          continue;
        }
        const text = scalarText(value);
        if (text === undefined) errors.push({ value, context: t.appendContext(c, name, HeaderValue, value) });
        else out[name] = text;
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out);
    },
    (a) => a,
  ),
  {
    schema: () => ({
      type: 'object',
      propertyNames: { pattern: '\\S' },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    }),
  },
);
export type Headers = { [name: string]: string };

const HeaderValue = new t.Type<string, string, unknown>(
  'a header value (string, number or boolean)',
  (u): u is string => typeof u === 'string',
  (u, c) => {
    const text = scalarText(u);
    return text === undefined ? t.failure(u, c) : t.success(text);
  },
  (a) => a,
);

/** The text of a string, finite number or boolean; `undefined` for anything else. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}
