import type { Observer } from 'rxjs';
import type { RunEvent } from '../event/run-event.js';

/**
 * A reporter is an RxJS `Observer` of the run's events: a fold that reads every event once.
 *
 * The same object works in either place of a pipeline:
 *
 * @example
 * const screen = consoleReporter({ write: (s) => process.stdout.write(s), tty: false, color: false, verbose: false });
 * const junit = junitReporter();
 * runSuite(suite, options).pipe(tap(junit)).subscribe(screen);
 * // ...after the run completes, errors or is interrupted:
 * writeFileSync('report.xml', junit.render());
 *
 * `next` folds one event, `complete` marks the end of the run (the console prints its summary
 * there) and `error` marks a run that stopped on an unexpected error (the console prints the
 * error and the summary of what ran). The methods are closures: passing them around detached
 * (`events$.subscribe(reporter.next)`) is safe.
 */
export interface Reporter extends Observer<RunEvent> {
  next(event: RunEvent): void;
  error(err: unknown): void;
  complete(): void;
}

/** A reporter that accumulates a document (JSON, JUnit XML) to be written when the run is over. */
export interface DocumentReporter extends Reporter {
  /** The document for everything folded so far; callable at any time, also mid-run. */
  render(): string;
}
