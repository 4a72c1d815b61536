import * as E from 'fp-ts/lib/Either.js';
import { parseDuration } from '../dsl/codecs/duration.js';
import { didYouMean } from '../dsl/did-you-mean.js';
import type { InitArgs } from './init-command.js';
import type { ReportRequest } from './report-files.js';

/** What `rocketship run` was asked to do, before any file is read. */
export interface RunArgs {
  /**
   * `-f FILE` (repeatable) and the suite files given without a flag (`run a.yaml b.yaml`, as a
   * shell glob expands), in the order given. A FILE that is a directory stands for its suites, as `-d`.
   */
  readonly files: readonly string[];
  /** `-d DIR` (repeatable): every `rocketship.yaml` below it (every `*.yaml` in a `.rocketship`). */
  readonly dirs: readonly string[];
  /** `--var k=v` in order (dotted keys nest; later wins). */
  readonly vars: readonly string[];
  readonly varFiles: readonly string[];
  readonly envFiles: readonly string[];
  /** `--secret NAME=value`: usable as `{{ .secrets.NAME }}`. */
  readonly secrets: readonly string[];
  /** `--test NAME` (repeatable): run only tests with these exact names. */
  readonly tests: readonly string[];
  /** `--grep RE`: run only tests whose name matches. */
  readonly grep: string | undefined;
  readonly bail: boolean;
  /** `--sequential`: the files run one after another (each file's tests still up to `--concurrency` at once). */
  readonly sequential: boolean;
  /** `--concurrency N`: tests running at once, across all suites of the run. */
  readonly concurrency: number;
  /** Whether `--concurrency` was given: a `--redis` run is bounded by it only then (else by the workers' own). */
  readonly concurrencyGiven: boolean;
  /** `--max-connections N`: sockets open at once per host; undefined: the HTTP client's default (64). */
  readonly maxConnections: number | undefined;
  /** `--report json=PATH` / `junit=PATH` / `html=PATH` (repeatable); the path `-` is stdout (one report at most). */
  readonly reports: readonly ReportRequest[];
  readonly verbose: boolean;
  readonly color: boolean | undefined;
  readonly debug: boolean;
  readonly maxBodyBytes: number | undefined;
  /** `--max-response-bytes N`: response bytes held at once across the run; undefined: the client's default (50 MiB). */
  readonly maxResponseBytes: number | undefined;
  /** `-q`, `--quiet`: print only the recap of what did not pass and the summary. */
  readonly quiet: boolean;
  /**
   * `--heartbeat DURATION`: without a terminal, a line for a step still running every this many
   * ms (0: none); undefined: the default, 10s (none with `--quiet`).
   */
  readonly heartbeat: number | undefined;
  /** `--rerun-failed`: run only the tests that failed or errored in the last run (see `--last-run`). */
  readonly rerunFailed: boolean;
  /** `--last-run PATH`: where each run records its tests' outcomes; undefined: `.rocketship/last-run.json`. */
  readonly lastRun: string | undefined;
  /** `--watch`: run again when a suite file, or a file it names, changes. */
  readonly watch: boolean;
  /** `--redis URL`: run the tests on queue workers through this Redis; undefined: in this process. */
  readonly redis: string | undefined;
  /** `--queue NAME`: the queue the workers take tests from (default `rocketship`). */
  readonly queue: string | undefined;
  /** `--redis-timeout DURATION`: how long Redis may be out of reach mid-run, in ms (default 60 s). */
  readonly redisTimeout: number | undefined;
  /** `--retention DURATION`: how long the run's events and jobs stay in Redis, in ms (default 24 h). */
  readonly retention: number | undefined;
  /** `--attach RUN_ID`: take over the distributed run RUN_ID, whose coordinator stopped (needs `--redis`). */
  readonly attach: string | undefined;
}

/** What `rocketship worker` was asked to do. */
export interface WorkerArgs {
  readonly redis: string;
  readonly queue: string | undefined;
  readonly concurrency: number;
  readonly maxConnections: number | undefined;
}

export interface ValidateArgs {
  readonly paths: readonly string[];
  readonly json: boolean;
  /** `--var k=v`, as for `run`: `{{ .vars.X }}` is checked against the file's vars and these. */
  readonly vars: readonly string[];
  readonly varFiles: readonly string[];
  /** `{{ .env.X }}` is checked against the environment and these files. */
  readonly envFiles: readonly string[];
  /** `--secret NAME` or `NAME=VALUE`: `{{ .secrets.NAME }}` is checked against these names. */
  readonly secrets: readonly string[];
}

