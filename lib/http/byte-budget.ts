import type { Readable } from 'node:stream';

/** The default of {@link createByteBudget}: 50 MiB of response bodies read at once, in one run. */
export const DEFAULT_MAX_BUFFERED_BYTES = 50 * 1024 * 1024;

/**
 * A limit on the response bytes a client holds at once across all its requests in flight; see
 * {@link createByteBudget}.
 */
export interface ByteBudget {
  /**
   * Counts the body read from `body` against the budget until the returned `release` is called
   * (once the caller is done with the bytes: decoded, parsed and judged), or until the stream
   * closes without reaching its end (failed or aborted). While the budget is spent the stream is
   * paused (TCP pushes back on the server), except the body that started first, which always
   * goes on: the budget slows a run down, it never stalls it. `release` may be called any number
   * of times.
   */
  track(body: Readable): () => void;
  /** Bytes counted now. */
  readonly used: number;
  /** The most bytes counted at once so far. */
  readonly peak: number;
  readonly limit: number;
}

/**
 * Creates a budget of `limit` bytes for response bodies held at once, from their first byte read
 * until their reader is done with them.
 *
 * Why: 50 polls of a 10 MB JSON body each read, buffered, decoded and parsed their body at the
 * same time: 70 MB each, 3.6 GB for the run. Reading is faster than parsing, so read bodies also
 * piled up waiting for their turn to be parsed. With a budget, the bodies beyond it wait (their
 * connections paused, the server's writes held back by TCP) and are read as others are done.
 * The count may pass `limit` by what one read brings per body in flight (Node reads up to
 * 64 KiB at a time): a stream is paused after the read that spent the budget.
 *
 * const budget = createByteBudget(8 * 1024 * 1024);
 * http.get(url, (res) => {
 *   const release = budget.track(res);
 *   const chunks = [];
 *   res.on('data', (c) => chunks.push(c)).on('end', () => { use(Buffer.concat(chunks)); release(); });
 * });
 */
export function createByteBudget(limit: number = DEFAULT_MAX_BUFFERED_BYTES): ByteBudget {
  interface Entry {
    readonly body: Readable;
    held: number;
    paused: boolean;
  }
  // In the order they started: the first always reads.
  const active: Entry[] = [];
  let used = 0;
  let peak = 0;

  const wake = (): void => {
    for (const entry of active) {
      if (!entry.paused) continue;
      if (used >= limit && entry !== active[0]) break;
      entry.paused = false;
      entry.body.resume();
    }
  };

  return {
    track(body) {
      const entry: Entry = { body, held: 0, paused: false };
      active.push(entry);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        const at = active.indexOf(entry);
        if (at >= 0) active.splice(at, 1);
        used -= entry.held;
        wake();
      };
      body.on('data', (chunk: Buffer | string) => {
        entry.held += chunk.length;
        used += chunk.length;
        peak = Math.max(peak, used);
        if (used > limit && active[0] !== entry && !released) {
          entry.paused = true;
          body.pause();
        }
      });
      // A body read to its end stays counted until the caller is done with it (it still holds the
      // bytes while they are decoded and parsed); one cut short lets go at once.
      let ended = false;
      body.once('end', () => void (ended = true));
      body.once('close', () => {
        if (!ended) release();
      });
      return release;
    },
    get used() {
      return used;
    },
    get peak() {
      return peak;
    },
    limit,
  };
}
