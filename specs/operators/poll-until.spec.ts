import { expect } from 'chai';
import { defer, filter, last, map, of, tap, throwError, type Observable } from 'rxjs';
import { PollConfigError, PollMaxAttemptsError, PollTimeoutError, type PollDone, type PollPending } from '../../lib/operators/poll.js';
import { notYet } from '../../lib/operators/judgement.js';
import { pollUntil } from '../../lib/operators/poll-until.js';
import { createTestScheduler, trackingScheduler } from '../helpers/marbles.js';

// Values of an attempt: 'r' running, 'd' done.
type Job = string;
const isDone = (job: Job): boolean => job === 'd';

/** The event of an attempt that is not done, on a poll with no deadline and no attempt limit unless given. */
function pending(
  number: number,
  startedMs: number,
  elapsedMs: number,
  job: Job,
  nextDelayMs: number | undefined,
  limits: { timeoutMs?: number; maxAttempts?: number } = {},
): PollPending<Job> {
  return {
    _tag: 'Pending',
    number,
    maxAttempts: limits.maxAttempts,
    timeoutMs: limits.timeoutMs,
    startedMs,
    elapsedMs,
    outcome: { _tag: 'Value', value: job },
    judgement: notYet(),
    nextDelayMs,
  };
}

function doneAt(
  number: number,
  startedMs: number,
  elapsedMs: number,
  limits: { timeoutMs?: number; maxAttempts?: number } = {},
): PollDone<Job> {
  return { _tag: 'Done', number, maxAttempts: limits.maxAttempts, timeoutMs: limits.timeoutMs, startedMs, elapsedMs, value: 'd' };
}

/** A source whose k-th subscription is the k-th observable: one cold marble per attempt. */
function attempts(...each: Observable<Job>[]): Observable<Job> {
  let k = 0;
  return defer(() => each[k++] ?? throwError(() => new Error(`unexpected attempt ${k}`)));
}

