/** Options of {@link bufferedOutput}. */
export interface BufferedOutputConfig {
  /** Receives the batched text: whole `write` calls joined, in order. */
  readonly write: (text: string) => void;
  /** The longest a written text waits before it is passed on, in ms. Default 50. */
  readonly maxDelayMs?: number;
  /** Pass the batch on at once when it reaches this many characters. Default 65536. */
  readonly maxChars?: number;
  /** Runs `flush` after `ms`; returns a cancel function. Default: an unref'd `setTimeout`. */
  readonly schedule?: (flush: () => void, ms: number) => () => void;
}

/** A writer that batches, and the means to empty it. */
export interface BufferedOutput {
  /** Queues `text`; it is passed on within `maxDelayMs`, or at once if the batch is full. */
  write(text: string): void;
  /** Passes on what is queued now (call it before exiting, and before writing elsewhere). */
  flush(): void;
}

/**
 * Batches writes to a pipe or a file: a run prints a line per step, and one `write(2)` per line
 * costs more than the line itself once a suite has thousands of steps (the reader of a pipe is
 * woken for each). Text is passed on at most `maxDelayMs` after it was written, so the output
 * still follows the run live, just in fewer, larger writes. Not for a terminal's live display.
 *
 * const out = bufferedOutput({ write: (s) => process.stdout.write(s) });
 * out.write('a\n'); out.write('b\n');   // nothing written yet
 * out.flush();                           // process.stdout.write('a\nb\n')
 */
export function bufferedOutput(config: BufferedOutputConfig): BufferedOutput {
  const maxDelayMs = config.maxDelayMs ?? 50;
  const maxChars = config.maxChars ?? 65_536;
  const schedule = config.schedule ?? defaultSchedule;
  let pending: string[] = [];
  let chars = 0;
  let cancel: (() => void) | undefined;

  const flush = (): void => {
    cancel?.();
    cancel = undefined;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    chars = 0;
    config.write(text);
  };
  return {
    write: (text) => {
      if (text === '') return;
      pending.push(text);
      chars += text.length;
      if (chars >= maxChars) flush();
      else cancel ??= schedule(flush, maxDelayMs);
    },
    flush,
  };
}

function defaultSchedule(flush: () => void, ms: number): () => void {
  const timer = setTimeout(flush, ms);
  // A pending flush alone must not keep the process alive; exiting flushes anyway.
  timer.unref();
  return () => clearTimeout(timer);
}
