import { expect } from 'chai';
import { defer, EMPTY, merge, mergeMap, NEVER, of, range, take } from 'rxjs';
import { createSlotPool } from '../../lib/run/slot-pool.js';
import { createTestScheduler } from '../helpers/marbles.js';

describe('createSlotPool', () => {
  // Marble time: each character is one frame, so `--a|` emits at 2 and completes at 3.
  it('runs at most `size` pieces of work at once; the next starts the frame a slot frees up', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slots = createSlotPool(2);
      const a = cold('  --a|');
      const b = cold('  -----b|');
      const c = cold('  -c|');
      const d = cold('  -d|');
      // a ends at 3: c starts (c at 4, ends at 5); then d starts at 5 (d at 6); b ends at 6.
      const expected = '--a-cbd|';
      expectObservable(merge(slots.withSlot(a), slots.withSlot(b), slots.withSlot(c), slots.withSlot(d))).toBe(expected);
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('^-----!');
      expectSubscriptions(c.subscriptions).toBe('---^-!');
      expectSubscriptions(d.subscriptions).toBe('-----^-!');
    });
  });

  it('is shared: work of two mergeMaps waits for the same slots, first come first served', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slots = createSlotPool(1);
      const [a, b, c] = [cold('--a|'), cold('--b|'), cold('--c|')];
      // Two "suites", each with a mergeMap limit of 2: the pool still runs one piece at a time.
      // suite1 asks for a and c before suite2 asks for b, so c goes before b.
      const suite1 = of(a, c).pipe(mergeMap((w) => slots.withSlot(w), 2));
      const suite2 = of(b).pipe(mergeMap((w) => slots.withSlot(w), 2));
      expectObservable(merge(suite1, suite2)).toBe('--a--c--b|');
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(c.subscriptions).toBe('---^--!');
      expectSubscriptions(b.subscriptions).toBe('------^--!');
    });
  });

  it('frees the slot on error', () => {
    const slots = createSlotPool(1);
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#', undefined, new Error('boom'));
      const next = cold('   -x|');
      expectObservable(slots.withSlot(failing)).toBe('-#', undefined, new Error('boom'));
      expectObservable(slots.withSlot(next)).toBe('--x|');
      expectSubscriptions(next.subscriptions).toBe('-^-!');
    });
    expect([slots.inUse, slots.waiting]).to.deep.equal([0, 0]);
  });

  it('an error that stops everything stops the waiting work before it starts', () => {
    const slots = createSlotPool(1);
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#', undefined, new Error('boom'));
      const waiting = cold('x|');
      expectObservable(merge(slots.withSlot(failing), slots.withSlot(waiting))).toBe('-#', undefined, new Error('boom'));
      // merge unsubscribed `waiting` on the error, before the slot was handed on.
      expectSubscriptions(waiting.subscriptions).toBe([]);
    });
    expect([slots.inUse, slots.waiting]).to.deep.equal([0, 0]);
  });

  it('frees the slot of empty and synchronous work at once', () => {
    const slots = createSlotPool(1);
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const next = cold('-y|');
      expectObservable(merge(slots.withSlot(EMPTY), slots.withSlot(of('1')), slots.withSlot(next))).toBe('1y|');
      expectSubscriptions(next.subscriptions).toBe('^-!');
    });
    expect([slots.inUse, slots.waiting]).to.deep.equal([0, 0]);
  });

  it('never-ending work holds its slot for ever; the waiting work never starts', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slots = createSlotPool(1);
      const waiting = cold('a|');
      expectObservable(merge(slots.withSlot(NEVER), slots.withSlot(waiting)), '^-----!').toBe('-');
      expectSubscriptions(waiting.subscriptions).toBe([]);
    });
  });

  it('unsubscribing running work frees its slot; unsubscribing waiting work takes it out of the line', () => {
    const slots = createSlotPool(1);
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const long = cold('   -----l|');
      const skipped = cold('s|');
      const last = cold('   z|');
      expectObservable(slots.withSlot(long), '^-!').toBe('-');
      // Leaves the line at 1, while long still runs: it never starts.
      expectObservable(slots.withSlot(skipped), '^!').toBe('-');
      // long is cut at 2: last, next in line, starts then.
      expectObservable(slots.withSlot(last)).toBe('--z|');
      expectSubscriptions(long.subscriptions).toBe('^-!');
      expectSubscriptions(skipped.subscriptions).toBe([]);
      expectSubscriptions(last.subscriptions).toBe('--^!');
    });
    expect([slots.inUse, slots.waiting]).to.deep.equal([0, 0]);
  });

  it('take(1) of running work frees its slot', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const slots = createSlotPool(1);
      expectObservable(merge(slots.withSlot(cold('a-b|')).pipe(take(1)), slots.withSlot(cold('-c|')))).toBe('ac|');
    });
  });

  it('work that fails to subscribe (a throwing defer) frees its slot', () => {
    const slots = createSlotPool(1);
    const seen: unknown[] = [];
    merge(
      slots.withSlot(
        defer(() => {
          throw new Error('cannot start');
        }),
      ),
      slots.withSlot(of('next')),
    ).subscribe({ next: (v) => seen.push(v), error: (e: Error) => seen.push(e.message) });
    expect(seen).to.deep.equal(['cannot start']);
    expect(slots.inUse).to.equal(0);
    // The pool still works.
    slots.withSlot(of('again')).subscribe((v) => seen.push(v));
    expect(seen).to.deep.equal(['cannot start', 'again']);
  });

  it('hands its slots on without growing the stack: 100,000 synchronous pieces of work through one slot', async () => {
    const slots = createSlotPool(1);
    let count = 0;
    await new Promise<void>((done, fail) =>
      range(0, 100_000)
        .pipe(mergeMap((i) => slots.withSlot(of(i)), 100_000))
        .subscribe({ next: () => count++, error: fail, complete: done }),
    );
    expect(count).to.equal(100_000);
    expect(slots.inUse).to.equal(0);
  });

  it('rejects a size that is not an integer >= 1', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => createSlotPool(size), String(size)).to.throw(RangeError, /integer >= 1/);
  });
});
