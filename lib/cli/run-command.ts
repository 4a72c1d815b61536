import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { asyncScheduler, concat, merge, type Observable } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { discoverSuiteFiles, isRocketshipDir, suiteFilesWanted, loadSuiteFile, type DslError, type LoadedSuite } from '../dsl/index.js';
import { checkTemplates } from '../dsl/check-templates.js';
import { createAxiosClient } from '../http/axios-client.js';
import { createContractCache, type ContractCache } from '../openapi/contract-cache.js';
import { builtinPlugins } from '../plugins/builtin.js';
import { preloadContracts } from '../plugins/preload-contracts.js';
import { runSuite } from '../run/run-suite.js';
import { createSlotPool } from '../run/slot-pool.js';
import { mergeVars } from '../run/merge-vars.js';
import { createRedactor, type Redactor } from '../secrets/create-redactor.js';
import { suiteSecrets } from '../secrets/suite-secrets.js';
import type { RunEvent } from '../event/run-event.js';
import { consoleReporter } from '../report/console.js';
import type { Reporter } from '../report/reporter.js';
import { inputErrorEntry, RunError, type RunErrorEntry } from '../report/run-error.js';
import type { RunArgs } from './parse-args.js';
import { readValues } from './read-values.js';
import type { CliIO } from './cli-io.js';
import { createReportFiles, type ReportFiles } from './report-files.js';
import { type NamedFile, uniqueFiles } from './unique-files.js';
import { useColor } from './use-color.js';
import type { TestExecutor } from '../run/test-executor.js';
import {
  checkRedis,
  createPayloadCipher,
  maskRedisUrl,
  queueExecutor,
  QUEUE_KEY_VARIABLE,
  whySuiteSecret,
  type QueueExecutor,
} from '../queue/index.js';

/** How often a step still running says so without a terminal, unless `--heartbeat` says otherwise. */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** Exit codes of `rocketship run`. */
export const EXIT = { passed: 0, failed: 1, badInput: 2, sighup: 129, sigint: 130, sigterm: 143 } as const;

/** Options of {@link runCommand}. */
export interface RunCommandConfig {
  /**
   * The process's redactor (see `main`), which already masks `io.stderr`: the command teaches it
   * the run's secrets (those the suites read, and the values the run learns are credentials by
   * using them) as soon as it knows them. Default: a new one knowing the `--secret` values, with
   * which the command masks `io.stderr` itself.
   */
  readonly redactor?: Redactor;
  /** The run's report files (see `ReportFiles`); they must mask with `redactor`. Default: those `args` asks for. */
  readonly reports?: ReportFiles;
}

/**
 * `rocketship run`: finds and loads every suite (the FILEs, `-f`, `-d` by Rocketship's rules,
 * else `./rocketship.yaml`) and checks every input and report path (any problem: exit 2, nothing
 * runs), runs the suites concurrently (`--sequential`: one file after another) with at most
 * `--concurrency` tests at once in all (and at most `--max-connections` sockets to one host),
 * folds the events into the console and the report writers, closes idle connections, writes the
 * reports, and resolves to the exit code. A report to stdout (`--report json=-`) has stdout to
 * itself: the console then writes to stderr.
 *
 * A file named twice (`-f a.yaml -f ./a.yaml`, a link to it, `-f` plus a `-d` that finds it)
 * runs once, with a note on stderr. Reports are written however the run ends: with what ran
 * when it is interrupted or stops on an internal error, and with an error entry per problem
 * when it never started (bad input); `reports` holds them, so that the caller can still write
 * them if the process has to exit at once (see `ReportFiles`).
 *
 * Secrets (`--secret` values, secret-named environment variables the suites read, credential
 * headers, values the run learns are credentials) show as `***` everywhere: `runSuite` masks the
 * events the console and the reports fold; the one `redactor` masks what is not an event (stderr,
 * error entries) and masks the rendered reports again with what the run learned late.
 */
