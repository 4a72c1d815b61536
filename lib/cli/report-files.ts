import { accessSync, constants, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { htmlReporter } from '../report/html-report.js';
import { jsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import type { DocumentReporter } from '../report/reporter.js';
import { RunError } from '../report/run-error.js';
import type { Redactor } from '../secrets/create-redactor.js';
import { writeReportFile, writeReportFileSync, type WriteReportFileConfig } from './write-report-file.js';

/** A report asked for with `--report FORMAT=PATH`. */
export interface ReportRequest {
  readonly format: 'json' | 'junit' | 'html';
  /** As given; relative to the working directory. `-` is stdout. */
  readonly path: string;
}

/** The report path that means stdout. */
export const STDOUT_PATH = '-';

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
  /**
   * Where a report with the path `-` goes: its whole document, in one call, when the reports are
   * written. Needed only when a request's path is `-`.
   */
  readonly stdout?: ((text: string) => void) | undefined;
}

/** The report files of one `rocketship run`; see {@link createReportFiles}. */
export interface ReportFiles {
  /** One document reporter per request, in order: fold the run's events into them. */
  readonly reporters: readonly DocumentReporter[];
  /** Whether a report goes to stdout (`--report json=-`): the console must then keep off it. */
  readonly toStdout: boolean;
  /**
   * Checks, before the run starts, that each report can be written where asked: not a
   * directory, in a directory that exists or can be created, and writable; no two reports at one
   * path, nor at one of `inputs` (absolute paths of the run's input files, which a report would
   * overwrite). Returns the problems, as messages naming the flag; a report with a problem is left
   * out of every later write (so that it is reported once, and nothing is written in its place).
   */
  check(inputs?: readonly string[]): string[];
  /** Tells every reporter that the run stopped on `error`, or never started (see `RunError`); its entries are masked (see `redactor`). */
  stop(error: RunError): void;
  /**
   * Deletes the files an earlier run left at the requested paths, before this run starts, so
   * that not even a process killed with SIGKILL leaves a stale report behind. Returns the
   * problems, as messages naming the flag.
   */
  removeStale(): string[];
  /**
   * Renders and writes every report, each whole or not at all, retrying when out of file
   * descriptors; the stdout report (once only, whatever is called after). Returns the problems.
   */
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
  if (config.stdout === undefined && requests.some((r) => r.path === STDOUT_PATH))
    throw new Error('createReportFiles: a report goes to stdout (-), but no stdout was given');
  const redactor = config.redactor;
  const mask = (text: string): string => (redactor === undefined ? text : redactor.redactText(text));
  const all = requests.map((request) => {
    // The HTML report masks its data itself, value by value, before writing it as JSON in the
    // page: masking the page's text afterwards could cut into its script, or miss a secret
    // written there with `<` escaped.
    const reporter =
      request.format === 'html'
        ? htmlReporter({ redact: redactor === undefined ? undefined : (v) => redactor.redact(v) })
        : request.format === 'json'
          ? jsonReporter()
          : junitReporter();
    const text = request.format === 'html' ? () => reporter.render() : () => mask(reporter.render());
    return { request, toStdout: request.path === STDOUT_PATH, path: resolve(config.cwd, request.path), reporter, text };
  });
  /** The reports still to be written: a report that failed `check` is left out. */
  let reports = all;
  const label = (request: ReportRequest): string => `--report ${request.format}=${request.path}`;
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
  // The stdout report is one document, written once: a second signal after the run's own write
  // (or a crash then) must not append a second copy.
  let stdoutWritten = false;
  const toStdout = (report: (typeof all)[number]): void => {
    if (stdoutWritten) return;
    stdoutWritten = true;
    config.stdout?.(report.text());
  };
  return {
    reporters: all.map((r) => r.reporter),
    toStdout: all.some((r) => r.toStdout),
    check: (inputs = []) => {
      const problems = new Map<(typeof all)[number], string>();
      for (const [i, report] of reports.entries()) {
        if (report.toStdout) continue;
        const same = reports.slice(0, i).find((r) => !r.toStdout && r.path === report.path);
        const problem =
          same !== undefined
            ? `${label(same.request)} names the same file; give each report its own path`
            : inputs.includes(report.path)
              ? `${report.request.path} is an input of the run; the report would overwrite it`
              : unwritable(report.path, report.request);
        if (problem !== undefined) problems.set(report, `${label(report.request)}: ${problem}`);
      }
      reports = reports.filter((r) => !problems.has(r));
      return [...problems.values()];
    },
    stop: (error) => {
      const shown = masked(error);
      for (const r of reports) r.reporter.error(shown);
    },
    removeStale: () =>
      reports.flatMap((report) => {
        if (report.toStdout) return [];
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
        if (report.toStdout) {
          toStdout(report);
          continue;
        }
        try {
          await writeReportFile(report.path, report.text(), config.retry);
        } catch (error) {
          problems.push(failed(report, error));
        }
      }
      return problems;
    },
    writeNow: () =>
      reports.flatMap((report) => {
        if (report.toStdout) {
          toStdout(report);
          return [];
        }
        try {
          writeReportFileSync(report.path, report.text(), config.retry);
          return [];
        } catch (error) {
          return [failed(report, error)];
        }
      }),
  };
}

/**
 * Why a report file cannot be written at `path` (`request` as written), found without
 * writing anything: it is a directory, a part of its directory is a file, or the nearest
 * existing directory cannot be written to. Undefined when it looks writable.
 */
function unwritable(path: string, request: ReportRequest): string | undefined {
  const given = request.path;
  if (kindOf(path) === 'directory')
    return `${given} is a directory; give a file path, such as ${given.replace(/[\\/]+$/, '')}/${DEFAULT_NAMES[request.format]}`;
  // The nearest existing ancestor: the report's directory, or where its missing part would be made.
  let dir = dirname(path);
  for (let kindHere = kindOf(dir); kindHere === 'missing'; kindHere = kindOf(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  if (kindOf(dir) !== 'directory') return `cannot create its directory: ${dir} is a file`;
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    return `cannot write in ${dir} (${describe(error)})`;
  }
  return undefined;
}

/** A file name to suggest when a report path is a directory. */
const DEFAULT_NAMES: Readonly<Record<ReportRequest['format'], string>> = { json: 'report.json', junit: 'junit.xml', html: 'report.html' };

function kindOf(path: string): 'missing' | 'directory' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch {
    // ENOENT, or ENOTDIR (a part of the path is a file: the walk up finds it).
    return 'missing';
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
