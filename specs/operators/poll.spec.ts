import { expect } from 'chai';
import { defer, of, Subscription, tap, throwError, type Observable, type SchedulerLike } from 'rxjs';
import { done, failed, notYet, type Failed, type Judgement, type NotYet } from '../../lib/operators/judgement.js';
import {
  poll,
  PollConfigError,
  PollFailedError,
  PollMaxAttemptsError,
  PollTimeoutError,
  type AttemptOutcome,
  type PollConfig,
  type PollDone,
  type PollEvent,
  type PollPending,
} from '../../lib/operators/poll.js';
import { createTestScheduler, trackingScheduler } from '../helpers/marbles.js';

// Values of an attempt: 'r' running (not done), 'd' done, 'f' failed (terminal).
type Job = string;
const judge = (job: Job): Judgement => (job === 'd' ? done : notYet());
const value = (job: Job): AttemptOutcome<Job> => ({ _tag: 'Value', value: job });

/** The event of an attempt that is not done; `number, startedMs, elapsedMs` in virtual ms. */
function event(
  config: Pick<PollConfig<Job>, 'timeout' | 'maxAttempts'>,
  number: number,
  startedMs: number,
  elapsedMs: number,
  outcome: AttemptOutcome<Job>,
  rest: { readonly nextDelayMs?: number; readonly judgement?: NotYet | Failed } = {},
): PollPending<Job> {
  return {
    _tag: 'Pending',
    number,
    maxAttempts: config.maxAttempts,
    timeoutMs: config.timeout,
    startedMs,
    elapsedMs,
    outcome,
    judgement: rest.judgement ?? notYet(),
    nextDelayMs: rest.nextDelayMs,
  };
}

/** The event of the attempt whose value is done. */
function doneEvent(
  config: Pick<PollConfig<Job>, 'timeout' | 'maxAttempts'>,
  number: number,
  startedMs: number,
  elapsedMs: number,
  value: Job,
): PollDone<Job> {
  return { _tag: 'Done', number, maxAttempts: config.maxAttempts, timeoutMs: config.timeout, startedMs, elapsedMs, value };
}

/** A source whose k-th subscription is the k-th observable: one cold marble per attempt. */
function attempts(...each: Observable<Job>[]): Observable<Job> {
  let k = 0;
  return defer(() => each[k++] ?? throwError(() => new Error(`unexpected attempt ${k}`)));
}