/** What `rocketship plan` was asked to do: the inputs of a run, and how to print the plan. */
export interface PlanArgs {
  readonly files: readonly string[];
  readonly dirs: readonly string[];
  readonly vars: readonly string[];
  readonly varFiles: readonly string[];
  readonly envFiles: readonly string[];
  readonly secrets: readonly string[];
  readonly tests: readonly string[];
  readonly grep: string | undefined;
  /** `--concurrency N`, as for run: the run's worst case is computed at it. */
  readonly concurrency: number;
  readonly sequential: boolean;
  /** `--format text` (default) or `--format json`. */
  readonly format: 'text' | 'json';
}

/** A parsed command line. */
export type Command =
  | { readonly _tag: 'Run'; readonly args: RunArgs }
  | { readonly _tag: 'Plan'; readonly args: PlanArgs }
  | { readonly _tag: 'Validate'; readonly args: ValidateArgs }
  | { readonly _tag: 'Worker'; readonly args: WorkerArgs }
  | { readonly _tag: 'Init'; readonly args: InitArgs }
  | { readonly _tag: 'Schema' }
  | { readonly _tag: 'Help'; readonly text: string }
  | { readonly _tag: 'Version' };

/**
 * A command line that cannot be run: the message names the flag. Exit code 2. `reports` holds
 * the well-formed `--report` flags of the whole command line (before and after the mistake):
 * those files get a report of the usage error, so that none is left from an earlier run.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly reports: readonly ReportRequest[];

  constructor(message: string, reports: readonly ReportRequest[] = []) {
    super(message);
    this.reports = reports;
  }
}

export const MAIN_HELP = `rocketship: API end-to-end tests from YAML, with HTTP async polling

Usage:
  rocketship run [FILE...] [-f FILE] [-d DIR] [options]   run suites
  rocketship validate [--json] FILE|DIR...                check suite files and templates without running them
  rocketship worker --redis URL [--concurrency N]         run tests of 'run --redis' from a queue (BullMQ on Redis)
  rocketship init [FILE] [--schema PATH|URL]              write a commented starter suite (rocketship.yaml)
  rocketship schema                                       print the JSON Schema of suite files, for editors
  rocketship plan [FILE...] [-f FILE] [-d DIR] [options]  what a run would send and how long it can take; sends nothing
  rocketship --version | --help

Run 'rocketship <command> --help' for a command's options.

From a program: import { run } from 'rocketship-rx'; await run('rocketship.yaml') resolves to
a summary (verdict, exit code, counts, each test's result); see the README.

Environment:
  ROCKETSHIP_LAUNCH_TRACE=1   say on stderr how the command started: from the bundle with its code
                              cache (built at install, or taken by an earlier run), without it
                              (and whether this run took one), or dist/
  ROCKETSHIP_NO_BUNDLE=1      start from dist/ (slower), for debugging
  ROCKETSHIP_QUEUE_KEY        the key queue payloads are encrypted with (run --redis, worker)
`;

export const RUN_HELP = `Usage: rocketship run [FILE...] [-f FILE]... [-d DIR]... [options]

Runs suite files: each FILE (a shell glob works: run suites/*.yaml), each -f FILE, each
-d DIR's suites; with none of them, ./rocketship.yaml. Several files run concurrently,
within one --concurrency for them all (--sequential: one after another). A file named
twice (-f twice, -f and -d, a link to it) runs once. Everything (files, options, report
paths) is checked before the first request, and so is every template of the steps that will
run, as validate checks it (see rocketship validate --help), an unset {{ .env.X }} included:
any problem is bad input (exit 2), with file:line:col and a caret where there is one, and
nothing is sent.

Options:
  -f, --file FILE          a suite file (repeatable; -f a.yaml b.yaml works too); a regular
                           file, not a pipe or a device; a directory is read as -d
  -d, --dir DIR            every file named rocketship.yaml below DIR; below a directory
                           named .rocketship, every *.yaml (but none in a tmp/ directory)
  -a, --auto               accepted for Rocketship compatibility: the engine is embedded
      --var KEY=VALUE      set a file var (repeatable; dotted keys nest: --var api.url=...).
                           VALUE is kept as written: a number, true, false or null only when
                           written as JSON writes it (code=200, n=-3, r=2.5, on=true); any
                           other text is the string given (version=1.10, zip=01234, id=0x1F,
                           x=1e3, "note=a #b", "q='200'" stay as typed)
      --var-file FILE      YAML map of vars, merged over the file's vars (--var wins); for
                           typed values of any kind (zip: "01234", ids: [1, 2])
      --env-file FILE      .env file for {{ .env.X }}; never overrides the process environment
      --secret NAME=VALUE  a secret for {{ .secrets.NAME }} (repeatable)
      --test NAME          run only the test with this name (repeatable)
      --grep REGEX         run only tests whose name matches
      --bail               stop at the first failed test (cleanup still runs)
      --concurrency N      tests run at once, across all suites (default 8; with --redis,
                           only when given: tests of the run in flight across all workers)
      --sequential         run the files one after another, in the order given (each
                           file's tests still up to --concurrency at once)
      --max-connections N  sockets open at once to one host (default 64); more requests wait
      --report FORMAT=PATH write a report: json=PATH, junit=PATH or html=PATH (repeatable);
                           PATH - is stdout (the report alone: the console goes to stderr).
                           html: one self-contained page (works offline, from file://) with
                           a filter, a search, the run's tests on a time axis and, per
                           polling step, a timeline of its attempts
      --max-body-bytes N   largest response body accepted (default 10485760)
      --max-response-bytes N
                           response bytes held at once across the run (default 52428800);
                           more bodies wait to be read
  -v, --verbose            show every attempt and request/response
  -q, --quiet              print only the summary and the recap of what failed
      --heartbeat DURATION without a terminal (CI), a line for each step still running or
                           polling every DURATION (default 10s; 0 turns it off; off with
                           --quiet unless given): attempt k/n, last status or error, elapsed
      --color, --no-color  colours on or off (default: on a terminal; FORCE_COLOR turns them
                           on elsewhere; NO_COLOR, when set, wins over FORCE_COLOR)
      --rerun-failed       run only the tests that failed or errored in the last run (with
                           their suite's init and cleanup); says which and how many; with
                           no FILE, in the files of the last run; nothing to re-run: exit 0
      --last-run PATH      where every run records each test's outcome, and --rerun-failed
                           reads them (default .rocketship/last-run.json)
      --watch              run again when a suite file, or a file it names (script file,
                           openapi spec, --var-file, --env-file), changes: only the suites
                           affected; Ctrl-C exits with the last run's exit code
      --debug              show stack traces of unexpected errors
  -h, --help               this help
      --                   what follows is FILEs, even if it starts with -

Distributed runs (see docs/distributed.md):
      --redis URL          run the tests on workers (rocketship worker) through BullMQ on
                           this Redis (redis://[user:password@]host:port, rediss:// for TLS);
                           suite init and cleanup run here, events stream back live. The run's
                           id (RUN_ID) is printed first. A run with secrets needs
                           ROCKETSHIP_QUEUE_KEY (the workers' too): payloads are encrypted
      --queue NAME         the queue to use (default rocketship)
      --redis-timeout DURATION
                           how long Redis may be out of reach mid-run before the run ends
                           with an error (default 60s)
      --retention DURATION how long the run's events and jobs stay in Redis (default 24h)
      --attach RUN_ID      take over the run RUN_ID whose coordinator stopped (killed, a
                           lost machine): give the suite arguments (FILE, -f, -d, --var,
                           --var-file, --test, --grep) the run was started with, from the
                           same directory; a run unknown, expired or ended, or other suites:
                           exit 2. Suite init is not run again (the report shows it as the
                           first coordinator recorded it); the events so far are replayed,
                           the rest streamed, suite cleanup runs here, the reports and the
                           exit code are the whole run's

After the summary, a recap lists each test that failed or errored: FAILED (or ERRORED),
file:line of the failing step, [suite] [test] [step], and the reason on one line.

Reports are written however the run ends (bad input and usage errors become error
entries; a second Ctrl-C still writes them), or removed: never left from an earlier run.
The JSON report's format (durations in whole milliseconds) is in docs/json-report.md, with
a JSON Schema, docs/json-report.schema.json (both in the installed package, and the repository).
Console output that cannot be written (a closed pipe, a full disk) is dropped; the run goes on.

Exit codes: 0 all passed, 1 a test failed (or a report could not be written, or an
internal error), 2 bad input (nothing ran), 129 hung up (SIGHUP), 130 interrupted (SIGINT),
143 terminated (SIGTERM). On a signal, cleanup steps run and reports are written; a second
signal skips the cleanup left, still writes the reports, and exits at once.
`;

export const PLAN_HELP = `Usage: rocketship plan [FILE...] [-f FILE]... [-d DIR]... [options]

Shows what rocketship run would do with the same suites and options, without sending a
request or running a script: for each suite, test and step, the request rendered with the
vars, --var, --var-file and the environment, with a placeholder where a value is saved by an
earlier step ({{ job_id }} -> <saved by "Submit job">) and *** for secrets; for each poll its
settings and the send times of its attempts (as the poll waits: interval x
backoff_coefficient^(k-1), capped at max_interval, counted from the end of the attempt before;
responses taken as instant, jitter at its middle), and what ends it; the worst-case duration
of each step, test and suite, and of the whole run at --concurrency.

A step's worst case: a request its timeout (default 30s); a poll the earlier of its deadline
and the end of its last attempt when every request takes its full timeout; a delay its
duration; a script its timeout (default 1m0s); retries included. A value that depends on a
saved one is known only at run time: the worst case is then "at least".

Flagged, without changing the exit code: a max_attempts that the timeout never lets a poll
reach (warning: the cap is dead), and an interval under 1s against a host that is not this
machine (hint). Templates are checked as run checks them (an unset {{ .env.X }} is a warning);
OpenAPI documents are not loaded (one at a URL would be a request).

Options:
  -f, --file FILE, -d, --dir DIR, --var KEY=VALUE, --var-file FILE, --env-file FILE,
  --secret NAME=VALUE, --test NAME, --grep REGEX, --sequential
                           as for run (see rocketship run --help)
      --concurrency N      the run's worst case is computed at N tests at once (default 8)
      --format FORMAT      text (default) or json (the plan as data, for tools)
  -h, --help               this help

Exit codes: 0 planned (warnings and hints allowed), 2 bad input.
`;

export const VALIDATE_HELP = `Usage: rocketship validate [--json] [--var KEY=VALUE]... [--var-file FILE]... FILE|DIR...

Decodes suite files without running them. A DIR means every rocketship.yaml below it
(every *.yaml below a directory named .rocketship). Prints one line per valid file and
every error of the others (file:line:col, key path, expected and found). A file named
twice (also through a link, or by a FILE and a DIR) is validated once. A pipe or a device
is refused, not read.

Every template is checked too, as run checks it before the first request: its syntax
({{ .vars.api_url }/health never closes), each {{ .vars.X }} against the file's vars and
--var/--var-file, and each {{ name }} against the vars and what a step before it, in its
test (or the suite's init), saves: a name saved only by a later step or in another test is
an error. A name a script's save() computes counts as possibly saved. An unset
{{ .env.X }}, or a {{ .secrets.X }} not given with --secret, is a warning here (the run's
environment may have it) and an error for run.

Options:
      --json               print the results as JSON
      --var KEY=VALUE      a var, as for run (repeatable)
      --var-file FILE      a YAML map of vars, as for run
      --env-file FILE      .env file for {{ .env.X }}, as for run
      --secret NAME[=VALUE]
                           a secret name for {{ .secrets.NAME }} (the value is not needed)
  -h, --help               this help

Exit codes: 0 all valid (warnings allowed), 2 any invalid.
`;

export const INIT_HELP = `Usage: rocketship init [FILE] [--schema PATH|URL]

Writes FILE (default rocketship.yaml), a commented starter suite: a health check
(GET /health) and a job submitted (POST /jobs) then polled until it completes
(GET /jobs/{{ job_id }}), against {{ .vars.base_url }} (http://localhost:8080; run it
with --var base_url=URL). Never overwrites a file: when FILE exists, nothing is written
and the exit code is 2.

Its first line is the schema line of the YAML language server (VS Code's YAML extension):
  # yaml-language-server: $schema=./node_modules/rocketship-rx/schema/rocketship.schema.json
which gives the editor completion, hover text and errors for the file.

Options:
      --schema PATH|URL    what the schema line points to (default: the schema of the
                           rocketship-rx package in the nearest node_modules, as a path
                           relative to FILE)
  -h, --help               this help

Exit codes: 0 written, 2 not written (the file exists, its folder does not, a usage error).
`;

export const SCHEMA_HELP = `Usage: rocketship schema

Prints the JSON Schema (draft 2020-12) of suite files, made from the decoder's own
definitions: the same as schema/rocketship.schema.json in the package. Editors use it for
completion, hover text and errors as you type. Either put this line first in a suite file:
  # yaml-language-server: $schema=./node_modules/rocketship-rx/schema/rocketship.schema.json
or map files to it in VS Code's settings.json (the YAML extension):
  "yaml.schemas": { "./node_modules/rocketship-rx/schema/rocketship.schema.json": ["rocketship.yaml", ".rocketship/*.yaml"] }

rocketship schema > rocketship.schema.json keeps a copy beside your suites.
`;

/**
 * Parses argv (without `node` and the script) into a command. Pure: no file is read.
 *
 * parseArgs(['run', '-af', 'suite.yaml'])  // right({ _tag: 'Run', args: { files: ['suite.yaml'], ... } })
 * parseArgs(['run', '--bogus'])            // left(UsageError('unknown option --bogus for "run"'))
 */
