import * as t from 'io-ts';
import type { Json } from '../../json.js';
import { cleanupCodec, type Cleanup } from './cleanup.js';
import { JsonMap } from './json-value.js';
import { list } from './list.js';
import { NonEmptyString } from './non-empty-string.js';
import { OpenApiSuiteConfig } from './openapi-config.js';
import { Step } from './step.js';
import { strictType } from './strict-type.js';
import { withJsonSchema } from './with-json-schema.js';
import { testCodec, type Test } from './test.js';

/**
 * A suite file: the whole of a `rocketship.yaml`.
 *
 * ```yaml
 * name: "Jobs API"                  # required
 * description: "Submits a job and waits for it"
 * vars:                             # any YAML values, read as {{ .vars.x }}
 *   base_url: "https://api.example.com"
 * init: [...]                       # steps run once before the tests
 * tests: [...]                      # at least one
 * cleanup: { always: [...], on_failure: [...] }
 * ```
 */
export interface Suite {
  name: string;
  description?: string;
  vars?: { [k: string]: Json };
  /** OpenAPI contract validation: the defaults of every `http` step. */
  openapi?: OpenApiSuiteConfig;
  init?: Step[];
  tests: Test[];
  cleanup?: Cleanup;
}

/** Builds the suite codec around a step codec (see `stepCodec`). */
export function suiteCodec(step: t.Type<Step, unknown, unknown> = Step): t.Type<Suite, unknown, unknown> {
  return withJsonSchema(
    strictType(
      'a suite map (name, tests, ...)',
      { name: NonEmptyString, tests: list(testCodec(step), 'test', { min: 1 }) },
      { description: t.string, vars: JsonMap, openapi: OpenApiSuiteConfig, init: list(step, 'step'), cleanup: cleanupCodec(step) },
    ),
    { id: 'Suite' },
  );
}

export const Suite: t.Type<Suite, unknown, unknown> = suiteCodec();
