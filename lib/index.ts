/**
 * rocketship-rx: the public API, and all of it (anything else under dist/ is internal and may
 * change in any release). Run a suite file in one call, run a decoded suite as an Observable of
 * events, add step kinds, fold events into reports, or compose the polling operators into your
 * own RxJS pipelines. Every export below has one line saying what it is for; its doc comment is
 * the manual.
 *
 * import { run } from 'rocketship-rx';
 * const summary = await run('rocketship.yaml');   // RunSummary: verdict, exitCode, counts, tests, errors
 */
/** The package's version, as `rocketship --version` prints it. */
export { VERSION } from './version.js';
/** Any JSON value: what servers send, what steps save, what `vars` hold. */
export type { Json } from './json.js';

// Running a suite

/** Runs one suite file (or decoded suite) with the CLI's defaults; resolves to its summary, never rejects. */
export { run, type RunOptions, type RunSummary, type RunVerdict, type TestSummary } from './api/run.js';
/** Runs a decoded suite as a cold Observable of `RunEvent`s: every effect passed in, unsubscribing aborts. */
export { runSuite, type RunSuiteConfig } from './run/run-suite.js';
/** Where a suite's tests run (`runSuite`'s `executor`): the interface, and the default (in this process). */
export { localExecutor, type TestExecutor, type TestJob } from './run/test-executor.js';
/** Distributed runs: tests on queue workers through BullMQ on Redis (loaded on first use, never at import). */
export { queueExecutor, startWorker } from './queue/lazy-queue.js';
/** The queue executor and worker's options and handles (docs/distributed.md). */
export type { QueueExecutor, QueueExecutorConfig } from './queue/queue-executor.js';
export type { QueueWorker, QueueWorkerConfig } from './queue/worker.js';
/** A pool of test slots shared by several `runSuite` calls (`RunSuiteConfig.testSlots`), as `--concurrency` across files. */
export { createSlotPool, type SlotPool } from './run/slot-pool.js';
/** The events a run emits and the data they carry (`StepResult`, `TestResult`, `SuiteResult`, `SuiteRef`/`TestRef`/`StepRef` as every event's `ref`, `AttemptRecord`, ...). */
export type * from './event/run-event.js';
/** Why a step failed (`StepFailure`: `PollTimedOut`, `Assertions`, `Transport`, ...) or could not run (`StepError`): tagged data. */
export type * from './step/step-failure.js';
/** The text of a step failure or error, as the console prints it. */
export { formatStepProblem } from './step/format-step-problem.js';

// The suite file

/** Reads and decodes a suite file: `Either<DslError[], LoadedSuite>`, nothing runs. */
export { loadSuiteFile } from './dsl/load-suite.js';
/** Decodes suite text (named `file` in errors): `Either<DslError[], LoadedSuite>`. */
export { decodeSuiteText, type DecodeSuiteOptions, type LoadedSuite } from './dsl/decode-suite.js';
/** The suite files `rocketship run -d DIR` finds below a directory. */
export { discoverSuiteFiles } from './dsl/discover.js';
/** One problem in a suite file: file, line, col, key path, message, expected and found. */
export type { DslError } from './dsl/dsl-error.js';
/** A `DslError` as the CLI prints it: `file:line:col`, the path, the source line and a caret. */
export { formatDslError } from './dsl/format-dsl-error.js';
/** The JSON Schema of suite files, for editors, made from the codecs (the built-in plugins', or a registry's: `pluginCodecs(registry)`). */
export { suiteJsonSchema, type SuiteJsonSchemaOptions } from './dsl/suite-json-schema.js';
/** The decoded suite file, as types (the codecs themselves are internal). */
export type {
  Suite,
  Test,
  Step,
  Cleanup,
  HttpConfig,
  DelayConfig,
  LogConfig,
  ScriptConfig,
  Polling,
  Check,
  Save,
  RetryPolicy,
} from './dsl/index.js';

// Step kinds (plugins)

