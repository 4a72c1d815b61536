import * as t from 'io-ts';
import { hasTemplate, TEMPLATE_PATTERN } from '../../template/has-template.js';
import { isTemplate, type Templatable } from '../../template/template.js';
import { type JsonSchema, type SchemaWalk, withJsonSchema } from './with-json-schema.js';

export { isTemplate, type Template, type Templatable } from '../../template/template.js';

/**
 * Wraps the codec of a field that is not a string (a number, a duration) so that it may also
 * be given as a string containing a template (`{{ ... }}`). Such a string decodes to
 * `{ _tag: 'Template', source }`; anything else goes to `codec`, whose errors are reported
 * unchanged. String fields need no wrapper: templates in them stay part of the string.
 *
 * const Attempts = templatable(PositiveInteger);
 * Attempts.decode(5)                     // Right(5)
 * Attempts.decode('{{ .vars.n }}')       // Right({ _tag: 'Template', source: '{{ .vars.n }}' })
 * Attempts.decode('5')                   // Left: the codec's error
 */
export function templatable<A, O>(codec: t.Type<A, O, unknown>): t.Type<Templatable<A>, O | string, unknown> {
  const templated = new t.Type<Templatable<A>, O | string, unknown>(
    codec.name,
    (u): u is Templatable<A> => isTemplate(u) || codec.is(u),
    (u, c) => (typeof u === 'string' && hasTemplate(u) ? t.success({ _tag: 'Template', source: u }) : codec.validate(u, c)),
    (a) => (isTemplate(a) ? a.source : codec.encode(a)),
  );
  return withJsonSchema(templated, { schema: (walk) => orTemplateSchema(walk, codec) });
}

/**
 * For fields that keep their YAML type (`expected`, `greater_than`): a string containing a
 * template is kept as that raw string (the runtime renders it, and a single template keeps the
 * variable's type); anything else must satisfy `codec`.
 *
 * const Status = orTemplateString(StatusCodeNumber);
 * Status.decode(200)              // Right(200)
 * Status.decode('{{ code }}')     // Right('{{ code }}')
 */
export function orTemplateString<A, O>(codec: t.Type<A, O, unknown>): t.Type<A | string, O | string, unknown> {
  const templated = new t.Type<A | string, O | string, unknown>(
    codec.name,
    (u): u is A | string => (typeof u === 'string' && hasTemplate(u)) || codec.is(u),
    (u, c) => (typeof u === 'string' && hasTemplate(u) ? t.success(u) : codec.validate(u, c)),
    (a) => (typeof a === 'string' && hasTemplate(a) ? a : codec.encode(a as A)),
  );
  return withJsonSchema(templated, { schema: (walk) => orTemplateSchema(walk, codec) });
}

/**
 * A string holding a template (`{{ ... }}`, not escaped): what {@link templatable} and
 * {@link orTemplateString} accept besides their codec's values. Its JSON Schema is the
 * definition `Template`.
 */
export const TemplateString = withJsonSchema(
  new t.Type<string, string, unknown>(
    'a string holding a template ({{ ... }})',
    (u): u is string => typeof u === 'string' && hasTemplate(u),
    (u, c) => (typeof u === 'string' && hasTemplate(u) ? t.success(u) : t.failure(u, c)),
    (a) => a,
  ),
  { id: 'Template', schema: () => ({ type: 'string', pattern: TEMPLATE_PATTERN }) },
);

/** The codec's schema or a template; a string schema with no rule already takes templates. */
function orTemplateSchema(walk: SchemaWalk, codec: t.Mixed): JsonSchema {
  const own = walk(codec);
  const keys = Object.keys(own);
  if (keys.length === 1 && own['type'] === 'string') return own;
  return { anyOf: [own, walk(TemplateString)] };
}
