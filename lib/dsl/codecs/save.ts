import * as t from 'io-ts';
import { hasOwn } from '../describe-value.js';
import { JsonPathString } from './json-path-string.js';
import { NonEmptyString } from './non-empty-string.js';
import { strictType } from './strict-type.js';
import { withCheck } from './with-check.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * Saves a value of a step's response as a variable for later steps (`{{ as }}`).
 * Exactly one source: `json_path` (a value of the JSON body, keeping its JSON type) or
 * `header` (a response header, case-insensitive). `required` (default `true`) fails the step
 * when the source is missing; with `required: false` the variable is simply not set.
 *
 * ```yaml
 * save:
 *   - json_path: ".job_id"
 *     as: "job_id"
 *   - header: "Location"
 *     as: "job_url"
 *     required: false
 * ```
 */
export type Save =
  | { json_path: string; as: string; required?: boolean }
  | { header: string; as: string; required?: boolean }
  | { sql_result: string; as: string; required?: boolean };

/**
 * A `sql` step's save: `sql_result`, a jq path into the step's result (Rocketship's
 * `.queries[0].rows[0].id`, `.queries[0].rows_affected`, `.stats.success_count`), keeping the
 * value's JSON type; `required` as for any save.
 *
 * ```yaml
 * save:
 *   - sql_result: ".queries[0].rows[0].id"
 *     as: "user_id"
 * ```
 */
export const SqlSave: t.Type<Save, unknown, unknown> = withJsonSchema(
  strictType('a sql save map (sql_result and as)', { sql_result: JsonPathString, as: NonEmptyString }, { required: t.boolean }) as t.Type<
    Save,
    unknown,
    unknown
  >,
  { id: 'SqlSave' },
);

const SaveMap = strictType(
  'a save map (json_path or header, and as)',
  { as: NonEmptyString },
  { json_path: JsonPathString, header: NonEmptyString, required: t.boolean },
);

export const Save: t.Type<Save, unknown, unknown> = withJsonSchema(
  withCheck(
    SaveMap,
    (value, input, c) => {
      const hasPath = hasOwn(value, 'json_path');
      const hasHeader = hasOwn(value, 'header');
      if (hasPath && hasHeader) {
        const header = value.header;
        return [
          {
            value: header,
            context: t.appendContext(c, 'header', NonEmptyString, header),
            message: 'a save takes one source, json_path or header, not both',
          },
        ];
      }
      if (!hasPath && !hasHeader) return [{ value: input, context: c, message: 'a save needs a source: add json_path or header' }];
      return [];
    },
    { oneOf: [{ required: ['json_path'] }, { required: ['header'] }] },
  ) as t.Type<Save, unknown, unknown>,
  { id: 'Save' },
);
