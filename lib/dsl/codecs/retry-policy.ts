import * as t from 'io-ts';
import { boundedNumber } from './bounded-number.js';
import { Duration } from './duration.js';
import { list } from './list.js';
import { strictType } from './strict-type.js';
import { type Templatable, templatable } from './templatable.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * How a failed step is run again (Rocketship's `retry`, after Temporal's retry policy).
 *
 * ```yaml
 * retry:
 *   initial_interval: "1s"
 *   maximum_interval: "5s"
 *   maximum_attempts: 3          # total runs, the first included
 *   backoff_coefficient: 2.0
 *   non_retryable_errors: ["ValidationError"]
 * ```
 */
export interface RetryPolicy {
  /** Wait before the second run, in ms. */
  initial_interval?: Templatable<number>;
  /** Cap on the grown wait, in ms. */
  maximum_interval?: Templatable<number>;
  /** Total runs of the step, the first included; a whole number >= 1. */
  maximum_attempts?: Templatable<number>;
  /** Multiplier applied to the wait after each run; >= 1. */
  backoff_coefficient?: Templatable<number>;
  /** Error kinds that are not retried. */
  non_retryable_errors?: string[];
}

/** The codecs of the retry fields that may be templates, without the template case (see `PollingFields`). */
export const RetryFields = {
  initial_interval: Duration,
  maximum_interval: Duration,
  maximum_attempts: boundedNumber({
    label: 'maximum_attempts',
    integer: true,
    min: 1,
    belowMin: (n) => `maximum_attempts must be at least 1 (it counts every run, the first included), found ${n}`,
  }),
  backoff_coefficient: boundedNumber({
    label: 'backoff_coefficient',
    min: 1,
    belowMin: (n) =>
      `backoff_coefficient must be at least 1 (1 keeps the interval constant; a smaller value would shrink the wait), found ${n}`,
  }),
} as const;

export const RetryPolicy: t.Type<RetryPolicy, unknown, unknown> = withJsonSchema(
  strictType(
    'a retry map',
    {},
    {
      initial_interval: templatable(RetryFields.initial_interval),
      maximum_interval: templatable(RetryFields.maximum_interval),
      maximum_attempts: templatable(RetryFields.maximum_attempts),
      backoff_coefficient: templatable(RetryFields.backoff_coefficient),
      non_retryable_errors: list(t.string, 'string'),
    },
  ),
  { id: 'RetryPolicy' },
);
