import * as t from 'io-ts';
import { hasOwn, isPlainMap } from '../describe-value.js';
import { boundedNumber } from './bounded-number.js';
import { atLeastOneMatcher, Check, withExists } from './check.js';
import { unsupportedMessage } from './keyword.js';
import { matcherProps } from './matchers.js';
import { NonEmptyString } from './non-empty-string.js';
import { strictType } from './strict-type.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * One assertion or polling condition of a `sql` step: Rocketship's four SQL checks, plus
 * `json_path` into the step's result (`.queries[0].rows[0].status`, `.stats.error_count`).
 * Each takes the same matchers as an HTTP check (`expected`, `greater_than`, `one_of`, ...), so
 * `expected` compares typed and strict: `expected: 1` is the number 1, not `"1"`.
 *
 * ```yaml
 * - type: row_count          # rows returned by the statement at query_index
 *   query_index: 0
 *   expected: 1
 * - type: query_count        # statements run
 *   expected: 3
 * - type: success_count      # statements that did not fail
 *   expected: 3
 * - type: column_value       # one value of one row
 *   query_index: 0
 *   row_index: 0
 *   column: "status"
 *   expected: "shipped"
 * ```
 */
export type SqlCheck = Check;

const SQL_CHECK_TYPES = ['row_count', 'query_count', 'success_count', 'column_value', 'json_path'] as const;

const Index = (label: string) => boundedNumber({ label, integer: true, min: 0 });

const members: Readonly<Record<(typeof SQL_CHECK_TYPES)[number], t.Type<Check, unknown, unknown>>> = {
  row_count: atLeastOneMatcher(
    'RowCountCheck',
    'row_count',
    strictType(
      'a row_count check map (query_index and a matcher)',
      { type: t.literal('row_count'), query_index: Index('query_index') },
      matcherProps,
    ),
  ),
  query_count: atLeastOneMatcher(
    'QueryCountCheck',
    'query_count',
    strictType('a query_count check map', { type: t.literal('query_count') }, matcherProps),
  ),
  success_count: atLeastOneMatcher(
    'SuccessCountCheck',
    'success_count',
    strictType('a success_count check map', { type: t.literal('success_count') }, matcherProps),
  ),
  column_value: atLeastOneMatcher(
    'ColumnValueCheck',
    'column_value',
    strictType(
      'a column_value check map (query_index, row_index, column and a matcher)',
      { type: t.literal('column_value'), query_index: Index('query_index'), row_index: Index('row_index'), column: NonEmptyString },
      withExists(matcherProps),
    ),
  ),
  json_path: Check,
};

/** Decodes a {@link SqlCheck}: a tagged union chosen by `type`; any other `type` is one error listing these. */
export const SqlCheck = withJsonSchema(
  new t.Type<Check, unknown, unknown>(
    'a sql check map (type: row_count, query_count, success_count, column_value or json_path)',
    (u): u is Check => SQL_CHECK_TYPES.some((k) => members[k].is(u)),
    (u, c) => {
      if (!isPlainMap(u)) return t.failure(u, c);
      if (!hasOwn(u, 'type')) {
        return t.failure(
          undefined,
          t.appendContext(c, 'type', TypeKey, undefined),
          `missing required key "type" (one of ${SQL_CHECK_TYPES.join(', ')})`,
        );
      }
      const kind = u['type'];
      const member =
        typeof kind === 'string' && (SQL_CHECK_TYPES as readonly string[]).includes(kind)
          ? members[kind as (typeof SQL_CHECK_TYPES)[number]]
          : undefined;
      if (member === undefined) {
        const message =
          kind === 'status_code' || kind === 'header'
            ? `check type "${kind}" is for http steps; a sql step checks ${SQL_CHECK_TYPES.join(', ')}`
            : unsupportedMessage('sql check type', kind, SQL_CHECK_TYPES);
        return t.failure(kind, t.appendContext(c, 'type', TypeKey, kind), message);
      }
      return member.validate(u, c);
    },
    (a) => a,
  ),
  {
    id: 'SqlCheck',
    schema: (walk) => ({
      type: 'object',
      properties: { type: { enum: [...SQL_CHECK_TYPES] } },
      required: ['type'],
      allOf: SQL_CHECK_TYPES.map((kind) => ({
        if: { type: 'object', properties: { type: { const: kind } }, required: ['type'] },
        then: walk(members[kind]),
      })),
    }),
  },
);

const TypeKey = new t.Type<string, string, unknown>(
  `one of ${SQL_CHECK_TYPES.join(', ')}`,
  (u): u is string => typeof u === 'string',
  (u, c) => t.failure(u, c),
  (a) => a,
);
