import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Options of {@link writeReportFile} and {@link writeReportFileSync}. */
export interface WriteReportFileConfig {
  /** Attempts after the first one when the process or the system is out of file descriptors (EMFILE, ENFILE). Default 8. */
  readonly retries?: number;
  /** The wait before the first retry, in ms; doubled before each next one, up to 1000. Default 25 (8 retries: about 3 s in all). */
  readonly delayMs?: number;
}

/**
 * Writes a report file whole or not at all, and waits for file descriptors when there are none.
 *
 * - The text goes to a temporary file beside `path` (`.name.PID.tmp`), which is then renamed over
 *   `path`: a reader (a CI step publishing `junit.xml`) sees the previous file or the new one,
 *   never half of one, even if the process dies mid-write. The directory is created if need be.
 * - EMFILE and ENFILE (too many open files: a run near `ulimit -n`, keep-alive sockets not yet
 *   closed) are retried `retries` times with a growing wait, in which the event loop runs, so
 *   sockets being closed give their descriptors back. Any other error is thrown at once.
 * - On failure the temporary file is removed and the error (a `NodeJS.ErrnoException`) thrown.
 *
 * await writeReportFile('out/junit.xml', junit.render());
 */
export async function writeReportFile(path: string, text: string, config: WriteReportFileConfig = {}): Promise<void> {
  for (const wait of retryWaits(config, 8)) {
    if (replacedUnlessOutOfDescriptors(path, text)) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  replaceFile(path, text);
}

/**
 * {@link writeReportFile} for a process about to exit (a second Ctrl-C, an uncaught exception):
 * the same, but it waits between attempts by blocking the thread, so fewer retries (default 3)
 * are worth making: only other processes can give descriptors back meanwhile.
 */
export function writeReportFileSync(path: string, text: string, config: WriteReportFileConfig = {}): void {
  for (const wait of retryWaits(config, 3)) {
    if (replacedUnlessOutOfDescriptors(path, text)) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
  }
  replaceFile(path, text);
}

/** The waits before each retry: `retries` of them (default `defaultRetries`), from `delayMs`, doubled each time up to 1000 ms. */
function* retryWaits(config: WriteReportFileConfig, defaultRetries: number): Generator<number> {
  let delay = config.delayMs ?? 25;
  for (let i = 0; i < (config.retries ?? defaultRetries); i += 1) {
    yield delay;
    delay = Math.min(delay * 2, 1000);
  }
}

/** One attempt: true when written, false when out of file descriptors (worth another try); any other error thrown. */
function replacedUnlessOutOfDescriptors(path: string, text: string): boolean {
  try {
    replaceFile(path, text);
    return true;
  } catch (error) {
    if (outOfDescriptors(error)) return false;
    throw error;
  }
}

function replaceFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The error worth reporting is the first one.
    }
    throw error;
  }
}

function outOfDescriptors(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'EMFILE' || code === 'ENFILE';
}
