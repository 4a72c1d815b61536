import * as t from 'io-ts';
import { Duration } from './duration.js';
import { NonEmptyString } from './non-empty-string.js';
import { strictType } from './strict-type.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * OpenAPI contract validation of `http` steps, as Rocketship writes it. At the suite level it
 * sets the defaults of every `http` step (`spec` required there); an `http` step's
 * `config.openapi` overrides them key by key and may name the `operation_id` the request must
 * match.
 *
 * ```yaml
 * openapi:                                  # suite level
 *   spec: "./openapi.yaml"                  # a file (working directory, then the suite's folder) or an http(s) URL; templated
 *   version: "2024-01"                      # part of the cache key
 *   validate_request: true                  # default true
 *   validate_response: true                 # default true
 *   cache_ttl: "30m"                        # default 30m
 * ```
 */
export interface OpenApiConfig {
  spec?: string;
  version?: string;
  validate_request?: boolean;
  validate_response?: boolean;
  /** In ms. */
  cache_ttl?: number;
  /** Step level only: the operation the request must match. */
  operation_id?: string;
}

/** The suite's `openapi`: `spec` required, no `operation_id`. */
export interface OpenApiSuiteConfig extends Omit<OpenApiConfig, 'spec' | 'operation_id'> {
  spec: string;
}

const FIELDS = {
  version: t.string,
  validate_request: t.boolean,
  validate_response: t.boolean,
  cache_ttl: Duration,
};

/** The suite's `openapi`: `spec` is required. */
export const OpenApiSuiteConfig: t.Type<OpenApiSuiteConfig, unknown, unknown> = withJsonSchema(
  strictType('an openapi map (spec, version, validate_request, validate_response, cache_ttl)', { spec: NonEmptyString }, FIELDS),
  { id: 'OpenApiSuiteConfig' },
);

/** An `http` step's `config.openapi`: every key optional, `operation_id` allowed. */
export const OpenApiStepConfig: t.Type<OpenApiConfig, unknown, unknown> = withJsonSchema(
  strictType(
    'an openapi map (spec, operation_id, version, validate_request, validate_response, cache_ttl)',
    {},
    { spec: NonEmptyString, operation_id: NonEmptyString, ...FIELDS },
  ),
  { id: 'OpenApiStepConfig' },
);