export function parseArgs(argv: readonly string[]): E.Either<UsageError, Command> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    if (command === 'help' && rest[0] === 'run') return E.right({ _tag: 'Help', text: RUN_HELP });
    if (command === 'help' && rest[0] === 'validate') return E.right({ _tag: 'Help', text: VALIDATE_HELP });
    if (command === 'help' && rest[0] === 'plan') return E.right({ _tag: 'Help', text: PLAN_HELP });
    if (command === 'help' && rest[0] === 'worker') return E.right({ _tag: 'Help', text: WORKER_HELP });
    if (command === 'help' && rest[0] === 'init') return E.right({ _tag: 'Help', text: INIT_HELP });
    if (command === 'help' && rest[0] === 'schema') return E.right({ _tag: 'Help', text: SCHEMA_HELP });
    return E.right({ _tag: 'Help', text: MAIN_HELP });
  }
  if (command === '--version' || command === '-V' || command === 'version') return E.right({ _tag: 'Version' });
  if (command === 'run') return parseRun(rest);
  if (command === 'validate') return parseValidate(rest);
  if (command === 'plan') return parsePlan(rest);
  if (command === 'worker') return parseWorker(rest);
  if (command === 'init') return parseInit(rest);
  if (command === 'schema') return parseSchema(rest);
  return E.left(
    new UsageError(`unknown command "${command}"; commands: run, validate, plan, worker, init, schema (see rocketship --help)`),
  );
}

