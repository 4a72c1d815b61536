import type { Observable } from 'rxjs';
import type { LiveFrame } from './live-frame.js';

/** The signals that stop a run gracefully (a second one: at once). */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** What a CLI command may touch: output, environment, cwd and signals. The bin wires the real ones. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly isTTY: boolean;
  /** Terminal size, when stdout is a terminal. */
  readonly columns?: number;
  readonly rows?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Emits once (replaying to late subscribers) when the run is asked to stop gracefully. */
  readonly interrupt$: Observable<string>;
  /** Which signal interrupted the run, if any. */
  interrupted(): StopSignal | undefined;
  /** Where the console's live block registers, so that writes to stderr erase it first (see `LiveFrame`). */
  readonly liveFrame?: LiveFrame;
  /**
   * Tunes the process for a run of up to `testsAtOnce` tests at once (its `--concurrency`),
   * before it reads its suites (the bin: `tuneGcForManyTests`, V8's collector for memory when
   * they are many). Absent: nothing.
   */
  readonly tuneForTestsAtOnce?: (testsAtOnce: number) => void;
}