export async function runCommand(args: RunArgs, cliIo: CliIO, config: RunCommandConfig = {}): Promise<number> {
  const redactor = config.redactor ?? createRedactor({ secrets: args.secrets.map((s) => s.slice(s.indexOf('=') + 1)) });
  // Given a redactor, the caller masks stderr with it (main does); else this command does.
  const io: CliIO =
    config.redactor !== undefined
      ? cliIo
      : {
          ...cliIo,
          stdout: (text) => cliIo.stdout(text),
          stderr: (text) => cliIo.stderr(redactor.redactText(text)),
          interrupted: () => cliIo.interrupted(),
        };
  const reports = config.reports ?? createReportFiles(args.reports, { cwd: io.cwd, redactor, stdout: io.stdout });
  const writeReports = async (): Promise<boolean> => {
    const problems = await reports.write();
    for (const problem of problems) io.stderr(`${problem}\n`);
    return problems.length === 0;
  };
  // Nothing ran: the reports say why, instead of being left from an earlier run.
  const notStarted = async (entries: readonly RunErrorEntry[]): Promise<number> => {
    reports.stop(new RunError(entries, { started: false, at: asyncScheduler.now() }));
    await writeReports();
    return EXIT.badInput;
  };

  // One cache of OpenAPI documents for the run: loaded (and checked) before it starts, then read by its steps.
  const contracts = createContractCache();
  const inputs = await readInputs(args, io, contracts);
  for (const note of inputs.notes) io.stderr(`note: ${note}\n`);
  const { suites, vars, env, secrets } = inputs;
  // Report paths are checked now, not found wrong once the run is over; none may overwrite an input.
  const inputFiles = [...inputs.suiteFiles, ...args.varFiles, ...args.envFiles].map((f) => resolve(io.cwd, f));
  const problems = [
    ...inputs.problems,
    ...reports.check(inputFiles).map((text) => ({ text, entry: { kind: 'input' as const, message: text } })),
  ];
  // What runSuite will mask in its events, known before it starts: the problems printed below
  // and any other stderr line of the run are masked with it too.
  for (const loaded of suites)
    redactor.addSecrets(suiteSecrets(loaded.suite, { env, secrets, vars: mergeVars(loaded.suite.vars ?? {}, vars) }));
  if (problems.length > 0) {
    for (const problem of problems) io.stderr(`${problem.text}\n`);
    return notStarted(problems.map((problem) => problem.entry));
  }
  const only = testFilter(args);
  if (only !== undefined && !suites.some((s) => s.suite.tests.some((t) => only(t.name)))) {
    const message = `no test matches ${args.tests.length > 0 ? `--test ${args.tests.map((t) => JSON.stringify(t)).join(', ')}` : ''}${args.grep !== undefined ? ` --grep ${JSON.stringify(args.grep)}` : ''}`;
    io.stderr(`${message}\n`);
    return notStarted([{ kind: 'input', message }]);
  }
  // Distributed (`--redis`): the queue's key and Redis are checked before anything is enqueued.
  let queue: QueueExecutor | undefined;
  if (args.redis !== undefined) {
    const ready = await distributedExecutor(args, args.redis, io, suites, { env, secrets, vars });
    if (typeof ready === 'string') {
      io.stderr(`${ready}\n`);
      return notStarted([{ kind: 'input', message: ready }]);
    }
    queue = ready;
    io.stderr(`RUN_ID ${queue.runId} (queue ${args.queue ?? 'rocketship'} on ${maskRedisUrl(args.redis)})\n`);
  }
  const executor: TestExecutor | undefined = queue;

  // Gone before the run starts: a run killed outright (SIGKILL) leaves no report, never an old one.
  for (const problem of reports.removeStale()) io.stderr(`${problem}\n`);

  // A report on stdout (`--report json=-`) has it to itself: the console goes to stderr, as plain lines.
  const tty = io.isTTY && !reports.toStdout;
  const color = useColor(args.color, tty, io.env);
  // Without a terminal (CI), a line for each step still running every 10s by default; --quiet asks for none unless --heartbeat does.
  const heartbeatMs = tty ? 0 : (args.heartbeat ?? (args.quiet ? 0 : DEFAULT_HEARTBEAT_MS));
  const screen = consoleReporter({
    write: reports.toStdout ? io.stderr : io.stdout,
    tty,
    color,
    verbose: args.verbose,
    columns: io.columns,
    rows: io.rows,
    quiet: args.quiet,
    heartbeatMs,
    cwd: io.cwd,
  });
  // A notice on stderr (a signal's) erases the live block first, rather than be drawn over.
  const detachFrame = io.liveFrame?.attach(() => screen.clearLive());
  const reporters: Reporter[] = [screen, ...reports.reporters];

  const http = createAxiosClient({
    maxBodyBytes: args.maxBodyBytes,
    maxSocketsPerHost: args.maxConnections,
    maxBufferedBytes: args.maxResponseBytes,
  });
  const plugins = builtinPlugins({ contracts });
  // One pool for every suite: --concurrency bounds the tests of the whole run.
  const testSlots = createSlotPool(args.concurrency);
  // Every file at once, or (--sequential) each once the one before has ended.
  const allAtOnce = args.sequential ? concat : merge;
  const events$: Observable<RunEvent> = allAtOnce(
    ...suites.map((loaded) =>
      runSuite(loaded, {
        http,
        plugins,
        vars,
        env,
        secrets,
        // On a queue, every test is enqueued at once: the workers' --concurrency limits them.
        ...(executor === undefined ? { concurrency: args.concurrency, testSlots } : { concurrency: Number.POSITIVE_INFINITY, executor }),
        interrupt$: io.interrupt$,
        bail: args.bail,
        only,
        maxBodyBytes: args.maxBodyBytes,
        // A value the run learns is a credential by using it (a token saved, then sent as
        // `Authorization`) may show in events emitted before: the reports are masked again with
        // it when rendered (see ReportFiles), and stderr from now on.
        onSecret: (value) => redactor.addSecrets([value]),
      }),
    ),
  );

  let failed = false;
  let crashed: unknown;
  // On a terminal, the live block counts "next in" down and elapsed time up between events;
  // elsewhere, heartbeats fall due (to the second).
  const tickMs = tty ? 100 : heartbeatMs > 0 ? Math.min(1000, heartbeatMs) : undefined;
  const ticker = tickMs === undefined ? undefined : setInterval(() => screen.tick(asyncScheduler.now()), tickMs);
  await new Promise<void>((done) => {
    events$.subscribe({
      next: (event) => {
        if (event._tag === 'SuiteEnded' && event.result._tag !== 'Passed') failed = true;
        for (const r of reporters) r.next(event);
      },
      error: (error: unknown) => {
        crashed = error;
        const message = error instanceof Error ? error.message : String(error);
        // Not an event: runSuite's masking never saw this message.
        screen.error(new Error(redactor.redactText(message)));
        reports.stop(new RunError([{ kind: 'internal', message }], { started: true, at: asyncScheduler.now() }));
        done();
      },
      complete: () => {
        for (const r of reporters) r.complete();
        done();
      },
    });
  });

  if (ticker !== undefined) clearInterval(ticker);
  detachFrame?.();
  // Idle keep-alive sockets hold file descriptors: near `ulimit -n`, the reports need them.
  http.closeIdleConnections();
  await queue?.close();
  const written = await writeReports();
  if (crashed !== undefined) {
    io.stderr(
      `internal error: ${crashed instanceof Error ? (args.debug ? (crashed.stack ?? crashed.message) : crashed.message) : String(crashed)}\n`,
    );
    return EXIT.failed;
  }
  const signal = io.interrupted();
  if (signal === 'SIGINT') return EXIT.sigint;
  if (signal === 'SIGTERM') return EXIT.sigterm;
  if (signal === 'SIGHUP') return EXIT.sighup;
  return failed || !written ? EXIT.failed : EXIT.passed;
}