/** The options of `run`, for "did you mean" (short ones are the letters `-af` may combine). */
const RUN_SHORT = ['-h', '-f', '-d', '-a', '-v', '-q'];
const RUN_OPTIONS = [
  '--help',
  '--file',
  '--dir',
  '--auto',
  '--var',
  '--var-file',
  '--env-file',
  '--secret',
  '--test',
  '--grep',
  '--bail',
  '--sequential',
  '--concurrency',
  '--max-connections',
  '--max-body-bytes',
  '--max-response-bytes',
  '--report',
  '--verbose',
  '--no-color',
  '--color',
  '--debug',
  '--redis',
  '--queue',
  '--redis-timeout',
  '--retention',
  '--attach',
  '--quiet',
  '--heartbeat',
  '--rerun-failed',
  '--last-run',
  '--watch',
];

/**
 * Splits `-af FILE` into `-a -f FILE` (when every letter is a short option: `-verbose` stays
 * whole, to be named as it was written) and `--opt=value` into `--opt value`. After `--`,
 * everything is left as it is.
 */
function tokens(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (/^-[a-zA-Z]{2,}$/.test(arg) && [...arg.slice(1)].every((letter) => RUN_SHORT.includes(`-${letter}`))) {
      for (const letter of arg.slice(1)) out.push(`-${letter}`);
    } else if (/^--[^=]+=/.test(arg)) {
      const at = arg.indexOf('=');
      out.push(arg.slice(0, at), arg.slice(at + 1));
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** `unknown option --verbos for "run"; did you mean --verbose?` (the suggestion when one is close). */
function unknownOption(flag: string, command: string, known: readonly string[]): UsageError {
  // `-verbose` is compared as `--verbose`: a long option written with one dash.
  const word = flag.replace(/^-+/, '');
  const suggestion = didYouMean(
    word,
    known.map((k) => k.replace(/^-+/, '')).filter((k) => k.length > 1),
  );
  const hint = suggestion === undefined ? '' : `; did you mean --${suggestion}?`;
  return new UsageError(`unknown option ${flag} for "${command}"${hint} (see rocketship ${command} --help)`);
}

/** What `run` and `plan` both read: the suites, their inputs and the tests chosen. */
interface Selection {
  readonly files: string[];
  readonly dirs: string[];
  readonly vars: string[];
  readonly varFiles: string[];
  readonly envFiles: string[];
  readonly secrets: string[];
  readonly tests: string[];
  grep: string | undefined;
  sequential: boolean;
  concurrency: number;
  concurrencyGiven: boolean;
}

function emptySelection(): Selection {
  return {
    files: [],
    dirs: [],
    vars: [],
    varFiles: [],
    envFiles: [],
    secrets: [],
    tests: [],
    grep: undefined,
    sequential: false,
    concurrency: 8,
    concurrencyGiven: false,
  };
}

/** Reads `flag` into `into` when it is one of the options `run` and `plan` share; false when not. */
function readSelection(flag: string, value: () => string, into: Selection): boolean {
  switch (flag) {
    case '-f':
    case '--file':
      into.files.push(value());
      return true;
    case '-d':
    case '--dir':
      into.dirs.push(value());
      return true;
    case '--var':
      into.vars.push(keyValue(flag, value()));
      return true;
    case '--var-file':
      into.varFiles.push(value());
      return true;
    case '--env-file':
      into.envFiles.push(value());
      return true;
    case '--secret':
      into.secrets.push(keyValue(flag, value()));
      return true;
    case '--test':
      into.tests.push(value());
      return true;
    case '--grep':
      into.grep = regex(value());
      return true;
    case '--sequential':
      into.sequential = true;
      return true;
    case '--concurrency':
      into.concurrencyGiven = true;
      into.concurrency = positiveInteger(flag, value());
      return true;
    default:
      return false;
  }
}

function parseRun(args: readonly string[]): E.Either<UsageError, Command> {
  const selection = emptySelection();
  const reports: ReportRequest[] = [];
  let bail = false;
  let maxConnections: number | undefined;
  // The first mistake is the one reported; the rest of the line is still read for --report.
  let mistake: UsageError | undefined;
  let verbose = false;
  let color: boolean | undefined;
  let redis: string | undefined;
  let queue: string | undefined;
  let redisTimeout: number | undefined;
  let retention: number | undefined;
  let attach: string | undefined;
  let debug = false;
  let maxBodyBytes: number | undefined;
  let maxResponseBytes: number | undefined;
  let quiet = false;
  let heartbeat: number | undefined;
  let rerunFailed = false;
  let lastRun: string | undefined;
  let watch = false;

  const list = tokens(args);
  for (let i = 0; i < list.length; i++) {
    const flag = list[i] as string;
    if (flag === '--') {
      selection.files.push(...list.slice(i + 1));
      break;
    }
    const value = (): string => {
      const v = list[++i];
      if (v === undefined) throw new UsageError(`option ${flag} needs a value (see rocketship run --help)`);
      return v;
    };
    try {
      if (readSelection(flag, value, selection)) continue;
      switch (flag) {
        case '-h':
        case '--help':
          if (mistake === undefined) return E.right({ _tag: 'Help', text: RUN_HELP });
          break;
        case '-a':
        case '--auto':
          break;
        case '--bail':
          bail = true;
          break;
        case '--max-connections':
          maxConnections = positiveInteger(flag, value());
          break;
        case '--max-body-bytes':
          maxBodyBytes = positiveInteger(flag, value());
          break;
        case '--max-response-bytes':
          maxResponseBytes = positiveInteger(flag, value());
          break;
        case '--report': {
          const spec = value();
          const m = /^(json|junit|html)=(.+)$/.exec(spec);
          if (m === null) throw new UsageError(`option --report: expected json=PATH, junit=PATH or html=PATH, got ${JSON.stringify(spec)}`);
          const request: ReportRequest = { format: m[1] as ReportRequest['format'], path: m[2] as string };
          const earlier = reports.find((r) => r.path === '-');
          if (request.path === '-' && earlier !== undefined)
            throw new UsageError(
              `option --report ${spec}: --report ${earlier.format}=- writes to stdout already; one report at most can go to stdout`,
            );
          reports.push(request);
          break;
        }
        case '-v':
        case '--verbose':
          verbose = true;
          break;
        case '--no-color':
          color = false;
          break;
        case '--color':
          color = true;
          break;
        case '--debug':
          debug = true;
          break;
        case '-q':
        case '--quiet':
          quiet = true;
          break;
        case '--heartbeat':
          heartbeat = heartbeatDuration(value());
          break;
        case '--rerun-failed':
          rerunFailed = true;
          break;
        case '--last-run':
          lastRun = value();
          break;
        case '--watch':
          watch = true;
          break;
        case '--redis':
          redis = redisUrl(value());
          break;
        case '--queue':
          queue = queueName(value());
          break;
        case '--redis-timeout':
          redisTimeout = positiveDuration(flag, value());
          break;
        case '--retention':
          retention = positiveDuration(flag, value());
          break;
        case '--attach':
          attach = runId(value());
          break;
        default:
          // A suite file, as `-f FILE` (`-` alone is a path: stdin, refused as not a regular file).
          if (flag.startsWith('-') && flag !== '-') throw unknownOption(flag, 'run', [...RUN_OPTIONS, ...RUN_SHORT]);
          selection.files.push(flag);
      }
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      mistake ??= error;
    }
  }
  if (quiet && verbose) mistake ??= new UsageError('options --quiet and --verbose cannot be used together: choose one');
  if (redis === undefined) {
    const stray =
      queue !== undefined
        ? '--queue'
        : redisTimeout !== undefined
          ? '--redis-timeout'
          : retention !== undefined
            ? '--retention'
            : attach !== undefined
              ? '--attach'
              : undefined;
    if (stray !== undefined) mistake ??= new UsageError(`option ${stray} is for distributed runs: give --redis URL too`);
  }
  if (attach !== undefined && (watch || rerunFailed))
    mistake ??= new UsageError(
      `option --attach takes over a run as it was started: it cannot be used with ${watch ? '--watch' : '--rerun-failed'}`,
    );
  if (mistake !== undefined) return E.left(new UsageError(mistake.message, reports));
  return E.right({
    _tag: 'Run',
    args: {
      files: selection.files,
      dirs: selection.dirs,
      vars: selection.vars,
      varFiles: selection.varFiles,
      envFiles: selection.envFiles,
      secrets: selection.secrets,
      tests: selection.tests,
      grep: selection.grep,
      bail,
      sequential: selection.sequential,
      concurrency: selection.concurrency,
      concurrencyGiven: selection.concurrencyGiven,
      maxConnections,
      reports,
      verbose,
      color,
      debug,
      maxBodyBytes,
      maxResponseBytes,
      quiet,
      heartbeat,
      rerunFailed,
      lastRun,
      watch,
      redis,
      queue,
      redisTimeout,
      retention,
      attach,
    },
  });
}

export const WORKER_HELP = `Usage: rocketship worker --redis URL [--concurrency N] [--queue NAME]

Takes tests from the queue that 'rocketship run --redis URL' fills, and runs them with the
same engine as a local run. Each test checkpoints after every step and poll attempt: when a
worker is killed, another one continues its tests within 10 seconds, polls keeping their
attempt count and deadline. SIGTERM (or Ctrl-C): stop taking tests, hand back the tests held
(they continue on another worker), exit 0. Runs with secrets need ROCKETSHIP_QUEUE_KEY, the
same as the run's. See docs/distributed.md.

Options:
      --redis URL          redis://[user:password@]host:port (rediss:// for TLS)
      --concurrency N      tests run at once by this worker (default 8)
      --queue NAME         the queue to take tests from (default rocketship)
      --max-connections N  sockets open at once to one host (default 64)
  -h, --help               this help
`;

function parseWorker(args: readonly string[]): E.Either<UsageError, Command> {
  let redis: string | undefined;
  let queue: string | undefined;
  let concurrency = 8;
  let maxConnections: number | undefined;
  const list = tokens(args);
  try {
    for (let i = 0; i < list.length; i++) {
      const flag = list[i] as string;
      const value = (): string => {
        const v = list[++i];
        if (v === undefined) throw new UsageError(`option ${flag} needs a value (see rocketship worker --help)`);
        return v;
      };
      switch (flag) {
        case '-h':
        case '--help':
          return E.right({ _tag: 'Help', text: WORKER_HELP });
        case '--redis':
          redis = redisUrl(value());
          break;
        case '--queue':
          queue = queueName(value());
          break;
        case '--concurrency':
          concurrency = positiveInteger(flag, value());
          break;
        case '--max-connections':
          maxConnections = positiveInteger(flag, value());
          break;
        default:
          throw unknownOption(flag, 'worker', ['--help', '--redis', '--queue', '--concurrency', '--max-connections', '-h']);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) return E.left(error);
    throw error;
  }
  if (redis === undefined) return E.left(new UsageError('rocketship worker needs --redis URL (see rocketship worker --help)'));
  return E.right({ _tag: 'Worker', args: { redis, queue, concurrency, maxConnections } });
}

/** A `redis://` or `rediss://` URL (the password never appears in the message). */
function redisUrl(text: string): string {
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    throw new UsageError('option --redis: expected a URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new UsageError(`option --redis: expected a redis:// or rediss:// URL, got one with ${protocol}`);
  return text;
}

function queueName(text: string): string {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(text))
    throw new UsageError(`option --queue: expected letters, digits, '.', '_' or '-' (at most 100), got ${JSON.stringify(text)}`);
  return text;
}

/** A run's id as `run --redis` prints it (`RUN_ID 3f9c0a1b2c4d`): letters, digits, '_' or '-'. */
function runId(text: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text))
    throw new UsageError(
      `option --attach: expected a run id (letters, digits, '_' or '-', as RUN_ID printed it), got ${JSON.stringify(text)}`,
    );
  return text;
}

function positiveDuration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`option ${flag}: expected a duration such as 30s or 24h, got ${JSON.stringify(text)}`);
  return ms;
}

