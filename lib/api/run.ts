import { ReplaySubject } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { loadSuiteFile, type DslError, type LoadedSuite } from '../dsl/index.js';
import { checkTemplates } from '../dsl/check-templates.js';
import { createAxiosClient } from '../http/axios-client.js';
import type { HttpClient } from '../http/http-client.js';
import { formatStepProblem } from '../step/format-step-problem.js';
import { createContractCache } from '../openapi/contract-cache.js';
import { builtinPlugins } from '../plugins/builtin.js';
import { preloadContracts } from '../plugins/preload-contracts.js';
import { pluginCodecs, type PluginRegistry } from '../plugins/registry.js';
import type { RunEvent, SuiteRef, SuiteResult, TestRef, TestResult } from '../event/run-event.js';
import { createRedactor } from '../secrets/create-redactor.js';
import { suiteSecrets } from '../secrets/suite-secrets.js';
import { mergeVars } from '../run/merge-vars.js';
import { runSuite } from '../run/run-suite.js';
import type { Reporter } from '../report/reporter.js';
import { inputErrorEntry, type RunErrorEntry } from '../report/run-error.js';

/** Options of {@link run}. Every one may be left out. */
export interface RunOptions {
  /** The HTTP client. Default: a new `createAxiosClient()`, whose idle connections are closed when the run ends. */
  readonly http?: HttpClient | undefined;
  /** The step kinds a suite may use; a suite file is decoded with their config codecs. Default `builtinPlugins()`. */
  readonly plugins?: PluginRegistry | undefined;
  /** What `{{ .env.X }}` reads. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Values merged over the file's `vars`, as `--var` does (deeply: `{ a: { b: 1 } }` keeps `a`'s other keys). */
  readonly vars?: Readonly<Record<string, Json>> | undefined;
  /** What `{{ .secrets.X }}` reads, as `--secret` does; every value is masked as `***` in events and in the summary. */
  readonly secrets?: Readonly<Record<string, string>> | undefined;
  /** How many tests run at once. Default 8, as `--concurrency`. */
  readonly concurrency?: number | undefined;
  /** Which tests to run, by name (as `--test` and `--grep`) and position in the file's `tests` (0-based). Default: all. */
  readonly only?: ((testName: string, testIndex: number) => boolean) | undefined;
  /** Stop starting tests after the first failed one, as `--bail`; cleanup still runs. */
  readonly bail?: boolean | undefined;
  /**
   * Aborting it interrupts the run as Ctrl-C does: steps in flight end `Interrupted`, later
   * ones are skipped, cleanup steps still run, then the promise resolves (verdict `interrupted`).
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Observers of the run's events (`consoleReporter`, `jsonReporter`, `junitReporter` or your
   * own): each sees every event, then `complete()`, or `error()` when the run stopped on an
   * internal error. Default: none; `run` prints nothing.
   */
  readonly reporters?: readonly Reporter[] | undefined;
}

/** How a run ended, in the words of the CLI's exit codes. */
export type RunVerdict =
  /** Every test passed (or was skipped on purpose by `only`): exit code 0. */
  | 'passed'
  /** A test failed, a suite init or cleanup step did not pass, or the runner itself failed (see `errors`): exit code 1. */
  | 'failed'
  /** The suite file, or an OpenAPI document it names, is wrong: nothing ran, `errors` says where (file:line:col): exit code 2. */
  | 'invalid'
  /** `signal` was aborted: exit code 130, as for Ctrl-C. */
  | 'interrupted';

/** One test of a {@link RunSummary}: where it is, and how it ended. */
export interface TestSummary {
  /** Which test, as its events say: suite, file, name (`ref.test`, a label) and position (`ref.testIndex`, its identity). */
  readonly ref: TestRef;
  /** How it ended, as the `TestEnded` event says (for `Failed`: which step, and the step's tagged `cause`). */
  readonly result: TestResult;
  /** For a test that did not pass: the reason as the console prints it (`formatStepProblem` of the cause, or why it was skipped). */
  readonly message?: string;
}

