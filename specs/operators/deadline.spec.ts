import { expect } from 'chai';
import { of, tap, timeout } from 'rxjs';
import { deadline, DeadlineError } from '../../lib/operators/deadline.js';
import { createTestScheduler, trackingScheduler } from '../helpers/marbles.js';

describe('deadline', () => {
  it('errors with DeadlineError at ms after subscription and unsubscribes a never-ending source', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -------');
      const subs = '         ^----!';
      const expected = '     -----#';
      expectObservable(source.pipe(deadline(5))).toBe(expected, undefined, new DeadlineError({ ms: 5, seen: 0, lastValue: null }));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('lets values through without restarting its clock (unlike timeout({ each }))', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // a value every 2 frames: timeout({ each: 3 }) never fires, deadline(6) fires at frame 6
      const source = cold('  -a-b-c-d-e-|');
      const subs = '         ^-----!';
      const expected = '     -a-b-c#';
      const timedOut = '     -a-b-c-d-e-|';
      expectObservable(source.pipe(deadline(6))).toBe(expected, undefined, new DeadlineError({ ms: 6, seen: 3, lastValue: 'c' }));
      expectObservable(source.pipe(timeout({ each: 3 }))).toBe(timedOut);
      expectSubscriptions(source.subscriptions).toBe([subs, '^----------!']);
    });
  });

  it('reports how many values it saw and the last one', () => {
    let caught: unknown;
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('  -a-b---');
      expectObservable(source.pipe(deadline(5), tap({ error: (e: unknown) => (caught = e) }))).toBe(
        '-a-b-#',
        undefined,
        new DeadlineError({ ms: 5, seen: 2, lastValue: 'b' }),
      );
    });
    expect(caught).to.be.instanceOf(DeadlineError);
    expect((caught as DeadlineError).name).to.equal('DeadlineError');
    expect((caught as DeadlineError).info).to.deep.equal({ ms: 5, seen: 2, lastValue: 'b' });
  });

  it('completes with a source that completes in time, and cancels its timer', () => {
    const testScheduler = createTestScheduler();
    const scheduler = trackingScheduler(testScheduler);
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -a|');
      const subs = '         ^-!';
      expectObservable(source.pipe(deadline(5, scheduler))).toBe('-a|');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    // the deadline timer (due at 5) never ran
    expect(scheduler.ran).to.deep.equal([]);
  });

  it('passes a source error through before the deadline', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const source = cold('  --#', undefined, new Error('boom'));
      expectObservable(source.pipe(deadline(5))).toBe('--#', undefined, new Error('boom'));
    });
  });

  it('switches to what `with` returns, given what the source did', () => {
    const infos: unknown[] = [];
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -a------');
      const fallback = cold('       x-y|');
      const subs = '         ^----!';
      const expected = '     -a---x-y|';
      const result = source.pipe(deadline({ ms: 5, with: (info) => (infos.push(info), fallback) }));
      expectObservable(result).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
      expectSubscriptions(fallback.subscriptions).toBe('-----^--!');
    });
    expect(infos).to.deep.equal([{ ms: 5, seen: 1, lastValue: 'a' }]);
  });

  it('errors with what `with` throws', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const result = cold('-').pipe(
        deadline({
          ms: 3,
          with: () => {
            throw new Error('no fallback');
          },
        }),
      );
      expectObservable(result).toBe('---#', undefined, new Error('no fallback'));
    });
  });

  it('cancels the source and its timer on early unsubscription', () => {
    const testScheduler = createTestScheduler();
    const scheduler = trackingScheduler(testScheduler);
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  -a-----');
      const unsub = '        --!';
      const subs = '         ^-!';
      expectObservable(source.pipe(deadline(5, scheduler)), unsub).toBe('-a');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(scheduler.ran).to.deep.equal([]);
  });

  it('schedules nothing for a synchronous source', () => {
    const testScheduler = createTestScheduler();
    const scheduler = trackingScheduler(testScheduler);
    let scheduled = 0;
    const counting = {
      now: () => scheduler.now(),
      schedule: ((...args: Parameters<typeof scheduler.schedule>) => (
        (scheduled += 1),
        scheduler.schedule(...args)
      )) as typeof scheduler.schedule,
    };
    testScheduler.run(({ expectObservable }) => {
      expectObservable(of('a', 'b').pipe(deadline(5, counting))).toBe('(ab|)');
    });
    expect(scheduled).to.equal(0);
  });

  it('never fires with ms = Infinity', () => {
    const testScheduler = createTestScheduler();
    const scheduler = trackingScheduler(testScheduler);
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a---').pipe(deadline(Infinity, scheduler))).toBe('-a---');
    });
    expect(scheduler.ran).to.deep.equal([]);
  });

  it('uses virtual time through the default asyncScheduler inside run()', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-').pipe(deadline(90_000))).toBe(
        '90000ms #',
        undefined,
        new DeadlineError({ ms: 90_000, seen: 0, lastValue: null }),
      );
    });
  });

  it('says how long the deadline was, the Go way', () => {
    expect(new DeadlineError({ ms: 90_000, seen: 0, lastValue: null }).message).to.equal('deadline of 1m30s exceeded');
    expect(new DeadlineError({ ms: 5, seen: 0, lastValue: null }).message).to.equal('deadline of 5ms exceeded');
  });
});