/** The options of `plan`, for "did you mean". */
const PLAN_OPTIONS = [
  '--help',
  '--file',
  '--dir',
  '--var',
  '--var-file',
  '--env-file',
  '--secret',
  '--test',
  '--grep',
  '--sequential',
  '--concurrency',
  '--format',
];

function parsePlan(args: readonly string[]): E.Either<UsageError, Command> {
  const selection = emptySelection();
  let format: PlanArgs['format'] = 'text';
  const list = tokens(args);
  for (let i = 0; i < list.length; i++) {
    const flag = list[i] as string;
    if (flag === '--') {
      selection.files.push(...list.slice(i + 1));
      break;
    }
    const value = (): string => {
      const v = list[++i];
      if (v === undefined) throw new UsageError(`option ${flag} needs a value (see rocketship plan --help)`);
      return v;
    };
    try {
      if (readSelection(flag, value, selection)) continue;
      switch (flag) {
        case '-h':
        case '--help':
          return E.right({ _tag: 'Help', text: PLAN_HELP });
        case '--format': {
          const f = value();
          if (f !== 'text' && f !== 'json') throw new UsageError(`option --format: expected text or json, got ${JSON.stringify(f)}`);
          format = f;
          break;
        }
        default:
          if (flag.startsWith('-') && flag !== '-') throw unknownOption(flag, 'plan', [...PLAN_OPTIONS, '-h', '-f', '-d']);
          selection.files.push(flag);
      }
    } catch (error) {
      if (error instanceof UsageError) return E.left(error);
      throw error;
    }
  }
  const { files, dirs, vars, varFiles, envFiles, secrets, tests, grep, concurrency, sequential } = selection;
  return E.right({ _tag: 'Plan', args: { files, dirs, vars, varFiles, envFiles, secrets, tests, grep, concurrency, sequential, format } });
}

