import * as t from 'io-ts';
import { hasOwn, isPlainMap } from '../describe-value.js';
import { boundedNumber } from './bounded-number.js';
import { JsonPathString } from './json-path-string.js';
import { unsupportedMessage } from './keyword.js';
import { MATCHER_KEYS, type Matchers, matcherProps } from './matchers.js';
import { NonEmptyString } from './non-empty-string.js';
import { strictType } from './strict-type.js';
import { orTemplateString } from './templatable.js';
import { withCheck } from './with-check.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * One condition or assertion: what to look at (`type`) and the matchers it must satisfy.
 * Polling `conditions`, `fail_conditions` and step `assertions` all use this model.
 *
 * ```yaml
 * - type: status_code        # the response status
 *   expected: 200
 * - type: json_path          # a value in the JSON body
 *   path: ".status"
 *   expected: "completed"
 * - type: header             # a response header (name case-insensitive)
 *   name: "X-Job-Status"
 *   exists: true
 * ```
 *
 * `path` is checked when the file is decoded (unless it holds a template). A `status_code`
 * check's `expected` and `not_equals` must be whole numbers (or templates); it has no `exists`.
 */
export type Check =
  | ({ type: 'status_code' } & Matchers)
  | ({ type: 'json_path'; path: string } & Matchers)
  | ({ type: 'header'; name: string } & Matchers)
  | SqlCheckMember;

/**
 * The checks of a `sql` step's result (see `SqlCheck`, which decodes them on `sql` steps only):
 * `row_count` of the statement at `query_index`, `query_count` and `success_count` of the step,
 * `column_value` of one row's column.
 */
export type SqlCheckMember =
  | ({ type: 'row_count'; query_index: number } & Matchers)
  | ({ type: 'query_count' } & Matchers)
  | ({ type: 'success_count' } & Matchers)
  | ({ type: 'column_value'; query_index: number; row_index: number; column: string } & Matchers);

const CHECK_TYPES = ['status_code', 'json_path', 'header'] as const;

const StatusCodeNumber = orTemplateString(boundedNumber({ label: 'a status code', integer: true, min: 100, max: 599 }));

const members: Readonly<Record<(typeof CHECK_TYPES)[number], t.Type<Check, unknown, unknown>>> = {
  status_code: atLeastOneMatcher(
    'StatusCodeCheck',
    'status_code',
    strictType(
      'a status_code check map',
      { type: t.literal('status_code') },
      { ...matcherProps, expected: StatusCodeNumber, not_equals: StatusCodeNumber },
    ),
  ),
  json_path: atLeastOneMatcher(
    'JsonPathCheck',
    'json_path',
    strictType('a json_path check map', { type: t.literal('json_path'), path: JsonPathString }, withExists(matcherProps)),
  ),
  header: atLeastOneMatcher(
    'HeaderCheck',
    'header',
    strictType('a header check map', { type: t.literal('header'), name: NonEmptyString }, withExists(matcherProps)),
  ),
};

/**
 * Decodes a {@link Check}: a tagged union chosen by `type`, each member a strict map. An
 * unknown `type` is one error on that value listing the supported ones; the other keys of such
 * a check are not examined (their meaning depends on the type).
 */
export const Check = withJsonSchema(
  new t.Type<Check, unknown, unknown>(
    'a check map (type: status_code, json_path or header)',
    (u): u is Check => CHECK_TYPES.some((k) => members[k].is(u)),
    (u, c) => {
      if (!isPlainMap(u)) return t.failure(u, c);
      if (!hasOwn(u, 'type')) {
        const context = t.appendContext(c, 'type', TypeKey, undefined);
        return t.failure(undefined, context, `missing required key "type" (one of ${CHECK_TYPES.join(', ')})`);
      }
      const kind = u['type'];
      const member =
        typeof kind === 'string' && (CHECK_TYPES as readonly string[]).includes(kind)
          ? members[kind as (typeof CHECK_TYPES)[number]]
          : undefined;
      if (member === undefined) {
        return t.failure(kind, t.appendContext(c, 'type', TypeKey, kind), unsupportedMessage('check type', kind, CHECK_TYPES));
      }
      return member.validate(u, c);
    },
    (a) => a,
  ),
  {
    id: 'Check',
    // `type` picks the member; an editor offers the types from the enum.
    schema: (walk) => ({
      type: 'object',
      properties: { type: { enum: [...CHECK_TYPES] } },
      required: ['type'],
      allOf: CHECK_TYPES.map((kind) => ({
        if: { type: 'object', properties: { type: { const: kind } }, required: ['type'] },
        then: walk(members[kind]),
      })),
    }),
  },
);

const TypeKey = new t.Type<string, string, unknown>(
  `one of ${CHECK_TYPES.join(', ')}`,
  (u): u is string => typeof u === 'string',
  (u, c) => t.failure(u, c),
  (a) => a,
);

export function atLeastOneMatcher<A extends object>(
  id: string,
  kind: string,
  codec: t.Type<A, unknown, unknown>,
): t.Type<Check, unknown, unknown> {
  const allowed = kind === 'status_code' ? MATCHER_KEYS.filter((k) => k !== 'exists') : MATCHER_KEYS;
  const checked = withCheck(
    codec,
    (value, input, c) =>
      allowed.some((k) => hasOwn(value, k))
        ? []
        : [{ value: input, context: c, message: `a ${kind} check needs at least one matcher: ${allowed.join(', ')}` }],
    { anyOf: allowed.map((k) => ({ required: [k] })) },
  );
  return withJsonSchema(checked, { id }) as unknown as t.Type<Check, unknown, unknown>;
}

/** The matcher props with `exists` after `expected`, so messages list keys in a natural order. */
export function withExists(props: typeof matcherProps): t.Props {
  const { expected, ...rest } = props;
  return { expected, exists: t.boolean, ...rest };
}
