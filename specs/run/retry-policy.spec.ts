import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { isRetryable, resolveRetryPolicy, retryDelay, type ResolvedRetryPolicy } from '../../lib/run/retry-policy.js';
import { StepConfigError, StepFailedError } from '../../lib/step/step-error.js';
import type { TemplateContext } from '../../lib/template/template-context.js';
import { probeSteps } from '../helpers/step-env.js';

/** The decoded `retry` of a step written with `retry: <yaml>`. */
const retryOf = (yaml: string) => probeSteps(`{ name: p, plugin: probe, config: {}, retry: ${yaml} }`)[0]!.retry;

const variables = (saved: Record<string, number | string> = {}): TemplateContext => ({ saved, vars: {}, env: {}, secrets: {} });

const policy = (p: Partial<ResolvedRetryPolicy>): ResolvedRetryPolicy => ({
  maximumAttempts: 4,
  initialInterval: 1000,
  backoffCoefficient: 2,
  maximumInterval: 100_000,
  nonRetryableErrors: [],
  ...p,
});

describe('retry-policy', () => {
  describe('resolveRetryPolicy', () => {
    it("without a retry: one run, and Temporal's defaults for the rest", () => {
      expect(resolveRetryPolicy(undefined, variables())).to.deep.equal(
        E.right({ maximumAttempts: 1, initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 100_000, nonRetryableErrors: [] }),
      );
    });

    it('keeps what the step gives, in ms, and defaults the rest (maximum_interval: 100 x initial_interval)', () => {
      expect(resolveRetryPolicy(retryOf('{ maximum_attempts: 3, initial_interval: 2s }'), variables())).to.deep.equal(
        E.right({ maximumAttempts: 3, initialInterval: 2000, backoffCoefficient: 2, maximumInterval: 200_000, nonRetryableErrors: [] }),
      );
      expect(
        resolveRetryPolicy(
          retryOf(
            '{ maximum_attempts: 5, initial_interval: 500ms, backoff_coefficient: 1.5, maximum_interval: 3s, non_retryable_errors: [ValidationError] }',
          ),
          variables(),
        ),
      ).to.deep.equal(
        E.right({
          maximumAttempts: 5,
          initialInterval: 500,
          backoffCoefficient: 1.5,
          maximumInterval: 3000,
          nonRetryableErrors: ['ValidationError'],
        }),
      );
      expect(resolveRetryPolicy(retryOf('{}'), variables())).to.deep.equal(
        E.right({ maximumAttempts: 1, initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 100_000, nonRetryableErrors: [] }),
      );
    });

    it("renders templated fields with the step's variables and decodes them as written values are", () => {
      const retry = retryOf('{ maximum_attempts: "{{ n }}", initial_interval: "{{ wait }}ms", backoff_coefficient: "{{ k }}" }');
      expect(resolveRetryPolicy(retry, variables({ n: 3, wait: 250, k: 3 }))).to.deep.equal(
        E.right({ maximumAttempts: 3, initialInterval: 250, backoffCoefficient: 3, maximumInterval: 25_000, nonRetryableErrors: [] }),
      );
    });

    it('is a Left naming the field when a template does not render or renders to a bad value', () => {
      expect(resolveRetryPolicy(retryOf('{ maximum_attempts: "{{ n }}" }'), variables())).to.deep.equal(
        E.left('retry.maximum_attempts: undefined variable "n"; available: (none)'),
      );
      const zero = resolveRetryPolicy(retryOf('{ maximum_attempts: "{{ n }}" }'), variables({ n: 0 }));
      expect(E.isLeft(zero) && zero.left).to.match(/^retry\.maximum_attempts: .*maximum_attempts must be at least 1/);
      const shrinking = resolveRetryPolicy(retryOf('{ backoff_coefficient: "{{ k }}" }'), variables({ k: 0.5 }));
      expect(E.isLeft(shrinking) && shrinking.left).to.match(/^retry\.backoff_coefficient: .*backoff_coefficient must be at least 1/);
    });
  });

  describe('retryDelay', () => {
    it('waits initial_interval before the 2nd run, then grows by the coefficient: initial * coefficient^(n-1)', () => {
      const p = policy({ initialInterval: 1000, backoffCoefficient: 3 });
      expect([1, 2, 3, 4].map((n) => retryDelay(p, n))).to.deep.equal([1000, 3000, 9000, 27_000]);
    });

    it('never waits longer than maximum_interval', () => {
      const p = policy({ initialInterval: 1000, backoffCoefficient: 3, maximumInterval: 5000 });
      expect([1, 2, 3, 4].map((n) => retryDelay(p, n))).to.deep.equal([1000, 3000, 5000, 5000]);
    });

    it('keeps the wait constant with a coefficient of 1', () => {
      expect([1, 2, 3].map((n) => retryDelay(policy({ initialInterval: 250, backoffCoefficient: 1 }), n))).to.deep.equal([250, 250, 250]);
    });
  });

  describe('isRetryable', () => {
    it('retries failures of the system under test, never a step that cannot run as written', () => {
      expect(isRetryable(new StepFailedError({ _tag: 'Assertions', failed: [] }, { attempts: 1 }), policy({}))).to.equal(true);
      expect(isRetryable(new Error('socket hang up'), policy({}))).to.equal(true);
      expect(isRetryable(new StepConfigError('undefined variable "x"'), policy({}))).to.equal(false);
    });

    it('does not retry a failure whose tag is one of non_retryable_errors, or whose name, kind or message contains one', () => {
      const failure = new StepFailedError(
        { _tag: 'SaveFailed', as: 'id', why: { _tag: 'NotJson', reason: 'Unexpected token <' } },
        { attempts: 1 },
      );
      expect(isRetryable(failure, policy({ nonRetryableErrors: ['SaveFailed'] })), 'by tag').to.equal(false);
      expect(isRetryable(failure, policy({ nonRetryableErrors: ['StepFailedError'] })), 'by name').to.equal(false);
      expect(isRetryable(failure, policy({ nonRetryableErrors: ['save'] })), 'by kind').to.equal(false);
      expect(isRetryable(failure, policy({ nonRetryableErrors: ['not JSON'] })), 'by message').to.equal(false);
      expect(isRetryable(failure, policy({ nonRetryableErrors: ['ValidationError', 'timeout', 'Transport'] })), 'none matches').to.equal(
        true,
      );
    });

    it('matches the words suites used before failures were tagged: a poll timeout is `timeout`, a poll out of attempts `max_attempts`', () => {
      const timedOut = new StepFailedError({
        _tag: 'PollTimedOut',
        stoppedBy: 'Deadline',
        timeoutMs: 1000,
        inFlight: false,
        unwaitedDelayMs: undefined,
        attempts: 2,
        elapsedMs: 1000,
        last: undefined,
      });
      const exhausted = new StepFailedError({ _tag: 'PollExhausted', maxAttempts: 3, attempts: 3, elapsedMs: 900, last: undefined });
      expect(isRetryable(timedOut, policy({ nonRetryableErrors: ['timeout'] }))).to.equal(false);
      expect(isRetryable(timedOut, policy({ nonRetryableErrors: ['PollTimedOut'] }))).to.equal(false);
      expect(isRetryable(timedOut, policy({ nonRetryableErrors: ['max_attempts'] }))).to.equal(true);
      expect(isRetryable(exhausted, policy({ nonRetryableErrors: ['max_attempts'] }))).to.equal(false);
      expect(isRetryable(exhausted, policy({ nonRetryableErrors: ['PollTimedOut'] }))).to.equal(true);
    });

    it('reads a thrown value that is not an Error as its text', () => {
      expect(isRetryable('ECONNRESET by peer', policy({ nonRetryableErrors: ['ECONNRESET'] }))).to.equal(false);
      expect(isRetryable('ECONNRESET by peer', policy({ nonRetryableErrors: ['ETIMEDOUT'] }))).to.equal(true);
    });
  });
});