describe('pollUntil', () => {
  describe('pollUntil(isDone, interval)', () => {
    it('polls every interval ms, with no deadline and no attempt limit, until isDone holds', () => {
      // no scheduler given: inside run(), the default asyncScheduler runs on virtual time
      createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('         ----r'); //   the second attempt takes 4
        const a3 = cold('                -d');
        // each wait (3) counts from the end of an attempt: 1+3 = 4; attempt 2 ends at 8, 8+3 = 11
        const expected = '    -a------b---(c|)';
        expectObservable(attempts(a1, a2, a3).pipe(pollUntil(isDone, 3))).toBe(expected, {
          a: pending(1, 0, 1, 'r', 3),
          b: pending(2, 4, 8, 'r', 3),
          c: doneAt(3, 11, 12),
        });
        expectSubscriptions(a1.subscriptions).toBe('^!');
        expectSubscriptions(a2.subscriptions).toBe('----^---!');
        expectSubscriptions(a3.subscriptions).toBe('-----------^!');
      });
    });

    it('never gives up on its own: 1,000 attempts an hour apart, then done; only the waits were scheduled', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      let k = 0;
      const job$ = defer(() => of(++k < 1000 ? 'r' : 'd'));
      const seen: Array<PollPending<Job> | PollDone<Job>> = [];
      let completed = false;
      testScheduler.run(() => {
        job$
          .pipe(pollUntil(isDone, { interval: 3_600_000, scheduler }))
          .subscribe({ next: (e) => seen.push(e), complete: () => (completed = true) });
      });
      expect(seen).to.have.length(1000);
      expect(seen.slice(0, 999).every((e) => e._tag === 'Pending' && e.nextDelayMs === 3_600_000 && e.timeoutMs === undefined)).to.equal(
        true,
      );
      expect(seen[999]).to.deep.equal(doneAt(1000, 999 * 3_600_000, 999 * 3_600_000));
      expect(completed).to.equal(true);
      // 999 waits and nothing else: no deadline was ever scheduled
      expect(scheduler.ran).to.deep.equal(Array.from({ length: 999 }, (_, i) => (i + 1) * 3_600_000));
    });

    it('treats an attempt that errors or completes empty as "not yet", and does not call isDone for it', () => {
      const called: Job[] = [];
      createTestScheduler().run(({ cold, expectObservable }) => {
        const expected = '    -a--b--(c|)';
        const source = attempts(cold('-#', undefined, new Error('ECONNREFUSED')), cold('-|'), cold('-d'));
        expectObservable(source.pipe(pollUntil((job: Job) => (called.push(job), isDone(job)), 2))).toBe(expected, {
          a: { ...pending(1, 0, 1, '', 2), outcome: { _tag: 'Error', error: new Error('ECONNREFUSED') } },
          b: { ...pending(2, 3, 4, '', 2), outcome: { _tag: 'Empty' } },
          c: doneAt(3, 6, 7),
        });
      });
      expect(called).to.deep.equal(['d']);
    });

    it('errors with PollConfigError on subscription for an interval out of range', () => {
      let subscribed = 0;
      let caught: unknown;
      defer(() => ((subscribed += 1), of('d')))
        .pipe(pollUntil(isDone, -1))
        .subscribe({ error: (e: unknown) => (caught = e) });
      expect(subscribed).to.equal(0);
      expect(caught).to.be.instanceOf(PollConfigError);
      expect((caught as PollConfigError).message).to.equal('invalid poll config: interval must be a finite number >= 0, got -1');
    });
  });

  describe('pollUntil(isDone, config)', () => {
    it('takes the backoff and maxAttempts of the config, with no deadline when timeout is left out', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const config = { interval: 2, backoffCoefficient: 2, maxAttempts: 3, scheduler };
      let caught: unknown;
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        // waits 2, 4: attempts at 0, 1+2 = 3, 4+4 = 8; the third is the last allowed
        const expected = '    -a--b----(c#)';
        const limits = { maxAttempts: 3 };
        const last = pending(3, 8, 9, 'r', undefined, limits);
        const result = source.pipe(pollUntil(isDone, config), tap({ error: (e: unknown) => (caught = e) }));
        expectObservable(result).toBe(
          expected,
          { a: pending(1, 0, 1, 'r', 2, limits), b: pending(2, 3, 4, 'r', 4, limits), c: last },
          new PollMaxAttemptsError({ maxAttempts: 3, attempts: 3, elapsedMs: 9, last }),
        );
        expectSubscriptions(source.subscriptions).toBe(['^!', '---^!', '--------^!']);
      });
      expect((caught as PollMaxAttemptsError<Job>).info.last).to.deep.equal(pending(3, 8, 9, 'r', undefined, { maxAttempts: 3 }));
      // the two waits only: no deadline timer
      expect(scheduler.ran).to.deep.equal([3, 8]);
    });

    it('keeps the deadline when a timeout is given: the attempt in flight is cut off', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, timeout: 10, scheduler: testScheduler };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('        ------------'); // hangs
        const first = pending(1, 0, 1, 'r', 2, { timeoutMs: 10 });
        const error = new PollTimeoutError({
          timeoutMs: 10,
          attempts: 2,
          elapsedMs: 10,
          last: first,
          inFlight: true,
          unwaitedDelayMs: undefined,
        });
        expectObservable(attempts(a1, a2).pipe(pollUntil(isDone, config))).toBe('-a--------#', { a: first }, error);
        expectSubscriptions(a2.subscriptions).toBe('---^------!'); // cut off at 10, the deadline
      });
    });

    it('gives the winning value as the value of the last event', () => {
      const testScheduler = createTestScheduler();
      testScheduler.run(({ cold, expectObservable }) => {
        const won$ = attempts(cold('-r'), cold('-d')).pipe(
          pollUntil(isDone, { interval: 2, scheduler: testScheduler }),
          last(),
          filter((e) => e._tag === 'Done'),
          map((e) => e.value),
        );
        expectObservable(won$).toBe('----(d|)', { d: 'd' });
      });
    });

    it('errors at once with what isDone threw, with no event for that attempt', () => {
      const testScheduler = createTestScheduler();
      const boom = new Error('cannot read .status of undefined');
      const throwing = (job: Job): boolean => {
        if (job === 'x') throw boom;
        return false;
      };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('        -x');
        const a3 = cold('          -r'); //   never sent
        expectObservable(attempts(a1, a2, a3).pipe(pollUntil(throwing, { interval: 2, scheduler: testScheduler }))).toBe(
          '-a--#',
          { a: pending(1, 0, 1, 'r', 2) },
          boom,
        );
        expectSubscriptions(a3.subscriptions).toBe([]);
      });
    });

    it('cancels the wait on unsubscription: no attempt is sent afterwards', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('           -d'); // would be sent at 1+5 = 6
        expectObservable(attempts(a1, a2).pipe(pollUntil(isDone, { interval: 5, scheduler })), '---!').toBe('-a', {
          a: pending(1, 0, 1, 'r', 5),
        });
        expectSubscriptions(a2.subscriptions).toBe([]);
      });
      expect(scheduler.ran).to.deep.equal([]);
    });
  });
});