/** `--grep RE`: a valid regular expression. */
function regex(text: string): string {
  try {
    new RegExp(text);
  } catch (e) {
    throw new UsageError(`option --grep: invalid regular expression ${JSON.stringify(text)}: ${(e as Error).message}`);
  }
  return text;
}

function parseValidate(args: readonly string[]): E.Either<UsageError, Command> {
  const paths: string[] = [];
  let json = false;
  const vars: string[] = [];
  const varFiles: string[] = [];
  const envFiles: string[] = [];
  const secrets: string[] = [];
  const list = tokens(args);
  for (let i = 0; i < list.length; i++) {
    const arg = list[i] as string;
    const value = (): string => {
      const v = list[++i];
      if (v === undefined) throw new UsageError(`option ${arg} needs a value (see rocketship validate --help)`);
      return v;
    };
    try {
      if (arg === '-h' || arg === '--help') return E.right({ _tag: 'Help', text: VALIDATE_HELP });
      if (arg === '--json') json = true;
      else if (arg === '--var') vars.push(keyValue(arg, value()));
      else if (arg === '--var-file') varFiles.push(value());
      else if (arg === '--env-file') envFiles.push(value());
      else if (arg === '--secret') secrets.push(secretName(value()));
      else if (arg.startsWith('-') && arg !== '-')
        return E.left(unknownOption(arg, 'validate', ['--json', '--help', '--var', '--var-file', '--env-file', '--secret']));
      else paths.push(arg);
    } catch (error) {
      if (error instanceof UsageError) return E.left(error);
      throw error;
    }
  }
  if (paths.length === 0) return E.left(new UsageError('validate needs at least one FILE or DIR (see rocketship validate --help)'));
  return E.right({ _tag: 'Validate', args: { paths, json, vars, varFiles, envFiles, secrets } });
}

