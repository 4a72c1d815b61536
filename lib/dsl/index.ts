/**
 * The suite file format: YAML text in, a typed `Suite` or located errors out.
 *
 * loadSuiteFile('rocketship.yaml')            // Either<DslError[], LoadedSuite>
 * decodeSuiteText(text, 'inline.yaml')         // the same, from text
 * formatDslError(error)                        // file:line:col, path, expected/found, caret
 * checkTemplates(loaded, { vars, env })         // every template, before anything runs
 */
export { decodeSuiteText, type DecodeSuiteOptions, type LoadedSuite } from './decode-suite.js';
export { loadSuiteFile, MAX_SUITE_FILE_BYTES } from './load-suite.js';
export { MAX_ALIAS_NODES, MAX_ANCHORS_AND_ALIASES, MAX_NESTING } from './document-limits.js';
export { MAX_ERRORS } from './cap-errors.js';
export { discoverSuiteFiles, isRocketshipDir, suiteFilesWanted } from './discover.js';
export type { DslError } from './dsl-error.js';
export { formatDslError } from './format-dsl-error.js';
export { type DslWarning, formatDslWarning } from './dsl-warning.js';
export { findDuplicateTestNames } from './duplicate-test-names.js';
export { formatKeyPath, type KeyPath } from './key-path.js';
export { reportErrors } from './report-errors.js';
export { checkTemplates, type TemplateCheck, type TemplateCheckOptions } from './check-templates.js';

export { builtinPluginCodecs, type PluginCodecs } from './codecs/plugin-codecs.js';
export { Suite, suiteCodec } from './codecs/suite.js';
export { Test, testCodec } from './codecs/test.js';
export { Cleanup, cleanupCodec } from './codecs/cleanup.js';
export { Step, stepCodec, type StepCommon } from './codecs/step.js';
export { HttpConfig } from './codecs/http-config.js';
export { OpenApiStepConfig, OpenApiSuiteConfig, type OpenApiConfig } from './codecs/openapi-config.js';
export { DelayConfig } from './codecs/delay-config.js';
export { LogConfig } from './codecs/log-config.js';
export { ScriptConfig, ScriptLanguage } from './codecs/script-config.js';
export { SqlConfig, SqlDriver } from './codecs/sql-config.js';
export { SqlCheck } from './codecs/sql-check.js';
export { parseDsn, dsnUrl, DSN_FORMS, type Dsn, type SqlDriverName } from './parse-dsn.js';
export { Polling, PollingFields, pollingCodec } from './codecs/polling.js';
export { Check } from './codecs/check.js';
export { type Matchers, ValueType } from './codecs/matchers.js';
export { Save, SqlSave } from './codecs/save.js';
export { RetryPolicy, RetryFields } from './codecs/retry-policy.js';
export { Duration, parseDuration } from './codecs/duration.js';
export { type Template, type Templatable, isTemplate, templatable, orTemplateString } from './codecs/templatable.js';
export { Headers } from './codecs/headers.js';
export { Form } from './codecs/form.js';
export { HttpBody } from './codecs/http-body.js';
export { HttpMethod } from './codecs/http-method.js';
export { HttpUrl } from './codecs/http-url.js';
export { JsonPathString } from './codecs/json-path-string.js';
export { JsonMap, JsonValue } from './codecs/json-value.js';
export { strictType } from './codecs/strict-type.js';
export { withCheck } from './codecs/with-check.js';
export { list } from './codecs/list.js';
export { keyword } from './codecs/keyword.js';
export { boundedNumber } from './codecs/bounded-number.js';
export { NonEmptyString } from './codecs/non-empty-string.js';