/**
 * The queue executor of a `--redis` run, or why there is none (bad input, exit 2): a key that
 * cannot be used, a suite with secrets and no key (nothing secret rests in Redis in clear
 * text), or Redis not answering.
 */
async function distributedExecutor(
  args: RunArgs,
  redis: string,
  io: CliIO,
  suites: readonly LoadedSuite[],
  values: {
    env: Readonly<Record<string, string | undefined>>;
    secrets: Readonly<Record<string, string>>;
    vars: Readonly<Record<string, Json>>;
  },
): Promise<QueueExecutor | string> {
  const key = io.env[QUEUE_KEY_VARIABLE];
  if (key !== undefined) {
    try {
      createPayloadCipher(key);
    } catch (error) {
      return `--redis: ${(error as Error).message}`;
    }
  } else {
    for (const loaded of suites) {
      const why = whySuiteSecret(loaded, { ...values, vars: mergeVars(loaded.suite.vars ?? {}, values.vars) });
      if (why !== undefined)
        return `--redis: ${loaded.file} is not sent to the queue without ${QUEUE_KEY_VARIABLE}: ${why}, and nothing secret rests in Redis in clear text. Give the run and the workers the same key (make one with: openssl rand -base64 32); nothing was enqueued`;
    }
  }
  try {
    await checkRedis(redis);
  } catch (error) {
    return `--redis: ${(error as Error).message}; nothing was enqueued`;
  }
  return queueExecutor({
    redis,
    queue: args.queue,
    key,
    retentionMs: args.retention,
    redisTimeoutMs: args.redisTimeout,
    log: (line) => io.stderr(`queue: ${line}\n`),
  });
}