function parseInit(args: readonly string[]): E.Either<UsageError, Command> {
  const files: string[] = [];
  let schema: string | undefined;
  const list = tokens(args);
  for (let i = 0; i < list.length; i++) {
    const arg = list[i] as string;
    if (arg === '--') {
      files.push(...list.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') return E.right({ _tag: 'Help', text: INIT_HELP });
    if (arg === '--schema') {
      schema = list[++i];
      if (schema === undefined || schema === '')
        return E.left(new UsageError('option --schema needs a PATH or URL (see rocketship init --help)'));
    } else if (arg.startsWith('-') && arg !== '-') return E.left(unknownOption(arg, 'init', ['--schema', '--help']));
    else files.push(arg);
  }
  if (files.length > 1)
    return E.left(new UsageError(`init writes one file, got ${files.length}: ${files.join(', ')} (see rocketship init --help)`));
  return E.right({ _tag: 'Init', args: { file: files[0] ?? 'rocketship.yaml', schema } });
}

function parseSchema(args: readonly string[]): E.Either<UsageError, Command> {
  const [first] = args;
  if (first === '-h' || first === '--help') return E.right({ _tag: 'Help', text: SCHEMA_HELP });
  if (first === undefined) return E.right({ _tag: 'Schema' });
  return E.left(
    first.startsWith('-')
      ? unknownOption(first, 'schema', ['--help'])
      : new UsageError(`schema takes no arguments, got ${first} (see rocketship schema --help)`),
  );
}

/** `--secret` of `validate`: `NAME` or `NAME=VALUE`, with a name. */
function secretName(text: string): string {
  if (text === '' || text.startsWith('='))
    throw new UsageError(`option --secret: expected NAME or NAME=VALUE, got ${JSON.stringify(text)}`);
  return text;
}

function keyValue(flag: string, text: string): string {
  if (!/^[^=]+=/.test(text)) throw new UsageError(`option ${flag}: expected NAME=VALUE, got ${JSON.stringify(text)}`);
  return text;
}

/** `--heartbeat`: a Go-style duration (`10s`, `1m`, `500ms`) or `0` (off), in ms. */
function heartbeatDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`option --heartbeat: expected a duration such as 10s or 1m (0 turns it off), got ${JSON.stringify(text)}`);
  return ms;
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`option ${flag}: expected an integer >= 1, got ${JSON.stringify(text)}`);
  return n;
}
