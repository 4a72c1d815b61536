/**
 * rocketship-rx: the public API. Load a suite, run it as an Observable of events, or compose the
 * polling operator into your own RxJS pipelines.
 *
 * import { loadSuiteFile, runSuite, createAxiosClient, builtinPlugins } from 'rocketship-rx';
 * const loaded = loadSuiteFile('rocketship.yaml');               // Either<DslError[], LoadedSuite>
 * if (loaded._tag === 'Right') {
 *   runSuite(loaded.right, { http: createAxiosClient(), plugins: builtinPlugins(), env: process.env })
 *     .subscribe((event) => console.log(event._tag));
 * }
 */
export { VERSION } from './version.js';
export type { Json } from './json.js';

// The file format
export * from './dsl/index.js';

// Running
export { runSuite, type RunSuiteConfig } from './run/run-suite.js';
export { runTest, placeSteps, type Placement, type StepsToPlace } from './run/run-test.js';
export { runSequence, seedState, sequenceEvents, type PlacedStep, type SequenceState } from './run/run-sequence.js';
export { runStep, type StepEnv } from './run/run-step.js';
export { mergeVars } from './run/merge-vars.js';
export { resolveRetryPolicy, retryDelay, type ResolvedRetryPolicy } from './run/retry-policy.js';
export type * from './event/run-event.js';

// Secrets: what runSuite masks in its events, and the parts to mask your own output with
export { createRedactor, MAX_LEARNED_PER_SCOPE, type Redactor, type RedactorConfig } from './secrets/create-redactor.js';
export { redactEvents, type RedactEventsConfig } from './secrets/redact-events.js';
export {
  isSecretName,
  isSensitiveField,
  SENSITIVE_HEADERS,
  REDACTED,
  MIN_SECRET_LENGTH,
  headerSecrets,
  urlSecrets,
} from './secrets/credentials.js';
export {
  suiteSecrets,
  sensitiveSaves,
  savedSecrets,
  credentialReferences,
  type SecretSources,
  type SensitiveSaves,
} from './secrets/suite-secrets.js';
export { secretForms } from './secrets/secret-forms.js';
export { createSecretSet, type SecretSet, type SecretSetConfig } from './secrets/secret-set.js';

// Plugins
export { definePlugin, type Plugin, type PluginContext, type PluginEvent } from './step/plugin.js';
export { StepConfigError, StepFailedError } from './step/step-error.js';
export type * from './step/step-failure.js';
export { formatStepProblem } from './step/format-step-problem.js';
export { pluginRegistry, withPlugin, pluginCodecs, type PluginRegistry, type RegisteredPlugin } from './plugins/registry.js';
export { builtinPlugins } from './plugins/builtin.js';
export { httpPlugin, retryAfterMs } from './plugins/http.js';
export { delayPlugin } from './plugins/delay.js';
export { logPlugin } from './plugins/log.js';
export { scriptPlugin } from './plugins/script.js';

// Operators, usable on any Observable
export * from './operators/index.js';

// HTTP
export { createAxiosClient, DEFAULT_MAX_SOCKETS_PER_HOST, type AxiosClientOptions, type AxiosHttpClient } from './http/axios-client.js';
export { buildRequest, type RenderedHttpConfig } from './http/build-request.js';
export { TransportError, type HttpClient, type HttpRequest, type HttpResponse, type HttpHeaders } from './http/http-client.js';

// Checks, paths and templates
export { compileCheck, type CompiledCheck } from './check/compile-check.js';
export type { CheckResult } from './check/check-result.js';
export type { CheckSubject, Body } from './check/check-subject.js';
export { compileJsonPath, type JsonPathQuery, type Lookup } from './extract/json-path.js';
export { renderString } from './template/render-string.js';
export { renderValue } from './template/render-value.js';
export type { TemplateContext } from './template/template-context.js';
export { TemplateError } from './template/template-error.js';

// Reporters
export {
  consoleReporter,
  jsonReporter,
  junitReporter,
  uniqueLabels,
  type ConsoleReporter,
  type ConsoleReporterConfig,
  type DocumentReporter,
  type Reporter,
} from './report/index.js';
