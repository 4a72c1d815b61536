import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { PollingFields, type Polling } from '../dsl/codecs/polling.js';
import type { CompiledCheck } from '../check/compile-check.js';
import { compileChecks } from '../check/compile-checks.js';
import { resolveTemplatable } from '../template/resolve-templatable.js';
import type { TemplateContext } from '../template/template-context.js';

/** A step's `polling` block with its templates rendered and its conditions compiled: what the poll operator is given. */
export interface PollSettings {
  /** Wait before the second attempt, in ms. */
  readonly interval: number;
  /** The overall deadline from the first send, in ms. */
  readonly timeout: number;
  readonly maxAttempts: number | undefined;
  readonly backoffCoefficient: number | undefined;
  /** Cap on any one wait, in ms. */
  readonly maxInterval: number | undefined;
  readonly jitter: number | undefined;
  readonly conditions: readonly CompiledCheck[];
  readonly failConditions: readonly CompiledCheck[];
}

/**
 * Renders a `polling` block for one run of a step (http or sql: the block is the same). A value
 * that renders wrong is a left naming its key: `config.polling.interval: ...`.
 *
 * resolvePolling({ interval: '{{ .vars.every }}', timeout: '30s', conditions: [...] }, { vars: { every: '2s' } })
 * // right({ interval: 2000, timeout: 30000, maxAttempts: undefined, ..., conditions: [compiled] })
 */
export function resolvePolling(polling: Polling, variables: TemplateContext): E.Either<string, PollSettings> {
  const optional = <A>(
    value: Parameters<typeof resolveTemplatable<A>>[0] | undefined,
    codec: Parameters<typeof resolveTemplatable<A>>[1],
    field: string,
  ) => (value === undefined ? E.right(undefined) : resolveTemplatable(value, codec, variables, `config.polling.${field}`));
  return pipe(
    E.Do,
    E.bind('interval', () => resolveTemplatable(polling.interval, PollingFields.interval, variables, 'config.polling.interval')),
    E.bind('timeout', () => resolveTemplatable(polling.timeout, PollingFields.timeout, variables, 'config.polling.timeout')),
    E.bind('maxAttempts', () => optional(polling.max_attempts, PollingFields.max_attempts, 'max_attempts')),
    E.bind('backoffCoefficient', () => optional(polling.backoff_coefficient, PollingFields.backoff_coefficient, 'backoff_coefficient')),
    E.bind('maxInterval', () => optional(polling.max_interval, PollingFields.max_interval, 'max_interval')),
    E.bind('jitter', () => optional(polling.jitter, PollingFields.jitter, 'jitter')),
    E.bind('conditions', () => compileChecks(polling.conditions, variables, 'config.polling.conditions')),
    E.bind('failConditions', () => compileChecks(polling.fail_conditions ?? [], variables, 'config.polling.fail_conditions')),
  );
}
