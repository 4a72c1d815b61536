import * as t from 'io-ts';
import { strictType } from './strict-type.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * The `config` of a `log` step: print a message (templates rendered) and pass.
 *
 * ```yaml
 * config:
 *   message: "Created user {{ user_id }}"
 * ```
 */
export interface LogConfig {
  message: string;
}

export const LogConfig: t.Type<LogConfig, unknown, unknown> = withJsonSchema(
  strictType('a log config map (message)', { message: t.string }),
  {
    id: 'LogConfig',
  },
);