interface Inputs {
  readonly suites: readonly LoadedSuite[];
  readonly vars: Readonly<Record<string, Json>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Everything wrong, as printed on stderr and as a report entry; the run does not start if any. */
  readonly problems: readonly InputProblem[];
  /** Said on stderr, but no reason not to run: a file named twice. */
  readonly notes: readonly string[];
  /** Every suite file named, loaded or not. */
  readonly suiteFiles: readonly string[];
}

interface InputProblem {
  readonly text: string;
  readonly entry: RunErrorEntry;
}

/**
 * Reads and checks everything a run needs; every problem is reported, not just the first. The
 * OpenAPI documents of a suite whose templates are right are loaded into `contracts` (a missing
 * or broken one is a problem).
 */
async function readInputs(args: RunArgs, io: CliIO, contracts: ContractCache): Promise<Inputs> {
  const problems: InputProblem[] = [];
  const problem = (text: string): void => void problems.push({ text, entry: { kind: 'input', message: text } });
  const named: NamedFile[] = [];
  /** The suites below a directory given with `-d` (or as a FILE), or the problem of finding none. */
  const discover = (dir: string, given: string): void => {
    const path = resolve(io.cwd, dir);
    const kind = pathKind(path);
    if (kind !== 'directory') {
      problem(
        kind === 'missing' ? `${given}: no such directory` : `${given}: ${dir} is a file, not a directory; give it as a FILE (-f ${dir})`,
      );
      return;
    }
    const found = discoverSuiteFiles(path);
    if (found.length > 0) named.push(...found.map((file) => ({ file, given })));
    else problem(`${given}: no suite file found below it (looked for ${suiteFilesWanted(path)})${discoveryHint(path, dir)}`);
  };
  for (const f of args.files) {
    // A directory given as a FILE (`run suites/`) stands for its suites, as with -d.
    if (pathKind(resolve(io.cwd, f)) === 'directory') discover(f, `-f ${f}`);
    else named.push({ file: resolve(io.cwd, f), given: `-f ${f}` });
  }
  for (const dir of args.dirs) discover(dir, `-d ${dir}`);
  if (args.files.length === 0 && args.dirs.length === 0) {
    const file = resolve(io.cwd, 'rocketship.yaml');
    if (pathKind(file) === 'missing')
      problem(`no rocketship.yaml here (${io.cwd}): pass -f FILE or -d DIR (see rocketship run --help)${discoveryHint(io.cwd, '.')}`);
    else named.push({ file, given: './rocketship.yaml (the default)' });
  }
  const { files, notes } = uniqueFiles(named, { cwd: io.cwd });

  const suites: LoadedSuite[] = [];
  for (const { file, given } of files) {
    // Said as given, with no invented position: the file has no line to point at.
    if (pathKind(file) === 'missing') {
      const text = `no such file: ${given.startsWith('-f ') ? given.slice(3) : file}`;
      problems.push({ text, entry: { kind: 'input', file, message: 'no such file' } });
      continue;
    }
    const loaded = loadSuiteFile(file);
    if (E.isLeft(loaded)) problems.push(...loaded.left.map(dslProblem));
    else suites.push(loaded.right);
  }

  const values = readValues(args, io);
  for (const text of values.problems) problem(text);
  const { vars, env, secrets } = values;

  // Every template of what will run, before the first request: with the values incomplete (a
  // --var-file that could not be read), it would only repeat their problem.
  if (values.problems.length === 0) {
    const only = testFilter(args);
    for (const loaded of suites) {
      const suiteVars = mergeVars(loaded.suite.vars ?? {}, vars);
      const checked = checkTemplates(loaded, { vars: suiteVars, env, secrets: Object.keys(secrets), unset: 'error', only });
      problems.push(...checked.errors.map(dslProblem));
      // The OpenAPI documents, once the templates that name them are known to render.
      if (checked.errors.length === 0) {
        // A relative `spec` is found as the http plugin finds it (the process's working directory first), so its steps find it loaded.
        const documents = await preloadContracts(loaded, { contracts, vars: suiteVars, env, secrets, only });
        problems.push(...documents.map(dslProblem));
      }
    }
  }
  return { suites, vars, env, secrets, problems, notes, suiteFiles: files.map((f) => f.file) };
}

