import * as t from 'io-ts';
import type { Json } from '../../json.js';
import { hasOwn } from '../describe-value.js';
import { Duration } from './duration.js';
import { Form } from './form.js';
import { Headers } from './headers.js';
import { HttpBody } from './http-body.js';
import { HttpMethod } from './http-method.js';
import { HttpUrl } from './http-url.js';
import { OpenApiStepConfig, type OpenApiConfig } from './openapi-config.js';
import { Polling } from './polling.js';
import { strictType } from './strict-type.js';
import { type Templatable, templatable } from './templatable.js';
import { withCheck } from './with-check.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * The `config` of an `http` step: one request, or a poll of requests when `polling` is set.
 *
 * ```yaml
 * config:
 *   method: "POST"
 *   url: "https://api.example.com/jobs"
 *   headers:
 *     X-Test-Session: "abc"
 *   body: '{"data": "process this"}'    # or a YAML map/list, sent as JSON
 *   timeout: "10s"                      # per request
 * ```
 */
export interface HttpConfig {
  /** Upper-cased HTTP method (or a template). */
  method: string;
  /** Absolute http(s) URL; may hold templates. */
  url: string;
  /** Header values as text: numbers and booleans are converted. */
  headers?: { [name: string]: string };
  /** A string is sent as is; a map or list is sent as JSON. Not together with `form`. */
  body?: string | Json;
  /** Url-encoded form fields; a list value repeats the key. Not together with `body`. */
  form?: { [k: string]: string | string[] };
  /** Timeout of each request, in ms. */
  timeout?: Templatable<number>;
  /** Skip TLS certificate verification for this step. Default false. */
  insecure?: boolean;
  /** Repeat the request until conditions hold. */
  polling?: Polling;
  /** OpenAPI contract validation of this step, over the suite's `openapi`. */
  openapi?: OpenApiConfig;
}

const HttpConfigMap = strictType(
  'an http config map (method, url, ...)',
  { method: HttpMethod, url: HttpUrl },
  {
    headers: Headers,
    body: HttpBody,
    form: Form,
    timeout: templatable(Duration),
    insecure: t.boolean,
    polling: Polling,
    openapi: OpenApiStepConfig,
  },
);

export const HttpConfig: t.Type<HttpConfig, unknown, unknown> = withJsonSchema(
  withCheck(
    HttpConfigMap,
    (value, _input, c) =>
      hasOwn(value, 'body') && hasOwn(value, 'form')
        ? [
            {
              value: value.form,
              context: t.appendContext(c, 'form', Form, value.form),
              message: 'a request has either a body or a form, not both',
            },
          ]
        : [],
    { not: { required: ['body', 'form'] } },
  ),
  { id: 'HttpConfig' },
);