/**
 * What {@link run} resolves to: the outcome, the counts of the summary line, every test's
 * result and any problem that kept the run from starting or stopped it.
 *
 * { verdict: 'failed', exitCode: 1, passed: 2, failed: 1, skipped: 0, interrupted: 0, durationMs: 1840,
 *   suite: { ref: { suite: 'Jobs', file: 'rocketship.yaml' }, result: { _tag: 'Failed', ... } },
 *   tests: [{ ref: { suite: 'Jobs', file: 'rocketship.yaml', test: 'submit', testIndex: 0 }, result: { _tag: 'Passed', durationMs: 35 } }, ...],
 *   errors: [] }
 */
export interface RunSummary {
  readonly verdict: RunVerdict;
  /** The exit code `rocketship run` gives this outcome: 0, 1, 2 or 130. */
  readonly exitCode: 0 | 1 | 2 | 130;
  /** Tests by outcome, as the summary line `N passed, N failed, N skipped` counts them (skipped includes tests never started). */
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly interrupted: number;
  /** From the first event to the last, in milliseconds (0 when nothing ran). */
  readonly durationMs: number;
  /** The suite as its `SuiteEnded` event reported it (`result.initFailure` says which suite init step failed); absent when it did not end. */
  readonly suite?: { readonly ref: SuiteRef; readonly result: SuiteResult };
  /** Every test that ended, in the order they ended. */
  readonly tests: readonly TestSummary[];
  /** Problems that are not a test's: each `DslError` of a suite file that is wrong (`kind: 'input'`), or an internal error (`kind: 'internal'`). */
  readonly errors: readonly RunErrorEntry[];
}

/**
 * Runs one suite and resolves to its {@link RunSummary}: the common case, with the CLI's
 * defaults (the built-in plugins, the axios client, `process.env`). Give a file path (decoded
 * first: a wrong file resolves at once with verdict `invalid` and its errors, nothing sent) or a
 * suite already decoded (`loadSuiteFile`, `decodeSuiteText`). Its templates are checked before
 * the first request, as `rocketship run` checks them: an undefined variable or an unset
 * `{{ .env.X }}` is verdict `invalid`, nothing sent; so is an OpenAPI document (`openapi.spec`)
 * that is missing or broken (see `preloadContracts`). Never rejects: problems are in the summary. For the events as they happen, pass `reporters`, or use `runSuite` (an Observable).
 *
 * const summary = await run('rocketship.yaml', { vars: { api_url: 'http://127.0.0.1:8787' } });
 * if (summary.verdict !== 'passed') for (const t of summary.tests) if (t.message) console.log(`${t.test}: ${t.message}`);
 * process.exitCode = summary.exitCode;
 */
