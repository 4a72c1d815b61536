import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { jsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import type { DocumentReporter } from '../report/reporter.js';
import { RunError } from '../report/run-error.js';
import type { Redactor } from '../secrets/create-redactor.js';
import { writeReportFile, writeReportFileSync, type WriteReportFileConfig } from './write-report-file.js';

/** A report asked for with `--report FORMAT=PATH`. */
export interface ReportRequest {
  readonly format: 'json' | 'junit';
  /** As given; relative to the working directory. */
  readonly path: string;
}

/** Options of {@link createReportFiles}. */
export interface ReportFilesConfig {
  /** What relative report paths are relative to. */
  readonly cwd: string;
  /** Retries on EMFILE/ENFILE (see `writeReportFile`). */
  readonly retry?: WriteReportFileConfig;
  /**
   * The run's redactor: it masks the entries of a `RunError` given to `stop`, and every report
   * again as it is rendered, with the values it knows then. That second pass is what masks a
   * value the run learned is a secret only by using it (a token saved, then sent as a
   * credential: see `RedactorConfig.onSecret`) in the events emitted before it did, which
   * `runSuite` masked without it. Default: nothing is masked here.
   */
  readonly redactor?: Pick<Redactor, 'redact' | 'redactText'>;
}

/** The report files of one `rocketship run`; see {@link createReportFiles}. */
export interface ReportFiles {
  /** One document reporter per request, in order: fold the run's events into them. */
  readonly reporters: readonly DocumentReporter[];
  /** Tells every reporter that the run stopped on `error`, or never started (see `RunError`); its entries are masked (see `redactor`). */
  stop(error: RunError): void;
  /**
   * Deletes the files an earlier run left at the requested paths, before this run starts, so
   * that not even a process killed with SIGKILL leaves a stale report behind. Returns the
   * problems, as messages naming the flag.
   */
  removeStale(): string[];
  /** Renders and writes every report, each whole or not at all, retrying when out of file descriptors. Returns the problems. */
  write(): Promise<string[]>;
  /** The same, synchronously, for a process about to exit (a second signal, an uncaught exception). */
  writeNow(): string[];
}

/**
 * The requested reports of a run, from its start to whatever end it comes to: every report is
 * written, or else removed, never left from an earlier run.
 *
 * The reporters exist from the start, so whenever the process has to stop (the run ended, bad
 * input, a usage error, a second Ctrl-C, a crash) there is a document to write: what ran so far,
 * plus the error that stopped it. A report that cannot be written is removed if it was there,
 * and the problem returned (the run then exits 1).
 *
 * const files = createReportFiles([{ format: 'junit', path: 'out/junit.xml' }], { cwd: process.cwd() });
 * files.removeStale();
 * events$.subscribe({ next: (e) => files.reporters.forEach((r) => r.next(e)) });
 * // ... once the run is over:
 * for (const problem of await files.write()) console.error(problem);
 */
export function createReportFiles(requests: readonly ReportRequest[], config: ReportFilesConfig): ReportFiles {
  const reports = requests.map((request) => ({
    request,
    path: resolve(config.cwd, request.path),
    reporter: request.format === 'json' ? jsonReporter() : junitReporter(),
  }));
  const label = (request: ReportRequest): string => `--report ${request.format}=${request.path}`;
  const redactor = config.redactor;
  const mask = (text: string): string => (redactor === undefined ? text : redactor.redactText(text));
  const masked = (error: RunError): RunError =>
    redactor === undefined ? error : new RunError(redactor.redact(error.entries), { started: error.started, at: error.at });
  // A report that could not be written must not be left from an earlier run either.
  const failed = (report: (typeof reports)[number], error: unknown): string => {
    const why = `${label(report.request)}: cannot write (${describe(error)})`;
    try {
      rmSync(report.path, { force: true });
      return why;
    } catch (removal) {
      return `${why}, nor remove the file an earlier run left there (${describe(removal)})`;
    }
  };
  return {
    reporters: reports.map((r) => r.reporter),
    stop: (error) => {
      const shown = masked(error);
      for (const r of reports) r.reporter.error(shown);
    },
    removeStale: () =>
      reports.flatMap((report) => {
        try {
          rmSync(report.path, { force: true });
          return [];
        } catch (error) {
          return [`${label(report.request)}: cannot remove the file an earlier run left there (${describe(error)})`];
        }
      }),
    write: async () => {
      const problems: string[] = [];
      for (const report of reports) {
        try {
          await writeReportFile(report.path, mask(report.reporter.render()), config.retry);
        } catch (error) {
          problems.push(failed(report, error));
        }
      }
      return problems;
    },
    writeNow: () =>
      reports.flatMap((report) => {
        try {
          writeReportFileSync(report.path, mask(report.reporter.render()), config.retry);
          return [];
        } catch (error) {
          return [failed(report, error)];
        }
      }),
  };
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
