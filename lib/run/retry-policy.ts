import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { RetryPolicy } from '../dsl/index.js';
import { RetryFields } from '../dsl/codecs/retry-policy.js';
import type { TemplateContext } from '../template/template-context.js';
import { StepConfigError } from '../step/step-error.js';
import { resolveTemplatable } from '../template/resolve-templatable.js';

/**
 * A step's `retry` policy with defaults applied, Temporal-style (as Rocketship):
 * `maximumAttempts` counts every run of the step, the first included.
 */
export interface ResolvedRetryPolicy {
  /** Total runs of the step, >= 1. Default 1 (no retry) when the step has no `retry`. */
  readonly maximumAttempts: number;
  /** Wait before the 2nd run, in ms. Default 1000. */
  readonly initialInterval: number;
  /** Growth of the wait per retry, >= 1. Default 2.0. */
  readonly backoffCoefficient: number;
  /** Cap on the wait in ms. Default 100 x `initialInterval` (Temporal's default). */
  readonly maximumInterval: number;
  /** Failures whose kind or message contains one of these are not retried. */
  readonly nonRetryableErrors: readonly string[];
}

const NO_RETRY: ResolvedRetryPolicy = {
  maximumAttempts: 1,
  initialInterval: 1000,
  backoffCoefficient: 2,
  maximumInterval: 100_000,
  nonRetryableErrors: [],
};


/** Applies defaults and renders templated fields of a step's `retry`. */
export function resolveRetryPolicy(policy: RetryPolicy | undefined, variables: TemplateContext): E.Either<string, ResolvedRetryPolicy> {
  if (policy === undefined) return E.right(NO_RETRY);
  const field = <A>(value: A | undefined | Parameters<typeof resolveTemplatable>[0], codec: t.Decoder<unknown, A>, name: string, fallback: A) =>
    value === undefined ? E.right(fallback) : resolveTemplatable(value as A, codec, variables, `retry.${name}`);
  return pipe(
    E.Do,
    E.bind('maximumAttempts', () => field(policy.maximum_attempts, RetryFields.maximum_attempts, 'maximum_attempts', 1)),
    E.bind('initialInterval', () => field(policy.initial_interval, RetryFields.initial_interval, 'initial_interval', 1000)),
    E.bind('backoffCoefficient', () => field(policy.backoff_coefficient, RetryFields.backoff_coefficient, 'backoff_coefficient', 2)),
    E.bind('maximumInterval', ({ initialInterval }) => field(policy.maximum_interval, RetryFields.maximum_interval, 'maximum_interval', 100 * initialInterval)),
    E.map((p) => ({ ...p, nonRetryableErrors: policy.non_retryable_errors ?? [] })),
  );
}

/** The wait in ms before retry number `retryCount` (1 for the 2nd run of the step). */
export function retryDelay(policy: ResolvedRetryPolicy, retryCount: number): number {
  return Math.min(policy.initialInterval * policy.backoffCoefficient ** (retryCount - 1), policy.maximumInterval);
}

/** Configuration errors are never retried, nor failures matched by `non_retryable_errors`. */
export function isRetryable(error: unknown, policy: ResolvedRetryPolicy): boolean {
  if (error instanceof StepConfigError) return false;
  const text = error instanceof Error ? `${error.name} ${(error as { data?: { kind?: string } }).data?.kind ?? ''} ${error.message}` : String(error);
  return !policy.nonRetryableErrors.some((kind) => text.includes(kind));
}
