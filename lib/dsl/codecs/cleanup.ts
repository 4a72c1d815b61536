import * as t from 'io-ts';
import { list } from './list.js';
import { Step } from './step.js';
import { strictType } from './strict-type.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * Steps run after a test (or after all tests, at suite level): `on_failure` first, only when
 * something failed, then `always`, whatever happened.
 *
 * ```yaml
 * cleanup:
 *   on_failure:
 *     - { name: "Dump state", plugin: log, config: { message: "failed" } }
 *   always:
 *     - { name: "Delete user", plugin: http, config: { method: DELETE, url: "https://api/users/{{ id }}" } }
 * ```
 */
export interface Cleanup {
  always?: Step[];
  on_failure?: Step[];
}

/** Builds the cleanup codec around a step codec (see `stepCodec`). */
export function cleanupCodec(step: t.Type<Step, unknown, unknown> = Step): t.Type<Cleanup, unknown, unknown> {
  return withJsonSchema(
    strictType('a cleanup map (always, on_failure)', {}, { always: list(step, 'step'), on_failure: list(step, 'step') }),
    { id: 'Cleanup' },
  );
}

export const Cleanup: t.Type<Cleanup, unknown, unknown> = cleanupCodec();
