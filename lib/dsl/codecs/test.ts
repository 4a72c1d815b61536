import * as t from 'io-ts';
import { cleanupCodec, type Cleanup } from './cleanup.js';
import { list } from './list.js';
import { NonEmptyString } from './non-empty-string.js';
import { Step } from './step.js';
import { strictType } from './strict-type.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * One test of a suite: `init` steps, then `steps` (at least one), then `cleanup`. Variables
 * saved by a step are visible to the steps after it in the same test.
 */
export interface Test {
  name: string;
  init?: Step[];
  steps: Step[];
  cleanup?: Cleanup;
}

/** Builds the test codec around a step codec (see `stepCodec`). */
export function testCodec(step: t.Type<Step, unknown, unknown> = Step): t.Type<Test, unknown, unknown> {
  return withJsonSchema(
    strictType(
      'a test map (name, steps)',
      { name: NonEmptyString, steps: list(step, 'step', { min: 1 }) },
      { init: list(step, 'step'), cleanup: cleanupCodec(step) },
    ),
    { id: 'Test' },
  );
}

export const Test: t.Type<Test, unknown, unknown> = testCodec();
