import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { orTemplateString } from './templatable.js';
import { type JsonSchema, withJsonSchema } from './with-json-schema.js';

/**
 * A string field checked when the file is decoded, so that a mistake is reported with its line;
 * a string holding a template is only known once rendered, is accepted as written
 * ({@link orTemplateString}) and checked when the step runs. `check` returns the decoded value
 * (the string, or a normalised form of it) or what is wrong with it.
 *
 * const Upper = checkedString('an upper-case word', (s) => (/^[A-Z]+$/.test(s) ? E.right(s) : E.left(`"${s}" is not upper-case`)));
 * Upper.decode('GET')             // Right('GET')
 * Upper.decode('{{ .vars.m }}')   // Right('{{ .vars.m }}')
 * Upper.decode('get')             // Left: "get" is not upper-case
 *
 * `schema` is the JSON Schema of the strings the check accepts, as closely as JSON Schema can
 * say it (default: any string); a template is accepted besides.
 */
export function checkedString(
  name: string,
  check: (s: string) => E.Either<string, string>,
  schema: JsonSchema = { type: 'string' },
): t.Type<string, string, unknown> {
  const checked = new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string',
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c);
      const result = check(u);
      return E.isLeft(result) ? t.failure(u, c, result.left) : t.success(result.right);
    },
    (a) => a,
  );
  return orTemplateString(withJsonSchema(checked, { schema: () => schema }));
}
