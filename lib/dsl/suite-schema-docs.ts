import type { Json } from '../json.js';
import type { Check } from './codecs/check.js';
import type { Cleanup } from './codecs/cleanup.js';
import type { DelayConfig } from './codecs/delay-config.js';
import type { HttpConfig } from './codecs/http-config.js';
import type { LogConfig } from './codecs/log-config.js';
import type { Matchers } from './codecs/matchers.js';
import type { OpenApiConfig, OpenApiSuiteConfig } from './codecs/openapi-config.js';
import type { Polling } from './codecs/polling.js';
import type { RetryPolicy } from './codecs/retry-policy.js';
import type { Save } from './codecs/save.js';
import type { ScriptConfig } from './codecs/script-config.js';
import type { Step } from './codecs/step.js';
import type { SqlConfig } from './codecs/sql-config.js';
import type { Suite } from './codecs/suite.js';
import type { Test } from './codecs/test.js';

/** The words on one key of a map, as an editor shows them on hover and offers them on completion. */
export interface KeyDocs {
  /** What the key is for, in the README's words. */
  readonly description: string;
  /** Values as a user writes them; each is checked against the key's schema by a spec. */
  readonly examples: readonly Json[];
  /** The value used when the key is absent, where there is one. */
  readonly default?: Json;
}

/** The words on one definition of the schema (`#/$defs/<id>`, or the root `Suite`). */
export interface DefinitionDocs {
  readonly description: string;
  readonly examples?: readonly Json[];
  /** One entry per key of the map: the spec fails on a key without one, and on an entry for no key. */
  readonly keys?: Readonly<Record<string, KeyDocs>>;
}

/** Every key of every member of a union. */
type KeysOf<T> = T extends unknown ? Extract<keyof T, string> : never;
/** Docs for exactly the keys of `T`: the compiler names a key added to a codec's type and left undocumented. */
type KeyDocsOf<T> = { readonly [K in KeysOf<T>]-?: KeyDocs };

type StatusCodeCheck = Omit<Extract<Check, { type: 'status_code' }>, 'exists'>;

/**
 * The descriptions and examples of the suite's JSON Schema, by definition (the README's
 * reference text). `suiteJsonSchema` writes them on the definitions and on each of their keys.
 *
 * Made when asked for (`rocketship schema`, `init`, the build), not at load: a run never needs
 * them, and V8's code cache of the CLI (taken after runs) then carries none of their text.
 */
