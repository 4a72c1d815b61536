import { expect } from 'chai';
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { TestScheduler, type RunHelpers } from 'rxjs/testing';

/**
 * A TestScheduler whose assertions compare deeply, with every `Error` (in values, in error
 * notifications, at any depth) reduced to `{ name, message }`: stacks differ between the actual
 * and the expected error, the name and message are what a spec means. Assert an error's data
 * fields separately (e.g. capture it with `tap({ error })`).
 *
 * ```ts
 * const scheduler = createTestScheduler();
 * scheduler.run(({ cold, expectObservable }) => {
 *   expectObservable(cold('-#', undefined, new Error('boom'))).toBe('-#', undefined, new Error('boom'));
 * });
 * ```
 */
export function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(withoutStacks(actual)).to.deep.equal(withoutStacks(expected));
  });
}

/**
 * Runs `body` in the virtual time of a {@link createTestScheduler} scheduler, and gives it that
 * scheduler too, for code that takes one (`runStep`'s env, `runSuite`'s config).
 *
 * ```ts
 * inVirtualTime(({ cold, expectObservable }, scheduler) => {
 *   expectObservable(timer(3, scheduler)).toBe('---(0|)');
 * });
 * ```
 */
export function inVirtualTime(body: (helpers: RunHelpers, scheduler: TestScheduler) => void): void {
  const scheduler = createTestScheduler();
  scheduler.run((helpers) => body(helpers, scheduler));
}

/** Replaces every Error inside arrays and plain objects by `{ name, message }`. */
export function withoutStacks(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map(withoutStacks);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutStacks(v)]));
  }
  return value;
}

/** A scheduler that records when each piece of work it was given ran, on the inner clock. */
export interface TrackingScheduler extends SchedulerLike {
  /** The times (inner `now()`) at which scheduled work ran, in order. */
  readonly ran: readonly number[];
}

/**
 * Wraps a scheduler to record every execution of work scheduled on it. A timer that an operator
 * forgot to cancel shows up as an execution after the moment it should have been cancelled,
 * because a TestScheduler flushes every action still scheduled.
 */
export function trackingScheduler(inner: SchedulerLike): TrackingScheduler {
  const ran: number[] = [];
  const schedule = <T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription =>
    inner.schedule<T>(
      function (this: SchedulerAction<T>, s?: T) {
        ran.push(inner.now());
        work.call(this, s);
      },
      delay,
      state,
    );
  return { ran, now: () => inner.now(), schedule: schedule as SchedulerLike['schedule'] };
}
