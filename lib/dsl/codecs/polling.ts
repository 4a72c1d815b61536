import * as t from 'io-ts';
import { boundedNumber } from './bounded-number.js';
import { Check } from './check.js';
import { Duration } from './duration.js';
import { list } from './list.js';
import { strictType } from './strict-type.js';
import { type Templatable, templatable } from './templatable.js';
import { withCheck } from './with-check.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * How an HTTP step polls until its conditions hold (see `shared/spec/async-polling.md`).
 *
 * ```yaml
 * polling:
 *   interval: "2s"              # wait before the 2nd attempt (required)
 *   timeout: "5m"               # deadline for the whole poll, from the first request (required)
 *   max_attempts: 30            # cap on requests, the first included (optional)
 *   backoff_coefficient: 1.2    # each wait is the previous one times this (optional, default 1)
 *   conditions:                 # all must hold to stop polling (at least one)
 *     - type: status_code
 *       expected: 200
 * ```
 *
 * Numbers and durations may be templates (`max_attempts: "{{ .vars.n }}"`), checked again
 * once rendered.
 */
export interface Polling {
  /** Wait before the second attempt, in ms; later waits grow by `backoff_coefficient`. Greater than 0. */
  interval: Templatable<number>;
  /** Deadline for the whole poll in ms, measured from the first request. Greater than 0. */
  timeout: Templatable<number>;
  /** Most requests sent, the first included; a whole number >= 1. Absent: only the timeout limits. */
  max_attempts?: Templatable<number>;
  /** Multiplier applied to the wait after each attempt; >= 1, default 1 (constant interval). */
  backoff_coefficient?: Templatable<number>;
  /** Cap on the grown wait, in ms. */
  max_interval?: Templatable<number>;
  /** Random spread of each wait, as a fraction from 0 to 1 (0.2: up to 20% shorter or longer). */
  jitter?: Templatable<number>;
  /** Conditions that must all hold to end the poll successfully. At least one. */
  conditions: Check[];
  /** Conditions of which any, when it holds, ends the poll at once as a failure. */
  fail_conditions?: Check[];
}

const positiveDuration = (label: string): t.Type<number, string, unknown> =>
  withJsonSchema(
    withCheck(
      Duration,
      (ms, input, c) =>
        ms > 0 ? [] : [{ value: input, context: c, message: `${label} must be greater than 0, found ${JSON.stringify(input)}` }],
      // A duration is greater than 0 when one of its digits is.
      { type: 'string', pattern: '[1-9]' },
    ),
    { id: 'PositiveDuration' },
  );

/**
 * The codecs of the polling fields that may be templates, without the template case: the
 * runtime decodes a rendered value with these (`PollingFields.max_attempts.decode(rendered)`),
 * so a rendered value is held to the same rules as a literal one.
 */
export const PollingFields = {
  interval: positiveDuration('interval'),
  timeout: positiveDuration('timeout'),
  max_attempts: boundedNumber({
    label: 'max_attempts',
    integer: true,
    min: 1,
    belowMin: (n) =>
      `max_attempts must be at least 1 (it counts every request, the first included), found ${n}; to poll with no cap besides the timeout, omit max_attempts`,
  }),
  backoff_coefficient: boundedNumber({
    label: 'backoff_coefficient',
    min: 1,
    belowMin: (n) =>
      `backoff_coefficient must be at least 1 (1 keeps the interval constant; a smaller value would shrink the wait), found ${n}`,
  }),
  max_interval: positiveDuration('max_interval'),
  jitter: boundedNumber({ label: 'jitter', min: 0, max: 1 }),
} as const;

export const Polling: t.Type<Polling, unknown, unknown> = pollingCodec(Check, 'Polling');

/**
 * The `polling` codec of a step kind whose conditions are decoded by `check` (the `http` step's
 * {@link Check}, the `sql` step's `SqlCheck`): the timing fields are the same for every kind.
 * `id` names it in the suite's JSON Schema.
 */
export function pollingCodec(check: t.Type<Check, unknown, unknown>, id: string): t.Type<Polling, unknown, unknown> {
  return withJsonSchema(
    strictType(
      'a polling map',
      {
        interval: templatable(PollingFields.interval),
        timeout: templatable(PollingFields.timeout),
        conditions: list(check, 'condition', { min: 1 }),
      },
      {
        max_attempts: templatable(PollingFields.max_attempts),
        backoff_coefficient: templatable(PollingFields.backoff_coefficient),
        max_interval: templatable(PollingFields.max_interval),
        jitter: templatable(PollingFields.jitter),
        fail_conditions: list(check, 'condition'),
      },
    ),
    { id },
  );
}
