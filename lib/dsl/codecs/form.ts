import * as t from 'io-ts';
import { isPlainMap } from '../describe-value.js';
import { scalarText } from './headers.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * Form fields sent url-encoded (`application/x-www-form-urlencoded`). Each value is a scalar,
 * converted to text (`bar: 123` sends `bar=123`), or a list of scalars, which repeats the key
 * (`tag: [a, b]` sends `tag=a&tag=b`). Empty values and nested maps are errors.
 *
 * Form.decode({ foo: 'bar', n: 1, tag: ['a', 'b'] })   // Right({ foo: 'bar', n: '1', tag: ['a', 'b'] })
 */
export const Form = withJsonSchema(
  new t.Type<{ [k: string]: string | string[] }, { [k: string]: string | string[] }, unknown>(
    'a map of form fields',
    (u): u is { [k: string]: string | string[] } =>
      isPlainMap(u) && Object.values(u).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))),
    (u, c) => {
      if (!isPlainMap(u)) return t.failure(u, c);
      const errors: t.Errors = [];
      const out: { [k: string]: string | string[] } = {};
      for (const [key, value] of Object.entries(u)) {
        const at = t.appendContext(c, key, FormValue, value);
        if (Array.isArray(value)) {
          const texts: string[] = [];
          value.forEach((item, i) => {
            const text = scalarText(item);
            if (text === undefined) errors.push({ value: item, context: t.appendContext(at, String(i), FormScalar, item) });
            else texts.push(text);
          });
          out[key] = texts;
          continue;
        }
        const text = scalarText(value);
        if (text === undefined) errors.push({ value, context: at });
        else out[key] = text;
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out);
    },
    (a) => a,
  ),
  {
    schema: () => ({
      type: 'object',
      additionalProperties: {
        anyOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'array', items: { type: ['string', 'number', 'boolean'] } }],
      },
    }),
  },
);
export type Form = { [k: string]: string | string[] };

const FormScalar = new t.Type<string, string, unknown>(
  'a form value (string, number or boolean)',
  (u): u is string => typeof u === 'string',
  (u, c) => t.failure(u, c),
  (a) => a,
);

const FormValue = new t.Type<string | string[], string | string[], unknown>(
  'a form value (string, number, boolean, or a list of them)',
  (u): u is string | string[] => typeof u === 'string' || Array.isArray(u),
  (u, c) => t.failure(u, c),
  (a) => a,
);
