import * as t from 'io-ts';
import { type JsonSchema, withJsonSchema } from './with-json-schema.js';

/**
 * Adds a cross-field rule to a codec: once `codec` succeeds, `check` looks at the decoded value
 * and returns the errors it finds (an empty array when the value is fine). The result keeps the
 * codec's name, so error messages still say what was expected.
 *
 * Use it for rules that no single key can express: "exactly one of json_path or header",
 * "at least one matcher", "body or form, not both". Build each error with
 * `{ value, context: t.appendContext(c, key, codec, value), message }` to place it on a key, or
 * with `c` itself to place it on the whole map. Such errors are marked as rule errors
 * ({@link Rule}): the message says it all, so reports show no expected/found for them.
 *
 * `rule` is the same rule in JSON Schema, for the suite's schema (`{ not: { required: ['body',
 * 'form'] } }`): it is added to the codec's schema. Without it, the schema is the codec's alone,
 * which accepts what the rule rejects.
 *
 * const Range = withCheck(strictType('range map', { min: t.number, max: t.number }), (r, c) =>
 *   r.min <= r.max ? [] : [{ value: r, context: c, message: 'min must not exceed max' }]);
 */
export function withCheck<A, O>(
  codec: t.Type<A, O, unknown>,
  check: (value: A, input: unknown, context: t.Context) => t.Errors,
  rule?: JsonSchema,
): t.Type<A, O, unknown> {
  const checked = new t.Type<A, O, unknown>(
    codec.name,
    (u): u is A => codec.is(u),
    (u, c) => {
      const result = codec.validate(u, c);
      if (result._tag === 'Left') return result;
      const errors = check(result.right, u, c);
      return errors.length > 0 ? t.failures(errors.map(asRuleError)) : result;
    },
    (a) => codec.encode(a),
  );
  return withJsonSchema(checked, { schema: (walk) => (rule === undefined ? walk(codec) : withRule(walk(codec), rule)) });
}

/** `schema` and `rule` in one: side by side when no keyword clashes (and no `$ref`), else under `allOf`. */
function withRule(schema: JsonSchema, rule: JsonSchema): JsonSchema {
  const clash = '$ref' in schema || Object.keys(rule).some((k) => k in schema);
  return clash ? { allOf: [schema, rule] } : { ...schema, ...rule };
}

/**
 * Marks the last context entry of an error raised by a cross-field rule. The reporter shows
 * the message alone for these (an "expected a save map, found a map" would be noise).
 */
export const Rule = new t.Type<never, never, unknown>(
  'a rule',
  (_u): _u is never => false,
  (u, c) => t.failure(u, c),
  (a) => a,
);

function asRuleError(error: t.ValidationError): t.ValidationError {
  const last = error.context[error.context.length - 1];
  if (last === undefined) return error;
  const context = [...error.context.slice(0, -1), { key: last.key, type: Rule, actual: last.actual }];
  return { ...error, context };
}
