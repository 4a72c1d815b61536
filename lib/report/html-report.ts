import { VERSION } from '../version.js';
import { renderPage } from './html/render-page.js';
import { reportData } from './html/report-data.js';
import type { DocumentReporter } from './reporter.js';
import { runErrorOf, type RunErrorEntry } from './run-error.js';
import { createRunTree } from './run-tree.js';

/** Options of the HTML report. */
export interface HtmlReporterConfig {
  /** The version written in the report. Default: the package's. */
  readonly version?: string | undefined;
  /**
   * Masks secrets in a value, deeply (a `Redactor`'s `redact`), called on every part of the run
   * as the report is rendered, before anything is written as text. The events are masked by
   * `runSuite` already; this pass masks the values the run learned were secrets only later (a
   * token saved, then sent as a credential). Default: nothing more is masked.
   */
  readonly redact?: (<A>(value: A) => A) | undefined;
}

/**
 * Collects the run into one self-contained HTML page (inline style and script; nothing is
 * fetched, so it opens from `file://` and as a CI artifact) for a person who was not there:
 *
 * - a summary (passed, failed, errored, skipped, interrupted, the run's duration), a filter by
 *   status and a search by name;
 * - an overview of the run in time: each test a bar on one time axis, in as many lanes as tests
 *   ran at once;
 * - per test, its steps with their status and duration; per step its request and response (every
 *   attempt's), its checks (expected and actual), its saved values, its logs and script output;
 * - per polling step (and per step with `retry`), a timeline: each attempt a mark at its send
 *   time, coloured by outcome (conditions held, not yet, transport error, failed), the waits
 *   between them, the deadline as a line, each attempt's condition results on hover and its
 *   request and response on click.
 *
 * The run's data is embedded as JSON (see `ReportData`: times relative to the run's start, each
 * distinct request, header set, body and check result stored once) and the page builds what is
 * looked at only (a virtual test list; a test's steps when it is selected), so a run of 5,000
 * tests and 100,000 attempts makes a file of a few tens of MB that opens in a second or two.
 * Server data cannot break out of the page: the JSON is escaped for a `<script>` element, and
 * the page sets every text as text, never as HTML. Values nested deeper than 100 levels are
 * elided. `render()` works at any time, so an interrupted run still gets a report.
 *
 * @example
 * const html = htmlReporter();
 * runSuite(suite, options).pipe(tap(html)).subscribe({ complete: () => writeFileSync('report.html', html.render()) });
 */
export function htmlReporter(config: HtmlReporterConfig = {}): DocumentReporter {
  const tree = createRunTree({ keepAttempts: true });
  const errors: RunErrorEntry[] = [];
  let started = true;
  return {
    next: (event) => tree.add(event),
    error(error) {
      const stopped = runErrorOf(error);
      errors.push(...stopped.entries);
      if (!stopped.started) started = false;
    },
    complete() {},
    render() {
      const data = reportData(tree, { version: config.version ?? VERSION, errors, started, redact: config.redact });
      const { summary } = data;
      const bad = summary.failed + summary.errored;
      const title = `rocketship report: ${bad > 0 ? `${bad} of ${summary.total} failed` : summary.errors > 0 ? 'errors' : `${summary.total} tests`}`;
      // JSON.stringify is safe here, and 6x faster than writeJson on 100,000 attempts: the data is
      // a few levels deep by construction, every value from a server being a string already.
      return renderPage(JSON.stringify(data), title);
    },
  };
}