/** What is at `path`: nothing (missing, or a part of it is a file), a directory, or something else. */
function pathKind(path: string): 'missing' | 'directory' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'other';
  }
}

/**
 * A hint for a directory in which no suite was found (`shown` as the user wrote it): its
 * `.rocketship` folder (`; -d DIR/.rocketship would run the 3 *.yaml files in it`), or the YAML
 * files it holds under other names (`; it holds 2 YAML files by other names (a.yaml, b.yaml):
 * give them as FILEs (rocketship run DIR/*.yaml)`). Empty when there is nothing to suggest.
 */
function discoveryHint(dir: string, shown: string): string {
  if (isRocketshipDir(dir)) return '';
  const rocketshipDir = join(dir, '.rocketship');
  if (pathKind(rocketshipDir) === 'directory') {
    const inside = discoverSuiteFiles(rocketshipDir).length;
    if (inside > 0) return `; -d ${join(shown, '.rocketship')} would run the ${inside} *.yaml file${inside === 1 ? '' : 's'} in it`;
  }
  let yaml: string[];
  try {
    yaml = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  } catch {
    return '';
  }
  if (yaml.length === 0) return '';
  const some = `${yaml.slice(0, 3).join(', ')}${yaml.length > 3 ? ', …' : ''}`;
  const glob = yaml.some((name) => name.endsWith('.yml')) ? '*.y*ml' : '*.yaml';
  return `; it holds ${yaml.length} YAML file${yaml.length === 1 ? '' : 's'} by other names (${some}): give them as FILEs (rocketship run ${join(shown, glob)})`;
}

function dslProblem(e: DslError): InputProblem {
  const entry = inputErrorEntry(e);
  return { text: entry.details ?? entry.message, entry };
}

function testFilter(args: RunArgs): ((name: string) => boolean) | undefined {
  if (args.tests.length === 0 && args.grep === undefined) return undefined;
  const re = args.grep === undefined ? undefined : new RegExp(args.grep);
  return (name) => args.tests.includes(name) || (re !== undefined && re.test(name));
}