export function suiteSchemaDocs(): Readonly<Record<string, DefinitionDocs>> {
  const DURATION_TEXT = 'A Go-style duration: a number and a unit (ns, us, ms, s, m, h), parts summed ("1m30s"), or "0".';
  const TEMPLATE_NOTE = 'May be a template ("{{ .vars.x }}"), checked again once rendered.';

  const polling: KeyDocsOf<Polling> = {
    interval: {
      description: `Time between polling attempts: the wait before attempt 2. The wait before attempt k+1 is interval * backoff_coefficient^(k-1), counted from the end of attempt k. Greater than 0. ${TEMPLATE_NOTE}`,
      examples: ['2s', '500ms', '{{ .vars.poll_interval }}'],
    },
    timeout: {
      description: `Maximum time to wait before giving up: a deadline for the whole poll, measured from the first request. The request in flight at the deadline is aborted; a wait that would end at or after it is not waited. Greater than 0. ${TEMPLATE_NOTE}`,
      examples: ['5m', '30s'],
    },
    max_attempts: {
      description: `Maximum number of polling attempts, the first request included (max_attempts: 5 sends at most 5). A whole number >= 1; absent, only the timeout limits the poll. ${TEMPLATE_NOTE}`,
      examples: [30, '{{ .vars.attempts }}'],
    },
    backoff_coefficient: {
      description: `Multiplier for exponential backoff: each wait is the previous one times this. At least 1 (1 keeps the interval constant). ${TEMPLATE_NOTE}`,
      examples: [1.2, 2],
      default: 1,
    },
    max_interval: {
      description: `A cap on the grown wait. Greater than 0. ${TEMPLATE_NOTE}`,
      examples: ['30s'],
    },
    jitter: {
      description: `A fraction from 0 to 1: each wait is drawn from [w*(1-jitter), w*(1+jitter)], then capped by max_interval. ${TEMPLATE_NOTE}`,
      examples: [0.2],
      default: 0,
    },
    conditions: {
      description:
        'List of conditions that must be met to stop polling: all must hold (at least one). An attempt whose conditions all hold ends the poll; transport errors, a body that is not JSON and a path that matches nothing mean "not yet". A 4xx/5xx is an ordinary response judged by the conditions.',
      examples: [
        [
          { type: 'status_code', expected: 200 },
          { type: 'json_path', path: '.status', expected: 'completed' },
        ],
      ],
    },
    fail_conditions: {
      description:
        'Same shape as conditions: when one of them holds (a terminal state such as .status == "failed"), the poll fails at once with that reason.',
      examples: [[{ type: 'json_path', path: '.status', expected: 'failed' }]],
    },
  };

  /** The matchers, as the README's reference says them; `exists` is not one of a status_code check. */
  const matchers: KeyDocsOf<Omit<Matchers, 'exists'>> = {
    expected: {
      description:
        'Equal to this value: strict, typed equality (true is not "true", 200 is not "200"; lists and maps compare deeply). A value that is exactly one template keeps the variable\'s type.',
      examples: ['completed', 200, true, '{{ expected_status }}'],
    },
    not_equals: { description: 'Not equal to this value (typed, as expected).', examples: ['failed', 500] },
    contains: {
      description: 'A string containing this text, a list containing this item, or a map containing this sub-map.',
      examples: ['ok', 3],
    },
    matches: {
      description: 'A string matching this regular expression (JavaScript syntax), checked when the file is decoded.',
      examples: ['^job-[0-9]+$'],
    },
    one_of: { description: 'Equal to one of these values.', examples: [['queued', 'running', 'completed']] },
    greater_than: { description: 'A number greater than this.', examples: [0] },
    greater_than_or_equal: { description: 'A number greater than or equal to this.', examples: [1] },
    less_than: { description: 'A number less than this.', examples: [100] },
    less_than_or_equal: { description: 'A number less than or equal to this.', examples: [99.5] },
    value_type: {
      description: "The value's JSON type (named value_type because type names the check kind).",
      examples: ['string', 'array'],
    },
    length: { description: 'The length of a string, list or map: a whole number >= 0.', examples: [3] },
    schema: {
      description: 'A JSON Schema the value must satisfy (validated with ajv).',
      examples: [{ type: 'object', required: ['id'] }],
    },
  };

  const exists: KeyDocs = {
    description: 'true: the value is present (a JSON null counts); false: it is absent.',
    examples: [true, false],
  };

  const statusCodeMatchers = {
    ...matchers,
    expected: {
      description: 'The status must equal this whole number from 100 to 599 (or a template).',
      examples: [200, 202, '{{ .vars.expected_status }}'],
    },
    not_equals: { description: 'The status must not equal this whole number from 100 to 599 (or a template).', examples: [500] },
    one_of: { description: 'The status must be one of these.', examples: [[200, 201, 202]] },
  };

  const openapi: KeyDocsOf<OpenApiConfig> = {
    spec: {
      description:
        'The OpenAPI document (3.1, 3.0 or Swagger 2.0, YAML or JSON): a file (looked up in the working directory, then beside the suite file) or an http(s) URL; may hold templates.',
      examples: ['./openapi.yaml', 'https://api.example.com/openapi.json'],
    },
    operation_id: {
      description: "The operation the step's request must match (step level only).",
      examples: ['createJob'],
    },
    version: { description: "A label of the document's version, part of its cache key.", examples: ['2024-01'] },
    validate_request: { description: 'Check each request against the contract before it is sent.', examples: [true, false], default: true },
    validate_response: { description: 'Check each response against the contract.', examples: [true, false], default: true },
    cache_ttl: { description: 'How long a loaded document is kept (a duration).', examples: ['30m', '5m'], default: '30m' },
  };

  const stepExample = {
    name: 'Get job',
    plugin: 'http',
    config: { method: 'GET', url: '{{ .vars.base_url }}/jobs/{{ job_id }}' },
    assertions: [{ type: 'status_code', expected: 200 }],
  };

  const suite: KeyDocsOf<Suite> = {
    name: { description: "The suite's name, shown in reports ([suite] [test] [step] lines).", examples: ['Jobs API'] },
    description: { description: 'What the suite checks; free text.', examples: ['Submits a job and waits for it to complete'] },
    vars: {
      description:
        'Variables for templates, read as {{ .vars.name }} (nested maps too: {{ .vars.api.url }}); any YAML values. Precedence: --var, then --var-file, then these.',
      examples: [{ base_url: 'http://localhost:8080', user: { name: 'ada' } }],
    },
    openapi: {
      description: 'OpenAPI contract validation: the defaults of every http step, which its config.openapi overrides key by key.',
      examples: [{ spec: './openapi.yaml', validate_response: true }],
    },
    init: {
      description: 'Steps run once before the tests; what they save is visible to every test.',
      examples: [[{ name: 'Start', plugin: 'log', config: { message: 'starting' } }]],
    },
    tests: {
      description: 'The tests, at least one. Tests run concurrently, up to --concurrency at once.',
      examples: [[{ name: 'Job processing', steps: [stepExample] }]],
    },
    cleanup: {
      description: 'Steps run after all tests: on_failure first, only when something failed, then always, whatever happened.',
      examples: [{ always: [{ name: 'Done', plugin: 'log', config: { message: 'suite finished' } }] }],
    },
  };

  const test: KeyDocsOf<Test> = {
    name: { description: "The test's name, shown in reports; --test NAME and --grep RE select tests by it.", examples: ['Job processing'] },
    init: {
      description: "Steps run before the test's steps.",
      examples: [[{ name: 'Note', plugin: 'log', config: { message: 'begin' } }]],
    },
    steps: {
      description:
        'The steps, run in order (at least one). Variables saved by a step are visible to the steps after it; after a failure the rest are skipped.',
      examples: [[stepExample]],
    },
    cleanup: {
      description: "Steps run after the test's steps: on_failure first, only when a step failed, then always.",
      examples: [{ on_failure: [{ name: 'Dump', plugin: 'log', config: { message: 'failed' } }] }],
    },
  };

  const step: KeyDocsOf<Step> = {
    name: { description: "The step's name, shown in reports.", examples: ['Submit job', 'Wait for job completion'] },
    plugin: {
      description:
        'The step kind: http (one request, or a poll with config.polling), delay (wait), log (print a message), script (JavaScript or shell).',
      examples: ['http', 'delay', 'log', 'script'],
    },
    config: {
      description: "The plugin's settings; which keys it takes depends on plugin.",
      examples: [
        { method: 'GET', url: 'https://api.example.com/health' },
        { duration: '500ms' },
        { message: 'Created user {{ user_id }}' },
      ],
    },
    assertions: {
      description: "Checks of the step's result, run once (for a poll: on the attempt that ended it); all must hold.",
      examples: [
        [
          { type: 'status_code', expected: 200 },
          { type: 'json_path', path: '.result', exists: true },
        ],
      ],
    },
    save: {
      description: "Variables taken from the step's result, for the steps after it ({{ name }}); a failed attempt never writes one.",
      examples: [[{ json_path: '.job_id', as: 'job_id' }]],
    },
    retry: {
      description: 'Runs the whole step again after a failure (a poll included), Temporal-style. Configuration errors are never retried.',
      examples: [{ maximum_attempts: 3, initial_interval: '1s', backoff_coefficient: 2 }],
    },
  };

  const cleanup: KeyDocsOf<Cleanup> = {
    always: {
      description: 'Steps run whatever happened, after on_failure.',
      examples: [[{ name: 'Delete user', plugin: 'http', config: { method: 'DELETE', url: '{{ .vars.base_url }}/users/{{ user_id }}' } }]],
    },
    on_failure: {
      description: 'Steps run only when something failed, before always.',
      examples: [[{ name: 'Dump state', plugin: 'log', config: { message: 'failed' } }]],
    },
  };

  const http: KeyDocsOf<HttpConfig> = {
    method: {
      description: 'The HTTP method, in any case (sent upper-case): GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or TRACE.',
      examples: ['GET', 'POST'],
    },
    url: {
      description: 'An absolute http:// or https:// URL; may hold templates.',
      examples: ['{{ .vars.base_url }}/jobs/{{ job_id }}', 'https://api.example.com/health'],
    },
    headers: {
      description: 'Request headers: name to value. Numbers and booleans are sent as their text; names and values may hold templates.',
      examples: [{ Authorization: 'Bearer {{ .secrets.TOKEN }}', 'X-Count': 3 }],
    },
    body: {
      description:
        'The request body: a string is sent as is (no Content-Type unless you set one); a YAML map or list is sent as JSON with Content-Type: application/json unless set. Not together with form.',
      examples: ['{"data": "process this"}', { data: 'process this', priority: 1 }],
    },
    form: {
      description:
        'Form fields sent url-encoded (application/x-www-form-urlencoded); a list value repeats the key. Not together with body.',
      examples: [{ name: 'ada', tag: ['a', 'b'] }],
    },
    timeout: { description: `Timeout of each request (a duration). ${TEMPLATE_NOTE}`, examples: ['10s'], default: '30s' },
    insecure: { description: 'Skip TLS certificate verification for this step.', examples: [true], default: false },
    polling: {
      description: 'Repeat the request until conditions hold: interval, timeout (required), max_attempts, backoff_coefficient, conditions.',
      examples: [{ interval: '2s', timeout: '5m', max_attempts: 30, conditions: [{ type: 'status_code', expected: 200 }] }],
    },
    openapi: {
      description: "OpenAPI contract validation of this step, over the suite's openapi, key by key.",
      examples: [{ operation_id: 'createJob' }],
    },
  };

  const save: KeyDocsOf<Exclude<Save, { sql_result: string }>> = {
    json_path: {
      description:
        'Save the value at this path of the JSON body, keeping its JSON type (jq-style or JSONPath). Exactly one of json_path and header.',
      examples: ['.job_id', '$.items[0].id'],
    },
    header: { description: 'Save this response header (case-insensitive). Exactly one of json_path and header.', examples: ['Location'] },
    as: { description: 'The variable name, read by later steps as {{ name }}.', examples: ['job_id'] },
    required: {
      description: 'Fail the step when the value is missing; with false the variable is simply not set.',
      examples: [false],
      default: true,
    },
  };

  const retry: KeyDocsOf<RetryPolicy> = {
    initial_interval: { description: `Wait before the second run (a duration). ${TEMPLATE_NOTE}`, examples: ['1s'], default: '1s' },
    maximum_interval: { description: `Cap on the grown wait; default 100 x initial_interval. ${TEMPLATE_NOTE}`, examples: ['30s'] },
    maximum_attempts: {
      description: `Total runs of the step, the first included; a whole number >= 1. ${TEMPLATE_NOTE}`,
      examples: [3],
      default: 1,
    },
    backoff_coefficient: {
      description: `Multiplier applied to the wait after each run; at least 1. ${TEMPLATE_NOTE}`,
      examples: [2],
      default: 2,
    },
    non_retryable_errors: {
      description:
        "Failures not retried: an entry matches a failure's tag (Transport, Assertions, PollTimedOut, PollExhausted, FailCondition, ExitCode) or is contained in its kind or message (transport, assertion, timeout, max_attempts).",
      examples: [['Assertions', 'FailCondition']],
    },
  };

  const delay: KeyDocsOf<DelayConfig> = {
    duration: { description: `How long to wait (a duration). ${TEMPLATE_NOTE}`, examples: ['500ms', '2s'] },
  };

  const log: KeyDocsOf<LogConfig> = {
    message: { description: 'The message to print; templates are rendered.', examples: ['Created user {{ user_id }}'] },
  };

  const script: KeyDocsOf<ScriptConfig> = {
    language: { description: 'javascript (a worker thread, node:vm) or shell (bash).', examples: ['javascript', 'shell'] },
    script: {
      description: 'The code, inline. Templates in it are written as literals of the language. Exactly one of script and file.',
      examples: ['save("id", "42");', 'echo "$ROCKETSHIP_JOB_ID"'],
    },
    file: {
      description: 'A file holding the code, relative to the suite file. Exactly one of script and file.',
      examples: ['./scripts/check.js'],
    },
    timeout: { description: `How long the script may run (a duration). ${TEMPLATE_NOTE}`, examples: ['10s'], default: '60s' },
  };

  const CHECK_TYPE_TEXT =
    'What the check looks at: status_code (the status), json_path (a value of the JSON body, at path) or header (a response header, by name).';
  const checkType = (...examples: Json[]): KeyDocs => ({ description: CHECK_TYPE_TEXT, examples });

  return {
    Suite: {
      description:
        'A Rocketship suite file (rocketship.yaml): a name, vars, init steps, tests and cleanup. Unknown keys and duplicate keys are errors.',
      keys: suite,
    },
    Test: { description: 'One test: init steps, then steps (at least one), then cleanup.', keys: test },
    Step: {
      description: "One step: a name, the plugin that runs it, the plugin's config, and checks of its result.",
      examples: [stepExample],
      keys: step,
    },
    Cleanup: { description: 'Steps run at the end: on_failure first, only when something failed, then always.', keys: cleanup },
    HttpConfig: { description: 'The config of an http step: one request, or a poll of requests when polling is set.', keys: http },
    Polling: {
      description:
        'How an http step polls until its conditions hold (the async-polling spec): attempt 1 at once, then waits of interval * backoff_coefficient^(k-1), within timeout and max_attempts.',
      keys: polling,
    },
    Check: {
      description: 'A condition or assertion: what to look at (type) and the matchers it must satisfy (at least one; all must hold).',
      examples: [{ type: 'json_path', path: '.status', expected: 'completed' }],
      keys: { type: checkType('status_code', 'json_path', 'header') },
    },
    StatusCodeCheck: {
      description: 'A check of the response status.',
      examples: [{ type: 'status_code', expected: 200 }],
      keys: { type: checkType('status_code'), ...statusCodeMatchers } satisfies KeyDocsOf<StatusCodeCheck>,
    },
    JsonPathCheck: {
      description: 'A check of a value of the JSON body.',
      examples: [{ type: 'json_path', path: '.status', expected: 'completed' }],
      keys: {
        type: checkType('json_path'),
        path: {
          description:
            'jq-style (.status, .a.b, .items[0].id, .headers["X-Custom"], ., PATH | length) or JSONPath ($.a.b, $..id); checked when the file is decoded unless it holds a template.',
          examples: ['.status', '.items[0].id', '$.items[*].id'],
        },
        ...matchers,
        exists,
      } satisfies KeyDocsOf<Extract<Check, { type: 'json_path' }>>,
    },
    HeaderCheck: {
      description: 'A check of a response header (its first value).',
      examples: [{ type: 'header', name: 'X-Job-Status', expected: 'finished' }],
      keys: {
        type: checkType('header'),
        name: { description: 'The header name, case-insensitive.', examples: ['X-Job-Status', 'Content-Type'] },
        ...matchers,
        exists,
      } satisfies KeyDocsOf<Extract<Check, { type: 'header' }>>,
    },
    Save: {
      description: "Saves a value of the step's response as a variable: exactly one source (json_path or header), and as.",
      examples: [{ json_path: '.job_id', as: 'job_id' }],
      keys: save,
    },
    RetryPolicy: { description: 'How a failed step is run again (Temporal-style retry policy).', keys: retry },
    SqlConfig: {
      description:
        "The config of a sql step (Rocketship's): statements run in order on one connection; every statement runs even after one fails, then the step fails.",
      examples: [{ driver: 'postgres', dsn: '{{ .env.DATABASE_URL }}', commands: ['SELECT id FROM users WHERE id = 1'] }],
      keys: {
        driver: {
          description: 'The database: postgres, mysql (MySQL and MariaDB) or sqlite. sqlserver is not supported.',
          examples: ['postgres', 'mysql', 'sqlite'],
        },
        dsn: {
          description:
            'Where to connect: postgres://user:pass@host:5432/db?sslmode=disable, user:pass@tcp(host:3306)/db, mysql://user:pass@host/db, a SQLite path or file: URI. A literal one is checked when the file is decoded. The password is masked everywhere.',
          examples: [
            'postgres://app:secret@127.0.0.1:5432/shop?sslmode=disable',
            'app:secret@tcp(127.0.0.1:3306)/shop',
            './test.db',
            '{{ .env.DATABASE_URL }}',
          ],
        },
        commands: {
          description: 'The statements, one per item, run in order. Exactly one of commands and file.',
          examples: [['SELECT COUNT(*) AS n FROM users']],
        },
        file: {
          description: 'A .sql file, relative to the suite file, split at ; outside quotes and comments. Exactly one of commands and file.',
          examples: ['./queries/check.sql'],
        },
        timeout: {
          description: `The whole step's budget (connecting and every statement); the statement in flight is cancelled when it passes. ${TEMPLATE_NOTE}`,
          examples: ['10s'],
          default: '30s',
        },
        polling: {
          description:
            'Run the statements again until conditions hold, as an http step polls (connection errors and failing statements are "not yet").',
          examples: [{ interval: '1s', timeout: '1m', conditions: [{ type: 'row_count', query_index: 0, expected: 1 }] }],
        },
      } satisfies KeyDocsOf<SqlConfig>,
    },
    SqlPolling: {
      description: 'How a sql step polls until its conditions (sql checks) hold: the same timing as an http step.',
      keys: {
        ...polling,
        conditions: {
          description:
            'Sql checks that must all hold to stop polling (at least one); connection errors and failing statements are "not yet".',
          examples: [[{ type: 'column_value', query_index: 0, row_index: 0, column: 'status', expected: 'shipped' }]],
        },
        fail_conditions: {
          description: 'Sql checks of which any, when it holds, fails the poll at once.',
          examples: [[{ type: 'column_value', query_index: 0, row_index: 0, column: 'status', expected: 'cancelled' }]],
        },
      },
    },
    SqlCheck: {
      description:
        "A condition or assertion of a sql step's result: row_count, query_count, success_count, column_value or json_path, with matchers.",
      examples: [{ type: 'row_count', query_index: 0, expected: 1 }],
      keys: {
        type: {
          description: 'What the check reads of the result: row_count, query_count, success_count, column_value or json_path.',
          examples: ['row_count', 'column_value'],
        },
      },
    },
    RowCountCheck: {
      description: 'The number of rows the statement at query_index returned.',
      examples: [{ type: 'row_count', query_index: 0, expected: 1 }],
      keys: {
        type: { description: 'row_count', examples: ['row_count'] },
        query_index: { description: 'The statement (0-based).', examples: [0] },
        ...matchers,
      },
    },
    QueryCountCheck: {
      description: 'The number of statements the step ran.',
      examples: [{ type: 'query_count', expected: 2 }],
      keys: { type: { description: 'query_count', examples: ['query_count'] }, ...matchers },
    },
    SuccessCountCheck: {
      description: 'The number of statements that did not fail.',
      examples: [{ type: 'success_count', expected: 2 }],
      keys: { type: { description: 'success_count', examples: ['success_count'] }, ...matchers },
    },
    ColumnValueCheck: {
      description:
        'One value: the column of the row at row_index of the statement at query_index (typed: integers are numbers, NUMERIC is text).',
      examples: [{ type: 'column_value', query_index: 0, row_index: 0, column: 'status', expected: 'shipped' }],
      keys: {
        type: { description: 'column_value', examples: ['column_value'] },
        query_index: { description: 'The statement (0-based).', examples: [0] },
        row_index: { description: 'The row (0-based).', examples: [0] },
        column: { description: 'The column name, as the statement returns it.', examples: ['status'] },
        ...matchers,
        exists,
      },
    },
    SqlSave: {
      description: "Saves a value of a sql step's result as a variable: sql_result (a jq path into the result) and as.",
      examples: [{ sql_result: '.queries[0].rows[0].id', as: 'user_id' }],
      keys: {
        sql_result: {
          description: 'A jq path into the result: .queries[0].rows[0].id, .queries[0].rows_affected, .stats.success_count.',
          examples: ['.queries[0].rows[0].id'],
        },
        as: save.as,
        required: save.required,
      },
    },
    DelayConfig: { description: 'The config of a delay step: wait, then pass.', keys: delay },
    LogConfig: { description: 'The config of a log step: print a message, then pass.', keys: log },
    ScriptConfig: {
      description: 'The config of a script step: inline code (script) or a file, exactly one of them.',
      keys: script,
    },
    OpenApiSuiteConfig: {
      description: 'OpenAPI contract validation at the suite level: the defaults of every http step (spec required).',
      keys: {
        spec: openapi.spec,
        version: openapi.version,
        validate_request: openapi.validate_request,
        validate_response: openapi.validate_response,
        cache_ttl: openapi.cache_ttl,
      } satisfies KeyDocsOf<OpenApiSuiteConfig>,
    },
    OpenApiStepConfig: { description: "OpenAPI contract validation of one http step, over the suite's openapi.", keys: openapi },
    Duration: { description: DURATION_TEXT, examples: ['250ms', '2s', '1.5s', '1m30s', '1h'] },
    PositiveDuration: { description: `${DURATION_TEXT} Greater than 0.`, examples: ['200ms', '2s', '5m'] },
    Template: {
      description:
        'A string holding a template, rendered when the step runs: {{ name }} (saved, then vars), {{ .vars.x }}, {{ .env.NAME }}, {{ .secrets.NAME }}. \\{{ is a literal {{.',
      examples: ['{{ .vars.timeout }}', '{{ attempts }}'],
    },
    JsonValue: {
      description: 'Any YAML value that is also JSON: null, a boolean, a finite number, a string, a list or a map of them.',
      examples: [null, 'text', 1, [1, 2], { a: true }],
    },
  };
}
