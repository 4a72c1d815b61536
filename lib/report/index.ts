/**
 * Reporters: folds over the run's events (`RunEvent`), each an RxJS `Observer`.
 *
 * @example
 * const junit = junitReporter();
 * const json = jsonReporter();
 * const screen = consoleReporter({ write: (s) => process.stdout.write(s), tty: false, color: false, verbose: false });
 * runSuite(suite, options).pipe(tap(junit), tap(json)).subscribe(screen);
 */
export { consoleReporter, type ConsoleReporter, type ConsoleReporterConfig } from './console.js';
export { htmlReporter, type HtmlReporterConfig } from './html-report.js';
export { jsonReporter, type JsonReport, type JsonReporterConfig, type JsonStep, type JsonSuite, type JsonTest } from './json.js';
export { junitReporter } from './junit.js';
export type { DocumentReporter, Reporter } from './reporter.js';
export { uniqueLabels } from './unique-labels.js';