describe('poll', () => {
  describe('schedule', () => {
    it('sends attempt 1 at once, waits the interval between attempts, completes after the done one', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const config = { interval: 3, timeout: 100, scheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r|');
        const a2 = cold('         -r|');
        const a3 = cold('             -d|');
        const a1subs = '      ^!';
        const a2subs = '      ----^!'; //  ends at 1, + 3 = 4
        const a3subs = '      --------^!'; // ends at 5, + 3 = 8
        const expected = '    -a---b---(c|)';
        expectObservable(attempts(a1, a2, a3).pipe(poll(config))).toBe(expected, {
          a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 3 }),
          b: event(config, 2, 4, 5, value('r'), { nextDelayMs: 3 }),
          c: doneEvent(config, 3, 8, 9, 'd'),
        });
        expectSubscriptions(a1.subscriptions).toBe(a1subs);
        expectSubscriptions(a2.subscriptions).toBe(a2subs);
        expectSubscriptions(a3.subscriptions).toBe(a3subs);
      });
      // only the two waits ran; the deadline (due at 100) was cancelled on completion
      expect(scheduler.ran).to.deep.equal([4, 8]);
    });

    it('counts the wait from the end of the attempt, even when its event takes time downstream', () => {
      // A clock that moves only when told, and a scheduler that records delays and runs nothing.
      let now = 0;
      const delays: number[] = [];
      const scheduler: SchedulerLike = {
        now: () => now,
        schedule: (_work: unknown, delay = 0) => {
          delays.push(delay);
          return new Subscription();
        },
      } as SchedulerLike;
      const subscription = defer(() => of('r'))
        .pipe(
          poll({ interval: 10, timeout: 1000, scheduler, judge }),
          tap(() => (now += 4)), // a slow reporter: attempt 1's event takes 4 ms to handle
        )
        .subscribe();
      subscription.unsubscribe();
      // the wait (attempt 1, synchronous, ended at 0, so attempt 2 is due at 10, which is 6 ms
      // after its event was handled at 4, not 10), then the deadline (1000)
      expect(delays).to.deep.equal([6, 1000]);
    });

    it('counts each wait from the end of the attempt, so a slow attempt shifts the schedule', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 4, timeout: 100, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     ---r'); //        the first attempt takes 3
        const a2 = cold('            -r');
        const a3 = cold('                 d');
        const a1subs = '      ^--!';
        const a2subs = '      -------^!'; //    ends at 3, + 4 = 7 (not 4)
        const a3subs = '      ------------(^!)'; // ends at 8, + 4 = 12
        const expected = '    ---a----b---(c|)';
        expectObservable(attempts(a1, a2, a3).pipe(poll(config))).toBe(expected, {
          a: event(config, 1, 0, 3, value('r'), { nextDelayMs: 4 }),
          b: event(config, 2, 7, 8, value('r'), { nextDelayMs: 4 }),
          c: doneEvent(config, 3, 12, 12, 'd'),
        });
        expectSubscriptions(a1.subscriptions).toBe(a1subs);
        expectSubscriptions(a2.subscriptions).toBe(a2subs);
        expectSubscriptions(a3.subscriptions).toBe(a3subs);
      });
    });

    it('grows the wait by interval * coefficient^(k-1)', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, backoffCoefficient: 2, maxAttempts: 4, timeout: 100, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        // waits 2*2^0 = 2, 2*2^1 = 4, 2*2^2 = 8: attempts start at 0, 1+2 = 3, 4+4 = 8, 9+8 = 17
        const subs = [
          '                   ^!',
          '                   ---^!',
          '                   --------^!',
          '                   -----------------^!',
        ];
        const expected = '    -a--b----c--------(d#)';
        expectObservable(source.pipe(poll(config))).toBe(
          expected,
          {
            a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }),
            b: event(config, 2, 3, 4, value('r'), { nextDelayMs: 4 }),
            c: event(config, 3, 8, 9, value('r'), { nextDelayMs: 8 }),
            d: event(config, 4, 17, 18, value('r')),
          },
          new PollMaxAttemptsError({ maxAttempts: 4, attempts: 4, elapsedMs: 18, last: undefined }),
        );
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('follows the spec example (2s, 1.2) over real-sized waits: 2s, 2.4s, 2.88s, 3.456s', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2000, backoffCoefficient: 1.2, maxAttempts: 5, timeout: 300_000, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('r'); // answers at once
        // attempts at 0, 2000, 2000+2400 = 4400, 4400+2880 = 7280, 7280+3456 = 10736
        const expected = '    a 1999ms b 2399ms c 2879ms d 3455ms (e#)';
        expectObservable(source.pipe(poll(config))).toBe(
          expected,
          {
            a: event(config, 1, 0, 0, value('r'), { nextDelayMs: 2000 }),
            b: event(config, 2, 2000, 2000, value('r'), { nextDelayMs: 2400 }),
            c: event(config, 3, 4400, 4400, value('r'), { nextDelayMs: 2880 }),
            d: event(config, 4, 7280, 7280, value('r'), { nextDelayMs: 3456 }),
            e: event(config, 5, 10736, 10736, value('r')),
          },
          new PollMaxAttemptsError({ maxAttempts: 5, attempts: 5, elapsedMs: 10736, last: undefined }),
        );
        expectSubscriptions(source.subscriptions).toBe(['(^!)', '2000ms (^!)', '4400ms (^!)', '7280ms (^!)', '10736ms (^!)']);
      });
    });

    it('grows with coefficient 1.5 (1s, 1.5s, 2.25s, 3.375s, 5.063s) on the default scheduler', () => {
      // no `scheduler` in the config: inside run(), asyncScheduler runs on virtual time
      const config = { interval: 1000, backoffCoefficient: 1.5, maxAttempts: 6, timeout: 60_000, judge };
      createTestScheduler().run(({ cold, expectObservable }) => {
        // attempts at 0, 1000, 2500, 4750, 8125, 8125 + 5063 (5062.5 rounded) = 13188
        const expected = '    a 999ms b 1499ms c 2249ms d 3374ms e 5062ms (f#)';
        expectObservable(cold('r').pipe(poll(config))).toBe(
          expected,
          {
            a: event(config, 1, 0, 0, value('r'), { nextDelayMs: 1000 }),
            b: event(config, 2, 1000, 1000, value('r'), { nextDelayMs: 1500 }),
            c: event(config, 3, 2500, 2500, value('r'), { nextDelayMs: 2250 }),
            d: event(config, 4, 4750, 4750, value('r'), { nextDelayMs: 3375 }),
            e: event(config, 5, 8125, 8125, value('r'), { nextDelayMs: 5063 }),
            f: event(config, 6, 13188, 13188, value('r')),
          },
          new PollMaxAttemptsError({ maxAttempts: 6, attempts: 6, elapsedMs: 13188, last: undefined }),
        );
      });
    });

    it('caps the grown wait at maxInterval', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, backoffCoefficient: 3, maxInterval: 10, maxAttempts: 5, timeout: 100, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        // waits 2, 6, 18 -> 10, 54 -> 10: attempts start at 0, 1+2 = 3, 4+6 = 10, 11+10 = 21, 22+10 = 32
        const subs = [
          '                   ^!',
          '                   ---^!',
          '                   ----------^!',
          '                   ---------------------^!',
          '                   --------------------------------^!',
        ];
        const expected = '    -a--b------c----------d----------(e#)';
        expectObservable(source.pipe(poll(config))).toBe(
          expected,
          {
            a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }),
            b: event(config, 2, 3, 4, value('r'), { nextDelayMs: 6 }),
            c: event(config, 3, 10, 11, value('r'), { nextDelayMs: 10 }),
            d: event(config, 4, 21, 22, value('r'), { nextDelayMs: 10 }),
            e: event(config, 5, 32, 33, value('r')),
          },
          new PollMaxAttemptsError({ maxAttempts: 5, attempts: 5, elapsedMs: 33, last: undefined }),
        );
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it('spreads each wait by +/- jitter, drawing once per wait', () => {
      const testScheduler = createTestScheduler();
      const draws = [0, 0.5, 0.9];
      let drawn = 0;
      const random = (): number => draws[drawn++] ?? 0.5;
      const config = { interval: 10, jitter: 0.5, random, maxAttempts: 4, timeout: 100, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        // wait = 10 * (1 + 0.5 * (2r - 1)), within [5, 15]: r = 0 -> 5, r = 0.5 -> 10, r = 0.9 -> 14
        // attempts start at 0, 1+5 = 6, 7+10 = 17, 18+14 = 32
        const subs = [
          '                   ^!',
          '                   ------^!',
          '                   -----------------^!',
          '                   --------------------------------^!',
        ];
        const expected = '    -a-----b----------c--------------(d#)';
        expectObservable(source.pipe(poll(config))).toBe(
          expected,
          {
            a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 5 }),
            b: event(config, 2, 6, 7, value('r'), { nextDelayMs: 10 }),
            c: event(config, 3, 17, 18, value('r'), { nextDelayMs: 14 }),
            d: event(config, 4, 32, 33, value('r')),
          },
          new PollMaxAttemptsError({ maxAttempts: 4, attempts: 4, elapsedMs: 33, last: undefined }),
        );
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
      // no draw for the last attempt, which has no wait
      expect(drawn).to.equal(3);
    });
  });

  describe('events', () => {
    it('tags each attempt Pending until the done one, a Done carrying the winning value', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, timeout: 100, scheduler: testScheduler, judge };
      const seen: PollEvent<Job>[] = [];
      testScheduler.run(({ cold }) => {
        attempts(cold('-r'), cold('-#'), cold('-d'))
          .pipe(poll(config))
          .subscribe((e) => seen.push(e));
      });
      expect(seen.map((e) => e._tag)).to.deep.equal(['Pending', 'Pending', 'Done']);
      const won = seen[2];
      expect(won?._tag === 'Done' && won.value).to.equal('d');
      expect(won).to.not.have.property('nextDelayMs');
    });

    it('ends a failed poll with a Pending that has no next wait, the error right after it (failed, maxAttempts, deadline)', () => {
      const testScheduler = createTestScheduler();
      const endings: Array<{ readonly event: PollEvent<Job> | undefined; readonly error: string }> = [];
      const configs: ReadonlyArray<PollConfig<Job>> = [
        { interval: 2, timeout: 100, scheduler: testScheduler, judge: () => failed('terminal') },
        { interval: 2, maxAttempts: 1, timeout: 100, scheduler: testScheduler, judge },
        { interval: 20, timeout: 10, scheduler: testScheduler, judge },
      ];
      testScheduler.run(({ cold }) => {
        for (const config of configs) {
          let event: PollEvent<Job> | undefined;
          cold('-r')
            .pipe(poll(config))
            .subscribe({ next: (e) => (event = e), error: (e: Error) => endings.push({ event, error: e.name }) });
        }
      });
      expect(
        endings.map(({ event, error }) => [
          event?._tag,
          event?._tag === 'Pending' && event.nextDelayMs,
          event?._tag === 'Pending' && event.judgement._tag,
          error,
        ]),
      ).to.deep.equal([
        ['Pending', undefined, 'Failed', 'PollFailedError'],
        ['Pending', undefined, 'NotYet', 'PollMaxAttemptsError'],
        ['Pending', undefined, 'NotYet', 'PollTimeoutError'], // 1 + 20 >= 10: the wait is not waited
      ]);
    });
  });

  describe('maxAttempts', () => {
    it('counts every attempt: 5 subscribes the source exactly 5 times, with no wait after the last', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const config = { interval: 2, maxAttempts: 5, timeout: 100, scheduler, judge };
      let caught: unknown;
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        const subs = [
          '                   ^!',
          '                   ---^!',
          '                   ------^!',
          '                   ---------^!',
          '                   ------------^!',
        ];
        const expected = '    -a--b--c--d--(e#)';
        const last = event(config, 5, 12, 13, value('r'));
        const result = source.pipe(poll(config), tap({ error: (e: unknown) => (caught = e) }));
        expectObservable(result).toBe(
          expected,
          {
            a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }),
            b: event(config, 2, 3, 4, value('r'), { nextDelayMs: 2 }),
            c: event(config, 3, 6, 7, value('r'), { nextDelayMs: 2 }),
            d: event(config, 4, 9, 10, value('r'), { nextDelayMs: 2 }),
            e: last,
          },
          new PollMaxAttemptsError({ maxAttempts: 5, attempts: 5, elapsedMs: 13, last }),
        );
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
      expect(caught).to.be.instanceOf(PollMaxAttemptsError);
      const error = caught as PollMaxAttemptsError<Job>;
      expect(error.name).to.equal('PollMaxAttemptsError');
      expect(error.message).to.equal('polling exceeded maximum attempts (5)');
      expect(error.info).to.deep.equal({ maxAttempts: 5, attempts: 5, elapsedMs: 13, last: event(config, 5, 12, 13, value('r')) });
      // the four waits ran, then nothing: no fifth wait, and the deadline (due at 100) was cancelled
      expect(scheduler.ran).to.deep.equal([3, 6, 9, 12]);
    });

    it('with maxAttempts 1 makes one attempt and no wait', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, maxAttempts: 1, timeout: 100, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        expectObservable(source.pipe(poll(config))).toBe(
          '-(a#)',
          { a: event(config, 1, 0, 1, value('r')) },
          new PollMaxAttemptsError({ maxAttempts: 1, attempts: 1, elapsedMs: 1, last: undefined }),
        );
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('lets the last allowed attempt succeed', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, maxAttempts: 2, timeout: 100, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable }) => {
        const expected = '    -a--(b|)';
        expectObservable(attempts(cold('-r'), cold('-d')).pipe(poll(config))).toBe(expected, {
          a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }),
          b: doneEvent(config, 2, 3, 4, 'd'),
        });
      });
    });
  });

  describe('timeout', () => {
    it('unsubscribes the attempt in flight at the deadline, counted from the first attempt', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, timeout: 10, scheduler: testScheduler, judge };
      let caught: unknown;
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('        ------------'); // hangs
        const a1subs = '      ^!';
        const a2subs = '      ---^------!'; //       cut off at 10, the deadline
        const expected = '    -a--------#';
        const first = event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 });
        const result = attempts(a1, a2).pipe(poll(config), tap({ error: (e: unknown) => (caught = e) }));
        const error = new PollTimeoutError({
          timeoutMs: 10,
          attempts: 2,
          elapsedMs: 10,
          last: first,
          inFlight: true,
          unwaitedDelayMs: undefined,
        });
        expectObservable(result).toBe(expected, { a: first }, error);
        expectSubscriptions(a1.subscriptions).toBe(a1subs);
        expectSubscriptions(a2.subscriptions).toBe(a2subs);
      });
      expect(caught).to.be.instanceOf(PollTimeoutError);
      const error = caught as PollTimeoutError<Job>;
      expect(error.message).to.equal('polling timed out after 10ms');
      expect(error.info).to.deep.equal({
        timeoutMs: 10,
        attempts: 2,
        elapsedMs: 10,
        last: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }),
        inFlight: true,
        unwaitedDelayMs: undefined,
      });
    });

    it('times out a first attempt that never ends (a never source), with no last attempt', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, timeout: 5, scheduler: testScheduler, judge };
      let caught: unknown;
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-');
        const error = new PollTimeoutError({
          timeoutMs: 5,
          attempts: 1,
          elapsedMs: 5,
          last: undefined,
          inFlight: true,
          unwaitedDelayMs: undefined,
        });
        expectObservable(source.pipe(poll(config), tap({ error: (e: unknown) => (caught = e) }))).toBe('-----#', undefined, error);
        expectSubscriptions(source.subscriptions).toBe('^----!');
      });
      expect((caught as PollTimeoutError<Job>).info).to.deep.equal({
        timeoutMs: 5,
        attempts: 1,
        elapsedMs: 5,
        last: undefined,
        inFlight: true,
        unwaitedDelayMs: undefined,
      });
    });

    it('does not wait a wait that would end after the deadline: it fails at once', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const config = { interval: 4, backoffCoefficient: 2, timeout: 20, scheduler, judge };
      let caught: unknown;
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        // waits 4, 8, 16: attempts at 0, 1+4 = 5, 6+8 = 14; 15 + 16 = 31 >= 20, so fail at 15, not at 20
        const subs = ['                   ^!', '                   -----^!', '                   --------------^!'];
        const expected = '    -a----b--------(c#)';
        const last = event(config, 3, 14, 15, value('r'));
        expectObservable(source.pipe(poll(config), tap({ error: (e: unknown) => (caught = e) }))).toBe(
          expected,
          {
            a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 4 }),
            b: event(config, 2, 5, 6, value('r'), { nextDelayMs: 8 }),
            c: last,
          },
          new PollTimeoutError({ timeoutMs: 20, attempts: 3, elapsedMs: 15, last, inFlight: false, unwaitedDelayMs: 16 }),
        );
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
      expect((caught as PollTimeoutError<Job>).info).to.deep.equal({
        timeoutMs: 20,
        attempts: 3,
        elapsedMs: 15,
        last: event(config, 3, 14, 15, value('r')),
        inFlight: false,
        unwaitedDelayMs: 16,
      });
      // the waits at 5 and 14 ran; the deadline (due at 20) was cancelled when the poll failed at 15
      expect(scheduler.ran).to.deep.equal([5, 14]);
    });

    it('does not wait a wait that would end exactly at the deadline', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 4, timeout: 5, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        // 1 + 4 = 5: attempt 2 would start with no time left
        const last = event(config, 1, 0, 1, value('r'));
        expectObservable(source.pipe(poll(config))).toBe(
          '-(a#)',
          { a: last },
          new PollTimeoutError({ timeoutMs: 5, attempts: 1, elapsedMs: 1, last, inFlight: false, unwaitedDelayMs: 4 }),
        );
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('formats the timeout the Go way in its message', () => {
      const info = { attempts: 1, elapsedMs: 0, last: undefined, inFlight: false, unwaitedDelayMs: undefined };
      expect(new PollTimeoutError({ ...info, timeoutMs: 30_000 }).message).to.equal('polling timed out after 30s');
      expect(new PollTimeoutError({ ...info, timeoutMs: 90_000 }).message).to.equal('polling timed out after 1m30s');
      expect(new PollTimeoutError({ ...info, timeoutMs: 300_000 }).message).to.equal('polling timed out after 5m0s');
    });

    it('runs the spec example (2s, 5m, 30 attempts, 1.2) on a job that never completes: 19 attempts, fails at 256.233s', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2000, timeout: 300_000, maxAttempts: 30, backoffCoefficient: 1.2, scheduler: testScheduler, judge };
      const seen: PollEvent<Job>[] = [];
      let caught: unknown;
      let failedAt = -1;
      testScheduler.run(({ cold }) => {
        cold('r')
          .pipe(poll(config))
          .subscribe({ next: (e) => seen.push(e), error: (e: unknown) => ((caught = e), (failedAt = testScheduler.now())) });
      });
      // 2000 * 1.2^(k-1), rounded; they add up to 256233, and the 19th (53247) would end at
      // 309480 >= 300000: the poll fails at once at 256233 instead of waiting for the deadline
      const waits = [2000, 2400, 2880, 3456, 4147, 4977, 5972, 7166, 8600, 10320, 12383, 14860, 17832, 21399, 25678, 30814, 36977, 44372];
      const starts = waits.reduce<number[]>((acc, w) => [...acc, acc[acc.length - 1]! + w], [0]);
      expect(seen.map((e) => e._tag)).to.deep.equal(waits.map(() => 'Pending').concat('Pending'));
      expect(seen.map((e) => (e._tag === 'Pending' ? e.nextDelayMs : 'done'))).to.deep.equal([...waits, undefined]);
      expect(seen.map((e) => e.startedMs)).to.deep.equal(starts);
      expect(starts[18]).to.equal(256_233);
      expect(failedAt).to.equal(256_233);
      expect(caught).to.be.instanceOf(PollTimeoutError);
      expect((caught as PollTimeoutError<Job>).message).to.equal('polling timed out after 5m0s');
      expect((caught as PollTimeoutError<Job>).info).to.deep.equal({
        timeoutMs: 300_000,
        attempts: 19,
        elapsedMs: 256_233,
        last: seen[18],
        inFlight: false,
        unwaitedDelayMs: 53_247,
      });
    });
  });

  describe('failed (fail_conditions)', () => {
    it('fails at once with the reason, sending no further attempt', () => {
      const testScheduler = createTestScheduler();
      const failing = (job: Job): Judgement => (job === 'f' ? failed('.status equals "failed"') : judge(job));
      const config = { interval: 2, timeout: 100, scheduler: testScheduler, judge: failing };
      let caught: unknown;
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('        -f');
        const a3 = cold('          d'); //    never sent
        const expected = '    -a--(b#)';
        const last = event(config, 2, 3, 4, value('f'), { judgement: failed('.status equals "failed"') });
        const result = attempts(a1, a2, a3).pipe(poll(config), tap({ error: (e: unknown) => (caught = e) }));
        expectObservable(result).toBe(
          expected,
          { a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }), b: last },
          new PollFailedError({ reason: '.status equals "failed"', attempts: 2, elapsedMs: 4, last }),
        );
        expectSubscriptions(a2.subscriptions).toBe('---^!');
        expectSubscriptions(a3.subscriptions).toBe([]);
      });
      const error = caught as PollFailedError<Job>;
      expect(error).to.be.instanceOf(PollFailedError);
      expect(error.message).to.equal('polling failed: .status equals "failed"');
      expect(error.info).to.deep.equal({
        reason: '.status equals "failed"',
        attempts: 2,
        elapsedMs: 4,
        last: event(config, 2, 3, 4, value('f'), { judgement: failed('.status equals "failed"') }),
      });
    });

    it('fails on the first attempt, with no wait scheduled and the deadline cancelled', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const config = { interval: 2, timeout: 100, scheduler, judge: () => failed('terminal') };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-d');
        const last = event(config, 1, 0, 1, value('d'), { judgement: failed('terminal') });
        expectObservable(source.pipe(poll(config))).toBe(
          '-(a#)',
          { a: last },
          new PollFailedError({ reason: 'terminal', attempts: 1, elapsedMs: 1, last }),
        );
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
      expect(scheduler.ran).to.deep.equal([]);
    });

    it('wins over maxAttempts on the last attempt', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, maxAttempts: 1, timeout: 100, scheduler: testScheduler, judge: () => failed('terminal') };
      testScheduler.run(({ cold, expectObservable }) => {
        const last = event(config, 1, 0, 1, value('f'), { judgement: failed('terminal') });
        expectObservable(cold('-f').pipe(poll(config))).toBe(
          '-(a#)',
          { a: last },
          new PollFailedError({ reason: 'terminal', attempts: 1, elapsedMs: 1, last }),
        );
      });
    });
  });

  describe('notYet(retryAfterMs) (Retry-After)', () => {
    it('replaces the next wait, uncapped, and leaves the backoff schedule of later attempts alone', () => {
      const testScheduler = createTestScheduler();
      // 'b' is a 429 with Retry-After: 7
      const asking = (job: Job): Judgement => (job === 'b' ? notYet(7) : judge(job));
      const config = { interval: 2, backoffCoefficient: 2, maxInterval: 5, timeout: 100, scheduler: testScheduler, judge: asking };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -b');
        const a2 = cold('             -r');
        const a3 = cold('                  -d');
        // wait 7 (asked; not the backoff's 2, not capped at 5): 1+7 = 8; then the backoff for
        // attempt 2, 2 * 2^1 = 4: 9+4 = 13
        const a2subs = '      --------^!';
        const a3subs = '      -------------^!';
        const expected = '    -a-------b----(c|)';
        expectObservable(attempts(a1, a2, a3).pipe(poll(config))).toBe(expected, {
          a: event(config, 1, 0, 1, value('b'), { nextDelayMs: 7, judgement: notYet(7) }),
          b: event(config, 2, 8, 9, value('r'), { nextDelayMs: 4 }),
          c: doneEvent(config, 3, 13, 14, 'd'),
        });
        expectSubscriptions(a2.subscriptions).toBe(a2subs);
        expectSubscriptions(a3.subscriptions).toBe(a3subs);
      });
    });

    it('is still bounded by the deadline: a longer ask fails the poll at once', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, timeout: 20, scheduler: testScheduler, judge: () => notYet(30) };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-b');
        // 1 + 30 = 31 >= 20
        const last = event(config, 1, 0, 1, value('b'), { judgement: notYet(30) });
        const error = new PollTimeoutError({ timeoutMs: 20, attempts: 1, elapsedMs: 1, last, inFlight: false, unwaitedDelayMs: 30 });
        expectObservable(source.pipe(poll(config))).toBe('-(a#)', { a: last }, error);
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('falls back to the backoff when it returns undefined, a non-finite number, or a shorter wait', () => {
      const testScheduler = createTestScheduler();
      // Retry-After: 0, or a date in the past (-5), must not shorten the poll's own wait.
      const asks = [undefined, NaN, -5, 0, 2, undefined];
      let k = 0;
      const config = { interval: 3, maxAttempts: 6, timeout: 100, scheduler: testScheduler, judge: () => notYet(asks[k++]) };
      testScheduler.run(({ cold, expectObservable }) => {
        // every wait is the interval, 3 (asks: undefined, NaN, -5, 0, 2 < 3):
        // attempts at 0, 1+3 = 4, 5+3 = 8, 9+3 = 12, 13+3 = 16, 17+3 = 20
        const expected = '    -a---b---c---d---e---(f#)';
        const last = event(config, 6, 20, 21, value('r'));
        expectObservable(cold('-r').pipe(poll(config))).toBe(
          expected,
          {
            a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 3 }),
            b: event(config, 2, 4, 5, value('r'), { nextDelayMs: 3, judgement: notYet(NaN) }),
            c: event(config, 3, 8, 9, value('r'), { nextDelayMs: 3, judgement: notYet(-5) }),
            d: event(config, 4, 12, 13, value('r'), { nextDelayMs: 3, judgement: notYet(0) }),
            e: event(config, 5, 16, 17, value('r'), { nextDelayMs: 3, judgement: notYet(2) }),
            f: last,
          },
          new PollMaxAttemptsError({ maxAttempts: 6, attempts: 6, elapsedMs: 21, last }),
        );
      });
    });

    it('never shortens a grown or capped wait: the ask is compared with the wait the poll would make', () => {
      const testScheduler = createTestScheduler();
      // backoff 2, 4, 8 capped at 5; asks 3 (< 4: keep 4), 6 (> 5: take 6)
      const asks = [undefined, 3, 6, undefined];
      let k = 0;
      const config = {
        interval: 2,
        backoffCoefficient: 2,
        maxInterval: 5,
        maxAttempts: 4,
        timeout: 100,
        scheduler: testScheduler,
        judge: () => notYet(asks[k++]),
      };
      testScheduler.run(({ cold, expectObservable }) => {
        // attempts at 0, 1+2 = 3, 4+4 = 8, 9+6 = 15
        const expected = '    -a--b----c------(d#)';
        const last = event(config, 4, 15, 16, value('r'));
        expectObservable(cold('-r').pipe(poll(config))).toBe(
          expected,
          {
            a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }),
            b: event(config, 2, 3, 4, value('r'), { nextDelayMs: 4, judgement: notYet(3) }),
            c: event(config, 3, 8, 9, value('r'), { nextDelayMs: 6, judgement: notYet(6) }),
            d: last,
          },
          new PollMaxAttemptsError({ maxAttempts: 4, attempts: 4, elapsedMs: 16, last }),
        );
      });
    });
  });

  describe('attempt outcomes', () => {
    it('treats a source error and an empty completion as "not yet", and takes only the first value', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, timeout: 100, scheduler: testScheduler, judge };
      const reset = new Error('socket hang up');
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -#', undefined, reset); // a transport error
        const a2 = cold('        -|'); //                 no value at all
        const a3 = cold('           -dr|'); //            two values: the first one is the answer
        const expected = '    -a--b--(c|)';
        expectObservable(attempts(a1, a2, a3).pipe(poll(config))).toBe(expected, {
          a: event(config, 1, 0, 1, { _tag: 'Error', error: reset }, { nextDelayMs: 2 }),
          b: event(config, 2, 3, 4, { _tag: 'Empty' }, { nextDelayMs: 2 }),
          c: doneEvent(config, 3, 6, 7, 'd'),
        });
        expectSubscriptions(a1.subscriptions).toBe('^!');
        expectSubscriptions(a2.subscriptions).toBe('---^!');
        expectSubscriptions(a3.subscriptions).toBe('------^!'); // unsubscribed after 'd'
      });
    });

    it('keeps the attempt error itself in the event', () => {
      const testScheduler = createTestScheduler();
      const reset = new Error('socket hang up');
      const seen: PollEvent<Job>[] = [];
      testScheduler.run(({ cold }) => {
        cold<Job>('-#', undefined, reset)
          .pipe(poll({ interval: 2, maxAttempts: 1, timeout: 100, scheduler: testScheduler, judge }))
          .subscribe({ next: (e) => seen.push(e), error: () => undefined });
      });
      const first = seen[0];
      expect(first?._tag).to.equal('Pending');
      const outcome = first?._tag === 'Pending' ? first.outcome : undefined;
      expect(outcome).to.deep.equal({ _tag: 'Error', error: reset });
      expect(outcome?._tag === 'Error' && outcome.error).to.equal(reset);
    });

    it('polls a synchronous source', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 5, maxAttempts: 3, timeout: 100, scheduler: testScheduler, judge };
      testScheduler.run(({ expectObservable }) => {
        // attempts at 0, 5, 10, each answered as it is sent
        const expected = '    (a)--(b)--(c#)';
        const last = event(config, 3, 10, 10, value('r'));
        expectObservable(of('r').pipe(poll(config))).toBe(
          expected,
          {
            a: event(config, 1, 0, 0, value('r'), { nextDelayMs: 5 }),
            b: event(config, 2, 5, 5, value('r'), { nextDelayMs: 5 }),
            c: last,
          },
          new PollMaxAttemptsError({ maxAttempts: 3, attempts: 3, elapsedMs: 10, last }),
        );
      });
    });

    it('completes at once on a synchronous source that is done, scheduling nothing that runs', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const config = { interval: 5, timeout: 100, scheduler, judge };
      testScheduler.run(({ expectObservable }) => {
        expectObservable(of('d').pipe(poll(config))).toBe('(a|)', { a: doneEvent(config, 1, 0, 0, 'd') });
      });
      expect(scheduler.ran).to.deep.equal([]);
    });
  });

  describe('a judge that throws', () => {
    it('errors the poll at once with what it threw, with no event for that attempt', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const configError = new Error('undefined variable "code"');
      const throwing = (job: Job): Judgement => {
        if (job === 'x') throw configError;
        return notYet();
      };
      const config = { interval: 2, timeout: 100, scheduler, judge: throwing };
      let caught: unknown;
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('        -x');
        const a3 = cold('          -r'); //   never sent
        const expected = '    -a--#';
        const result = attempts(a1, a2, a3).pipe(poll(config), tap({ error: (e: unknown) => (caught = e) }));
        expectObservable(result).toBe(expected, { a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }) }, configError);
        expectSubscriptions(a2.subscriptions).toBe('---^!');
        expectSubscriptions(a3.subscriptions).toBe([]);
      });
      // the very error it threw, not a wrapper; the wait at 3 ran, the deadline (due at 100) was cancelled
      expect(caught).to.equal(configError);
      expect(scheduler.ran).to.deep.equal([3]);
    });

    it('errors the poll on the first attempt, before any event', () => {
      const testScheduler = createTestScheduler();
      const boom = new Error('bad regex');
      const config = {
        interval: 2,
        timeout: 100,
        scheduler: testScheduler,
        judge: (): Judgement => {
          throw boom;
        },
      };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-r');
        expectObservable(source.pipe(poll(config))).toBe('-#', undefined, boom);
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('is not called for an attempt that errored or completed empty', () => {
      const testScheduler = createTestScheduler();
      const judged: Job[] = [];
      const config = {
        interval: 2,
        maxAttempts: 3,
        timeout: 100,
        scheduler: testScheduler,
        judge: (job: Job) => (judged.push(job), judge(job)),
      };
      testScheduler.run(({ cold, expectObservable }) => {
        const expected = '    -a--b--(c|)';
        expectObservable(attempts(cold('-#'), cold('-|'), cold('-d')).pipe(poll(config))).toBe(expected, {
          a: event(config, 1, 0, 1, { _tag: 'Error', error: 'error' }, { nextDelayMs: 2 }),
          b: event(config, 2, 3, 4, { _tag: 'Empty' }, { nextDelayMs: 2 }),
          c: doneEvent(config, 3, 6, 7, 'd'),
        });
      });
      expect(judged).to.deep.equal(['d']);
    });
  });

  describe('unsubscription', () => {
    it('cancels the attempt in flight and every timer', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const config = { interval: 5, timeout: 100, scheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('           ----d');
        const unsub = '       --------!';
        const a2subs = '      ------^-!';
        expectObservable(attempts(a1, a2).pipe(poll(config)), unsub).toBe('-a', {
          a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 5 }),
        });
        expectSubscriptions(a2.subscriptions).toBe(a2subs);
      });
      // the wait (at 6) ran before the unsubscription; the deadline (due at 100) never ran
      expect(scheduler.ran).to.deep.equal([6]);
    });

    it('cancels the wait: no attempt is sent after unsubscribing during a wait', () => {
      const testScheduler = createTestScheduler();
      const scheduler = trackingScheduler(testScheduler);
      const config = { interval: 5, timeout: 100, scheduler, judge };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a1 = cold('     -r');
        const a2 = cold('           -d'); // would be sent at 1+5 = 6
        const unsub = '       ---!';
        expectObservable(attempts(a1, a2).pipe(poll(config)), unsub).toBe('-a', {
          a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 5 }),
        });
        expectSubscriptions(a2.subscriptions).toBe([]);
      });
      expect(scheduler.ran).to.deep.equal([]);
    });
  });

  describe('subscriptions', () => {
    it('gives every subscription its own clock and attempt count', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 2, maxAttempts: 2, timeout: 100, scheduler: testScheduler, judge };
      testScheduler.run(({ cold, expectObservable }) => {
        const poll$ = cold('-r').pipe(poll(config));
        const last = event(config, 2, 3, 4, value('r'));
        const error = new PollMaxAttemptsError({ maxAttempts: 2, attempts: 2, elapsedMs: 4, last });
        const values = { a: event(config, 1, 0, 1, value('r'), { nextDelayMs: 2 }), b: last };
        const first = '       ^';
        const second = '      ----^';
        const expected1 = '   -a--(b#)'; //  each subscription starts its own poll...
        const expected2 = '   -----a--(b#)'; // ...with its own clock: the same events, 4 frames later
        expectObservable(poll$, first).toBe(expected1, values, error);
        expectObservable(poll$, second).toBe(expected2, values, error);
      });
    });

    it('uses the scheduler clock for elapsedMs, never the wall clock', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 60_000, timeout: 3_600_000, scheduler: testScheduler, judge };
      const seen: number[] = [];
      testScheduler.run(({ cold }) => {
        attempts(cold('r'), cold('30000ms d'))
          .pipe(poll(config))
          .subscribe((e) => seen.push(e.elapsedMs));
      });
      // one minute of wait and 30s of attempt, in virtual time
      expect(seen).to.deep.equal([0, 90_000]);
    });
  });

  describe('resume', () => {
    it('numbers attempts on, waits what was left of the wait, and keeps timings from the first attempt ever sent', () => {
      const testScheduler = createTestScheduler();
      const resume = { attempts: 2, elapsedMs: 8, nextDelayMs: 1 };
      const config = { interval: 3, timeout: 20, scheduler: testScheduler, judge, resume };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a3 = cold('      -r|');
        const a4 = cold('          -d|');
        const a3subs = '       -^!'; //    sent after the 1ms left of the wait (elapsed 8 + 1 = 9)
        const a4subs = '       -----^!'; // ends at 2 (elapsed 10), + 3 = 5 (elapsed 13)
        const expected = '     --a---(b|)';
        expectObservable(attempts(a3, a4).pipe(poll(config))).toBe(expected, {
          a: event(config, 3, 9, 10, value('r'), { nextDelayMs: 3 }),
          b: doneEvent(config, 4, 13, 14, 'd'),
        });
        expectSubscriptions(a3.subscriptions).toBe(a3subs);
        expectSubscriptions(a4.subscriptions).toBe(a4subs);
      });
    });

    it('sends the same attempts at the same times as the poll it resumes', () => {
      // One poll, uninterrupted: attempts at 0, 2, 5 (ends 1, 3, 6; waits 1, 2, 4 with coefficient 2).
      const base = { interval: 1, backoffCoefficient: 2, timeout: 50, judge };
      const whole = createTestScheduler();
      let uninterrupted: PollEvent<Job>[] = [];
      whole.run(({ cold, expectObservable }) => {
        const source = attempts(cold('-r|'), cold('-r|'), cold('-r|'), cold('-d|'));
        const events: PollEvent<Job>[] = [];
        expectObservable(
          source.pipe(
            poll({ ...base, scheduler: whole }),
            tap((e) => events.push(e)),
          ),
        ).toBe('-a-b--c----(d|)', {
          a: event({ timeout: 50, maxAttempts: undefined }, 1, 0, 1, value('r'), { nextDelayMs: 1 }),
          b: event({ timeout: 50, maxAttempts: undefined }, 2, 2, 3, value('r'), { nextDelayMs: 2 }),
          c: event({ timeout: 50, maxAttempts: undefined }, 3, 5, 6, value('r'), { nextDelayMs: 4 }),
          d: doneEvent({ timeout: 50, maxAttempts: undefined }, 4, 10, 11, 'd'),
        });
        uninterrupted = events;
      });
      // Stopped at 7 (after attempt 3, 3ms before attempt 4), resumed in a new subscription.
      const later = createTestScheduler();
      later.run(({ cold, expectObservable }) => {
        const resume = { attempts: 3, elapsedMs: 7, nextDelayMs: 3 };
        expectObservable(cold('-d|').pipe(poll({ ...base, scheduler: later, resume }))).toBe('----(d|)', {
          d: uninterrupted[3],
        });
      });
    });

    it('keeps the deadline of the first attempt: the attempt in flight is cut off where the first poll would have been', () => {
      const testScheduler = createTestScheduler();
      const resume = { attempts: 2, elapsedMs: 15 };
      const config = { interval: 3, timeout: 20, scheduler: testScheduler, judge, resume };
      let caught: unknown;
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a3 = cold('      ----------r|'); // would end at 10, after the deadline
        const a3subs = '       ^----!'; //        20 - 15 = 5
        const error = new PollTimeoutError({
          timeoutMs: 20,
          attempts: 3,
          elapsedMs: 20,
          last: undefined,
          inFlight: true,
          unwaitedDelayMs: undefined,
        });
        expectObservable(a3.pipe(poll(config), tap({ error: (e: unknown) => (caught = e) }))).toBe('-----#', undefined, error);
        expectSubscriptions(a3.subscriptions).toBe(a3subs);
      });
      expect((caught as PollTimeoutError<Job>).info.attempts).to.equal(3);
    });

    it('does not wait past the deadline: a wait that would end at it errors at once, as before the resume', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 3, timeout: 20, scheduler: testScheduler, judge, resume: { attempts: 4, elapsedMs: 16 } };
      testScheduler.run(({ cold, expectObservable }) => {
        // attempt 5 ends at 1 (elapsed 17); 17 + 3 = 20 is the deadline: not waited.
        const last = event(config, 5, 16, 17, value('r'));
        const error = new PollTimeoutError({ timeoutMs: 20, attempts: 5, elapsedMs: 17, last, inFlight: false, unwaitedDelayMs: 3 });
        expectObservable(cold('-r|').pipe(poll(config))).toBe('-(a#)', { a: last }, error);
      });
    });

    it('times out at once when the budget was spent before the resume, sending nothing', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 3, timeout: 20, scheduler: testScheduler, judge, resume: { attempts: 4, elapsedMs: 25 } };
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-d|');
        const error = new PollTimeoutError({
          timeoutMs: 20,
          attempts: 5,
          elapsedMs: 25,
          last: undefined,
          inFlight: true,
          unwaitedDelayMs: undefined,
        });
        expectObservable(source.pipe(poll(config))).toBe('#', undefined, error);
        expectSubscriptions(source.subscriptions).toBe('(^!)');
      });
    });

    it('counts maxAttempts from the first attempt: the last allowed one is the last, and none is left after it', () => {
      const testScheduler = createTestScheduler();
      const config = { interval: 1, maxAttempts: 3, scheduler: testScheduler, judge, resume: { attempts: 2, elapsedMs: 4 } };
      testScheduler.run(({ cold, expectObservable }) => {
        const last = event(config, 3, 4, 5, value('r'));
        const error = new PollMaxAttemptsError({ attempts: 3, elapsedMs: 5, last, maxAttempts: 3 });
        expectObservable(cold('-r|').pipe(poll(config))).toBe('-(a#)', { a: last }, error);
      });
      const spent = createTestScheduler();
      spent.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-d|');
        const error = new PollMaxAttemptsError({ attempts: 3, elapsedMs: 4, last: undefined, maxAttempts: 3 });
        expectObservable(source.pipe(poll({ ...config, scheduler: spent, resume: { attempts: 3, elapsedMs: 4 } }))).toBe(
          '#',
          undefined,
          error,
        );
        expectSubscriptions(source.subscriptions).toBe('');
      });
    });

    it('rejects a resume out of range before any attempt', () => {
      for (const [resume, field] of [
        [{ attempts: -1, elapsedMs: 0 }, 'resume.attempts'],
        [{ attempts: 1.5, elapsedMs: 0 }, 'resume.attempts'],
        [{ attempts: 1, elapsedMs: Number.NaN }, 'resume.elapsedMs'],
        [{ attempts: 1, elapsedMs: 0, nextDelayMs: -2 }, 'resume.nextDelayMs'],
      ] as const) {
        let caught: unknown;
        of('d')
          .pipe(poll({ interval: 1, judge, resume }))
          .subscribe({ error: (e: unknown) => (caught = e) });
        expect((caught as PollConfigError).info.field).to.equal(field);
      }
    });
  });

  describe('config', () => {
    const base: PollConfig<Job> = { interval: 10, timeout: 100, judge };
    const invalid: ReadonlyArray<readonly [string, Partial<PollConfig<Job>>, string]> = [
      ['interval', { interval: -1 }, 'invalid poll config: interval must be a finite number >= 0, got -1'],
      ['interval', { interval: NaN }, 'invalid poll config: interval must be a finite number >= 0, got NaN'],
      ['timeout', { timeout: Infinity }, 'invalid poll config: timeout must be a number from 0 to 2147483647, got Infinity'],
      ['timeout', { timeout: 2 ** 31 }, 'invalid poll config: timeout must be a number from 0 to 2147483647, got 2147483648'],
      ['maxAttempts', { maxAttempts: 0 }, 'invalid poll config: maxAttempts must be an integer >= 1, got 0'],
      ['maxAttempts', { maxAttempts: 2.5 }, 'invalid poll config: maxAttempts must be an integer >= 1, got 2.5'],
      ['backoffCoefficient', { backoffCoefficient: 0.5 }, 'invalid poll config: backoffCoefficient must be a finite number >= 1, got 0.5'],
      ['maxInterval', { maxInterval: -1 }, 'invalid poll config: maxInterval must be a number >= 0, got -1'],
      ['jitter', { jitter: 1.5 }, 'invalid poll config: jitter must be a number from 0 to 1, got 1.5'],
    ];
    for (const [field, patch, message] of invalid) {
      it(`errors with PollConfigError on subscription, before any attempt, for ${field} ${String(Object.values(patch)[0])}`, () => {
        let subscribed = 0;
        let caught: unknown;
        defer(() => ((subscribed += 1), of('d')))
          .pipe(poll({ ...base, ...patch }))
          .subscribe({ error: (e: unknown) => (caught = e) });
        expect(subscribed).to.equal(0);
        expect(caught).to.be.instanceOf(PollConfigError);
        expect((caught as PollConfigError).message).to.equal(message);
        expect((caught as PollConfigError).info.field).to.equal(field);
      });
    }

    it('accepts the boundaries: interval 0, timeout 0, maxAttempts 1, coefficient 1, jitter 0 and 1', () => {
      const testScheduler = createTestScheduler();
      testScheduler.run(({ expectObservable }) => {
        const config = {
          interval: 0,
          timeout: 0,
          maxAttempts: 1,
          backoffCoefficient: 1,
          jitter: 1,
          maxInterval: 0,
          scheduler: testScheduler,
          judge,
        };
        expectObservable(of('d').pipe(poll(config))).toBe('(a|)', { a: doneEvent(config, 1, 0, 0, 'd') });
      });
    });
  });
});
