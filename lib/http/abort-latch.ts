import type { GenericAbortSignal } from 'axios';

/**
 * A one-shot cancellation that axios takes as its `signal` (its `GenericAbortSignal`: `aborted`,
 * `addEventListener` and `removeEventListener` of `'abort'`), at a fraction of the cost of an
 * `AbortController`: Node 20 spends about 4.5 µs making one and 2 µs adding and removing a
 * listener on its `EventTarget` signal, on every request, plus the garbage. Listeners are called
 * once, in the order added, on the first `abort()`; later calls do nothing.
 *
 * const latch = new AbortLatch();
 * axiosInstance.get(url, { signal: latch });
 * latch.abort();   // the request is cancelled: its promise rejects with ERR_CANCELED
 */
export class AbortLatch implements GenericAbortSignal {
  /** `abort()` was called. */
  aborted = false;
  private listeners: Array<() => void> | undefined;

  /** Calls `listener` on `abort()`; only `'abort'` is ever dispatched. */
  addEventListener(type: string, listener: () => void): void {
    if (type !== 'abort' || this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(type: string, listener: () => void): void {
    if (type !== 'abort' || this.listeners === undefined) return;
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
  }

  /** Marks the latch aborted and calls its listeners, once. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
