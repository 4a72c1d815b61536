import * as t from 'io-ts';
import { Duration } from './duration.js';
import { strictType } from './strict-type.js';
import { type Templatable, templatable } from './templatable.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * The `config` of a `delay` step: wait, then pass.
 *
 * ```yaml
 * config:
 *   duration: "500ms"    # or "{{ .vars.timeout }}s"
 * ```
 */
export interface DelayConfig {
  /** How long to wait, in ms. */
  duration: Templatable<number>;
}

export const DelayConfig: t.Type<DelayConfig, unknown, unknown> = withJsonSchema(
  strictType('a delay config map (duration)', { duration: templatable(Duration) }),
  { id: 'DelayConfig' },
);