/** Defines a step kind: its `plugin:` name, the codec of its `config`, and how it runs. */
export { definePlugin, type Plugin, type PluginContext, type PluginEvent } from './step/plugin.js';
export type { RunResources } from './step/run-resources.js';
/** What a plugin errors with: the system under test misbehaved (`StepFailedError`), or the step cannot run as written (`StepConfigError`). */
export { StepConfigError, StepFailedError } from './step/step-error.js';
/** A plugin's view of a response (`Done.subject`) and of one request (`Attempt`), for assertions and reports. */
export type { CheckSubject, Body } from './check/check-subject.js';
export type { AttemptRecord, CheckRecord } from './step/attempt-record.js';
export type { AttemptContract, BodyCheck, ContractCheck } from './step/contract-check.js';
export type { CheckResult } from './check/check-result.js';
/** The step kinds of a run (`pluginRegistry(...)`, `withPlugin(registry, plugin)`), and the codecs the decoder needs of them. */
export { pluginRegistry, withPlugin, pluginCodecs, type PluginRegistry, type RegisteredPlugin } from './plugins/registry.js';
/** The built-in step kinds: http, delay, log, script, sql (all of them, or one by one to leave some out). */
export { builtinPlugins } from './plugins/builtin.js';
export { httpPlugin } from './plugins/http.js';
export { delayPlugin } from './plugins/delay.js';
export { logPlugin } from './plugins/log.js';
export { scriptPlugin } from './plugins/script.js';
export { sqlPlugin, type SqlResult, type QueryResult } from './plugins/sql.js';
/** A strict io-ts object codec (unknown keys are errors, with "did you mean"): for a plugin's `config`. */
export { strictType } from './dsl/codecs/strict-type.js';
/** Declares the JSON Schema of a plugin's own codec (`new t.Type`), for `suiteJsonSchema`. */
export { withJsonSchema, type JsonSchema, type JsonSchemaDeclaration } from './dsl/codecs/with-json-schema.js';
/** The codec of a Go-style duration (`"250ms"`, `"1m30s"`), decoded to milliseconds: for a plugin's `config`. */
export { Duration } from './dsl/codecs/duration.js';
/** Renders `{{ ... }}` in a plugin's config values against `PluginContext.variables`. */
export { renderString } from './template/render-string.js';
export { renderValue } from './template/render-value.js';
export type { TemplateContext } from './template/template-context.js';
export { TemplateError } from './template/template-error.js';

// HTTP

/** The HTTP client the CLI uses (axios over keep-alive pools, Go's redirect rules, a per-host connection cap). */
export { createAxiosClient, type AxiosClientOptions, type AxiosHttpClient } from './http/axios-client.js';
/** The HTTP port a run takes: `(request) => Observable<HttpResponse>`, cold; a failure to get a response is a `TransportError`. */
export { TransportError, type HttpClient, type HttpRequest, type HttpResponse, type HttpHeaders } from './http/http-client.js';

// Plans: what a run would do, without running it

/** A suite's plan (each request rendered, placeholders for saved values, poll schedules, worst cases, flags), as `rocketship plan` prints it. */
export {
  planSuite,
  type PlanSuiteOptions,
  type SuitePlan,
  type TestPlan,
  type StepPlan,
  type PlannedRequest,
  type PlannedPoll,
  type PlannedRetry,
  type PlanFlag,
  type WorstCase,
} from './plan/plan-suite.js';
/** Suite plans as one run at a `--concurrency`: the run's worst case. */
export { planRun, type PlanRunOptions, type RunPlan } from './plan/plan-run.js';
/** A run plan as text for a person. */
export { formatPlan, type FormatPlanOptions } from './plan/format-plan.js';
/** A poll's send times, what ends it, a dead `max_attempts` and its worst case, by the formula `poll` waits by. */
export { pollSchedule, type PollSchedule, type PollScheduleConfig } from './plan/poll-schedule.js';

// Reports

/** Reporters: folds over a run's events (`Observer<RunEvent>`); console lines, a JSON document, JUnit XML, an HTML page. */
export {
  consoleReporter,
  htmlReporter,
  jsonReporter,
  junitReporter,
  type ConsoleReporter,
  type ConsoleReporterConfig,
  type DocumentReporter,
  type HtmlReporterConfig,
  type JsonReport,
  type JsonReporterConfig,
  type Reporter,
} from './report/index.js';
/** A problem that kept a run from starting or stopped it, as reports and `RunSummary.errors` hold it. */
export type { RunErrorEntry, RunErrorKind } from './report/run-error.js';

// Secrets

/** Masks secrets (and what a run learns is one) in text and values: for output you make from events you kept. */
export { createRedactor, type Redactor, type RedactorConfig } from './secrets/create-redactor.js';

// Operators, usable on any Observable

/** `poll` and `pollUntil`, their judgements (`done`, `failed`, `notYet`), events and errors; `deadline`; `backoffDelay`. */
export {
  backoffDelay,
  type BackoffConfig,
  deadline,
  DeadlineError,
  type DeadlineConfig,
  type DeadlineInfo,
  done,
  failed,
  notYet,
  type Done,
  type Failed,
  type Judgement,
  type NotYet,
  poll,
  PollConfigError,
  PollFailedError,
  PollMaxAttemptsError,
  PollTimeoutError,
  type AttemptOutcome,
  type AttemptTiming,
  type PollConfig,
  type PollDone,
  type PollEvent,
  type PollFailedInfo,
  type PollFailureInfo,
  type PollMaxAttemptsInfo,
  type PollPending,
  type PollTimeoutInfo,
  pollUntil,
  type PollUntilConfig,
} from './operators/index.js';
