import * as t from 'io-ts';
import { strictType } from './strict-type.js';

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

export const LogConfig: t.Type<LogConfig, unknown, unknown> = strictType('a log config map (message)', { message: t.string });
