import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { RunEvent } from '../event/run-event.js';
import { createRedactor, type RedactorConfig } from './create-redactor.js';

/** Options of {@link redactEvents}. */
export interface RedactEventsConfig extends RedactorConfig {
  /**
   * The clock of the run: events that arrive together (in one synchronous burst, as a step's last
   * attempt and its end do) are masked together, after the scheduler's next turn at the latest.
   * Default `asyncScheduler`; pass the run's own (a `TestScheduler` in marble specs).
   */
  readonly scheduler?: SchedulerLike | undefined;
}

/**
 * Masks secrets in every event of a run, with a fresh {@link createRedactor} per subscription
 * (what it learns from one run stays in that run).
 *
 * Events that arrive in one synchronous burst are learned from all together before any of them
 * is masked and passed on: a step's final attempt arrives just before the step's end, which
 * carries what the step saved, so a token saved from a login response (and then sent as
 * `Authorization: Bearer {{ token }}`) is already masked in that response's body excerpt. A
 * burst ends with a `StepEnded`, or at the scheduler's next turn (so a poll's attempts still show
 * as they happen); order is kept.
 *
 * runSuite(...).pipe(redactEvents({ secrets: ['s3cr3t'] }))  // what runSuite does itself
 */
export function redactEvents(config: RedactEventsConfig = {}): MonoTypeOperatorFunction<RunEvent> {
  return (source) =>
    new Observable<RunEvent>((subscriber) => {
      const redactor = createRedactor(config);
      const scheduler = config.scheduler ?? asyncScheduler;
      let held: RunEvent[] = [];
      let ending: { readonly _tag: 'complete' } | { readonly _tag: 'error'; readonly error: unknown } | undefined;
      let tick: Subscription | undefined;
      let flushing = false;

      const flush = (): void => {
        if (flushing) return; // re-entered from downstream: the loop below takes what arrived
        flushing = true;
        tick?.unsubscribe();
        tick = undefined;
        try {
          while (held.length > 0) {
            const batch = held;
            held = [];
            for (const event of batch) redactor.learn(event);
            for (const event of batch) subscriber.next(redactor.mask(event));
          }
          if (ending?._tag === 'complete') subscriber.complete();
          else if (ending?._tag === 'error') subscriber.error(ending.error);
        } finally {
          flushing = false;
        }
      };
      const subscription = source.subscribe({
        next: (event) => {
          held.push(event);
          if (event._tag === 'StepEnded' || held.length >= MAX_HELD) flush();
          else tick ??= scheduler.schedule(flush, 0);
        },
        error: (error: unknown) => {
          ending = { _tag: 'error', error };
          flush();
        },
        complete: () => {
          ending = { _tag: 'complete' };
          flush();
        },
      });
      return () => {
        subscription.unsubscribe();
        tick?.unsubscribe();
      };
    });
}

/** The most events held for a burst before they are passed on anyway. */
const MAX_HELD = 1000;
