import { asapScheduler, Observable, type Subscription } from 'rxjs';

/** A fixed number of slots shared by several runs; see {@link createSlotPool}. */
export interface SlotPool {
  /** How many pieces of work may run at once. */
  readonly size: number;
  /** Work running now (holding a slot). */
  readonly inUse: number;
  /** Work waiting for a slot. */
  readonly waiting: number;
  /**
   * `work`, subscribed once a slot is free (at once if one is), holding its slot until it
   * completes, errors or is unsubscribed. Cold: nothing waits before subscription.
   */
  withSlot<T>(work: Observable<T>): Observable<T>;
}

/**
 * A limit on how much work runs at once across any number of Observables, where `mergeMap`'s
 * concurrency only limits the work of one. `rocketship run` gives one pool to every suite's
 * `runSuite` (`testSlots`), so that `--concurrency 8` means 8 tests in the whole run, not 8 per
 * suite file: `-d` over 200 suites would otherwise run 1,600 tests (and open as many sockets
 * and file descriptors) at once.
 *
 * - Work waits in a queue, first come first served, and starts as soon as a slot frees up: in
 *   a microtask (RxJS's `asapScheduler`; the same frame in marble specs' virtual time), once
 *   whatever freed the slot is over.
 * - A slot is given back when the work completes, errors, or is unsubscribed (a `take`, the
 *   whole run unsubscribed); work unsubscribed while still waiting leaves the queue and never
 *   starts. So an error or an unsubscription that stops everything starts none of the work
 *   that was waiting (it would begin a test, and send its first request, only to cut it off).
 * - Handing a slot on never nests in the stack of the work that ended: ten thousand pieces of
 *   synchronous work run one after another without growing it.
 *
 * const slots = createSlotPool(2);
 * merge(slots.withSlot(a$), slots.withSlot(b$), slots.withSlot(c$))  // c$ is subscribed when a$ or b$ ends
 */
export function createSlotPool(size: number): SlotPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a slot pool needs a size that is an integer >= 1, got ${size}`);
  // Slots taken, including one handed to a waiter whose start is still scheduled.
  let inUse = 0;
  const queue: Array<() => void> = [];

  // A slot came free: it goes to the first waiter (still taken), or back to the pool. The
  // waiter starts once what freed the slot is over (asap: a microtask, or the same frame in
  // virtual time): an error or an unsubscription that stops a whole run unsubscribes the
  // waiters one after the other, and none of them may start in between.
  const giveBack = (): void => {
    const next = queue.shift();
    if (next === undefined) inUse--;
    else asapScheduler.schedule(next);
  };

  return {
    size,
    get inUse() {
      return inUse;
    },
    get waiting() {
      return queue.length;
    },
    withSlot: <T>(work: Observable<T>) =>
      new Observable<T>((subscriber) => {
        let holding = false;
        let released = false;
        let inner: Subscription | undefined;
        const release = (): void => {
          if (released) return;
          released = true;
          giveBack();
        };
        // Runs with a slot taken for it.
        const start = (): void => {
          // Unsubscribed after the slot was handed to it: pass the slot on.
          if (subscriber.closed) return release();
          holding = true;
          inner = work.subscribe({
            next: (value) => subscriber.next(value),
            // The teardown below gives the slot back.
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          });
        };
        if (inUse < size && queue.length === 0) {
          inUse++;
          start();
        } else {
          queue.push(start);
        }
        return () => {
          if (holding) {
            inner?.unsubscribe();
            release();
            return;
          }
          // Still waiting: leave the queue. (Once handed a slot, `start` gives it back itself.)
          const at = queue.indexOf(start);
          if (at >= 0) queue.splice(at, 1);
        };
      }),
  };
}