export async function run(fileOrSuite: string | LoadedSuite, options: RunOptions = {}): Promise<RunSummary> {
  // This run's OpenAPI documents: loaded (and checked) before it starts, then read by its steps.
  const contracts = createContractCache();
  const plugins = options.plugins ?? builtinPlugins({ contracts });
  const loaded: E.Either<DslError[], LoadedSuite> =
    typeof fileOrSuite === 'string' ? loadSuiteFile(fileOrSuite, { plugins: pluginCodecs(plugins) }) : E.right(fileOrSuite);
  if (E.isLeft(loaded)) return invalid(loaded.left);

  const suite = loaded.right;
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? {};
  // Every template of what will run, before the first request, as the CLI's run checks it.
  const vars = mergeVars(suite.suite.vars ?? {}, options.vars ?? {});
  const checked = checkTemplates(suite, { vars, env, secrets: Object.keys(secrets), unset: 'error', only: options.only });
  if (checked.errors.length > 0) return invalid(checked.errors);
  // Events come masked from runSuite; an internal error's message is masked here, with the same values.
  const redactor = createRedactor({ secrets: Object.values(secrets) });
  redactor.addSecrets(suiteSecrets(suite.suite, { env, secrets, vars }));
  // The OpenAPI documents, before the first request: a missing or broken one is an input error (a
  // `spec` may name a secret, as in a URL's password: the messages are masked). With plugins of
  // the caller's, their http plugin loads the documents again when its steps run.
  const documents = await preloadContracts(suite, { contracts, vars, env, secrets, only: options.only });
  if (documents.length > 0) return invalid(redactor.redact(documents));
  // A client made here is this run's own: its idle connections are closed at the end.
  let http: HttpClient;
  let release = (): void => {};
  if (options.http !== undefined) http = options.http;
  else {
    const client = createAxiosClient();
    http = client;
    release = () => client.closeIdleConnections();
  }
  const interrupt$ = new ReplaySubject<string>(1);
  const onAbort = () => interrupt$.next('aborted');
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const reporters = options.reporters ?? [];
  const tests: TestSummary[] = [];
  let ended: RunSummary['suite'];
  let firstAt: number | undefined;
  let lastAt = 0;
  let internal: string | undefined;
  try {
    await new Promise<void>((done) => {
      runSuite(suite, {
        http,
        plugins,
        env,
        secrets,
        ...(options.vars === undefined ? {} : { vars: options.vars }),
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.only === undefined ? {} : { only: options.only }),
        ...(options.bail === undefined ? {} : { bail: options.bail }),
        interrupt$,
        onSecret: (value) => redactor.addSecrets([value]),
      }).subscribe({
        next: (event: RunEvent) => {
          firstAt ??= event.at;
          lastAt = Math.max(lastAt, event.at);
          if (event._tag === 'TestEnded') tests.push(testSummary(event));
          else if (event._tag === 'SuiteEnded') ended = { ref: event.ref, result: event.result };
          for (const r of reporters) r.next(event);
        },
        error: (error: unknown) => {
          internal = redactor.redactText(error instanceof Error ? error.message : String(error));
          for (const r of reporters) r.error(new Error(internal));
          done();
        },
        complete: () => {
          for (const r of reporters) r.complete();
          done();
        },
      });
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    release();
  }

  const counts = ended?.result ?? countTests(tests);
  const verdict: RunVerdict =
    internal !== undefined ? 'failed' : options.signal?.aborted ? 'interrupted' : ended?.result._tag === 'Passed' ? 'passed' : 'failed';
  return {
    verdict,
    exitCode: EXIT_CODES[verdict],
    passed: counts.passed,
    failed: counts.failed,
    skipped: counts.skipped,
    interrupted: counts.interrupted,
    durationMs: firstAt === undefined ? 0 : Math.max(0, Math.round(lastAt - firstAt)),
    ...(ended === undefined ? {} : { suite: ended }),
    tests,
    errors: internal === undefined ? [] : [{ kind: 'internal', message: internal }],
  };
}

const EXIT_CODES = { passed: 0, failed: 1, invalid: 2, interrupted: 130 } as const;

function invalid(errors: readonly DslError[]): RunSummary {
  return {
    verdict: 'invalid',
    exitCode: EXIT_CODES.invalid,
    passed: 0,
    failed: 0,
    skipped: 0,
    interrupted: 0,
    durationMs: 0,
    tests: [],
    errors: errors.map(inputErrorEntry),
  };
}

function testSummary(event: Extract<RunEvent, { _tag: 'TestEnded' }>): TestSummary {
  const { ref, result } = event;
  const message = result._tag === 'Failed' ? formatStepProblem(result.cause) : result._tag === 'Passed' ? undefined : result.reason;
  return { ref, result, ...(message === undefined ? {} : { message }) };
}

function countTests(tests: readonly TestSummary[]): Pick<SuiteResult, 'passed' | 'failed' | 'skipped' | 'interrupted'> {
  const count = (tag: TestResult['_tag']) => tests.filter((t) => t.result._tag === tag).length;
  return { passed: count('Passed'), failed: count('Failed'), skipped: count('Skipped'), interrupted: count('Interrupted') };
}
