/** A console stream that cannot break the run; see {@link guardedStream}. */
export interface GuardedStream {
  /** Writes `text`; once the stream has failed, does nothing. Never throws. */
  write(text: string): void;
  /** The error that stopped the stream (EPIPE, ENOSPC, EIO, ...), if it has failed. */
  readonly failure: NodeJS.ErrnoException | undefined;
  /** Resolves once what was written has been handed to the OS, or at once if the stream has failed. */
  drained(): Promise<void>;
}

/** Options of {@link guardedStream}. */
export interface GuardedStreamConfig {
  /** Called once, with the error, when the stream fails. */
  readonly onFailure?: (error: NodeJS.ErrnoException) => void;
}

/**
 * Wraps stdout or stderr so that an output failure never changes the run: the reader of a pipe
 * went away (`rocketship run ... | head -1`: EPIPE), the disk is full (`> /dev/full`: ENOSPC),
 * the terminal hung up (EIO). Node reports such a failure as an `'error'` event on the stream,
 * and an `'error'` event nobody listens to is an uncaught exception: the run died mid-step,
 * without its cleanup steps, reports or exit code. Here the first failure is recorded and every
 * later write is dropped: the run goes on and ends as it would have, only silently.
 *
 * const stdout = guardedStream(process.stdout);
 * stdout.write('[suite] running 3 tests\n');   // EPIPE: nothing thrown, nothing more written
 * stdout.failure?.code                         // 'EPIPE'
 */
export function guardedStream(
  stream: NodeJS.WritableStream & { readonly writableLength?: number },
  config: GuardedStreamConfig = {},
): GuardedStream {
  let failure: NodeJS.ErrnoException | undefined;
  const fail = (error: unknown): void => {
    if (failure !== undefined) return;
    failure = error as NodeJS.ErrnoException;
    config.onFailure?.(failure);
  };
  // Never removed: a write that was accepted may still fail later, once the OS has it.
  stream.on('error', fail);
  return {
    write: (text) => {
      if (failure !== undefined || text === '') return;
      try {
        stream.write(text);
      } catch (error) {
        fail(error);
      }
    },
    get failure() {
      return failure;
    },
    drained: () => {
      if (failure !== undefined || stream.writableLength === 0) return Promise.resolve();
      // Write callbacks run in order: this one runs once every earlier write is done, or failed.
      return new Promise((resolve) => {
        try {
          stream.write('', () => resolve());
        } catch (error) {
          fail(error);
          resolve();
        }
      });
    },
  };
}
