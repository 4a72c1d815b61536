import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { RetryPolicy } from '../dsl/index.js';
import { RetryFields } from '../dsl/codecs/retry-policy.js';
import type { TemplateContext } from '../template/template-context.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';
import type { StepFailure } from '../step/step-failure.js';
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
  const field = <A>(
    value: A | undefined | Parameters<typeof resolveTemplatable>[0],
    codec: t.Decoder<unknown, A>,
    name: string,
    fallback: A,
  ) => (value === undefined ? E.right(fallback) : resolveTemplatable(value as A, codec, variables, `retry.${name}`));
  return pipe(
    E.Do,
    E.bind('maximumAttempts', () => field(policy.maximum_attempts, RetryFields.maximum_attempts, 'maximum_attempts', 1)),
    E.bind('initialInterval', () => field(policy.initial_interval, RetryFields.initial_interval, 'initial_interval', 1000)),
    E.bind('backoffCoefficient', () => field(policy.backoff_coefficient, RetryFields.backoff_coefficient, 'backoff_coefficient', 2)),
    E.bind('maximumInterval', ({ initialInterval }) =>
      field(policy.maximum_interval, RetryFields.maximum_interval, 'maximum_interval', 100 * initialInterval),
    ),
    E.map((p) => ({ ...p, nonRetryableErrors: policy.non_retryable_errors ?? [] })),
  );
}

/** The wait in ms before retry number `retryCount` (1 for the 2nd run of the step). */
export function retryDelay(policy: ResolvedRetryPolicy, retryCount: number): number {
  return Math.min(policy.initialInterval * policy.backoffCoefficient ** (retryCount - 1), policy.maximumInterval);
}

/**
 * Configuration errors are never retried, nor failures matched by `non_retryable_errors`: an
 * entry matches a failure's tag (`PollTimedOut`, `Transport`, `Assertions`, ...; see
 * `StepFailure`) or, as in Rocketship, any part of its text (the error's name, the kind of
 * failure as Rocketship's users wrote it, `timeout`, `assertion`, ..., and the message).
 */
export function isRetryable(error: unknown, policy: ResolvedRetryPolicy): boolean {
  if (error instanceof StepConfigError) return false;
  if (policy.nonRetryableErrors.length === 0) return true;
  const text =
    error instanceof StepFailedError
      ? `${error.name} ${error.failure._tag} ${LEGACY_KINDS[error.failure._tag]} ${error.message}`
      : error instanceof Error
        ? `${error.name} ${error.message}`
        : String(error);
  const tag = error instanceof StepFailedError ? error.failure._tag : undefined;
  return !policy.nonRetryableErrors.some((entry) => entry === tag || text.includes(entry));
}

/** The words failures were matched by before they were tagged, kept so that existing suites match the same failures. */
const LEGACY_KINDS: Readonly<Record<StepFailure['_tag'], string>> = {
  Assertions: 'assertion',
  PollTimedOut: 'timeout',
  PollExhausted: 'max_attempts',
  FailCondition: 'fail_condition',
  Transport: 'transport',
  SaveFailed: 'save',
  ScriptAssertion: 'assertion',
  ScriptError: 'script',
  ScriptTimedOut: 'timeout',
  ScriptNotRun: 'script',
  ExitCode: 'exit_code',
  PluginFailed: 'failed',
  ContractViolation: 'openapi',
  SqlStatements: 'sql',
  SqlTimedOut: 'timeout',
};
