import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { asyncScheduler, concat, merge, type Observable } from 'rxjs';
import type { Json } from '../json.js';
import type { LoadedSuite } from '../dsl/index.js';
import { createAxiosClient } from '../http/axios-client.js';
import { createContractCache } from '../openapi/contract-cache.js';
import { builtinPlugins } from '../plugins/builtin.js';
import { runSuite } from '../run/run-suite.js';
import { createSlotPool } from '../run/slot-pool.js';
import { mergeVars } from '../run/merge-vars.js';
import { createRedactor, type Redactor } from '../secrets/create-redactor.js';
import { suiteSecrets } from '../secrets/suite-secrets.js';
import type { RunEvent } from '../event/run-event.js';
import { consoleReporter } from '../report/console.js';
import type { Reporter } from '../report/reporter.js';
import { RunError, type RunErrorEntry } from '../report/run-error.js';
import { lastRunReporter, mergeLastRun } from '../report/last-run.js';
import type { RunArgs } from './parse-args.js';
import type { CliIO } from './cli-io.js';
import { bothChoose, checkInputTemplates, choiceIn, preloadInputContracts, readInputs, testFilter } from './read-inputs.js';
import { lastRunPath, readLastRunFile, writeLastRunFile } from './last-run-file.js';
import { chooseRerun, filesToRerun } from './rerun-failed.js';
import { createReportFiles, type ReportFiles } from './report-files.js';
import { useColor } from './use-color.js';
import type { TestExecutor } from '../run/test-executor.js';
import {
  AttachError,
  checkRedis,
  createPayloadCipher,
  maskRedisUrl,
  queueExecutor,
  QUEUE_KEY_VARIABLE,
  suiteFingerprint,
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

  // The console's stream: stdout, unless a report has it (`--report json=-`).
  const say = reports.toStdout ? io.stderr : io.stdout;
  // An empty run: the reports say no test ran, rather than be left from an earlier run.
  const nothingToRun = async (lines: readonly string[]): Promise<number> => {
    for (const line of lines) say(`${line}\n`);
    for (const r of reports.reporters) r.complete();
    await writeReports();
    return EXIT.passed;
  };

  // Up to --concurrency tests at once in this process (on a queue, the workers run them): said
  // before the suites are read, so that decoding large files is collected as the run will be.
  if (args.redis === undefined) io.tuneForTestsAtOnce?.(args.concurrency);

  // Every run records its tests' outcomes; --rerun-failed reads what the last ones recorded.
  const record = lastRunPath(args.lastRun, io.cwd);
  const recordShown = relative(io.cwd, record).startsWith('..') ? record : relative(io.cwd, record);
  const previous = readLastRunFile(record, recordShown);
  let named: RunArgs = args;
  if (args.rerunFailed) {
    if (previous._tag === 'Unreadable') {
      const message = `${previous.message}; delete it (the next run writes a new one), or run without --rerun-failed`;
      io.stderr(`${message}\n`);
      return notStarted([{ kind: 'input', file: record, message }]);
    }
    if (previous._tag === 'Missing') return nothingToRun([`nothing to re-run: no run is recorded at ${recordShown} yet`]);
    // No FILE given: the files of the tests that failed.
    if (args.files.length === 0 && args.dirs.length === 0) {
      const { files, notes } = filesToRerun(previous.record, io.cwd);
      for (const note of notes) io.stderr(`note: ${note}\n`);
      if (files.length === 0) return nothingToRun([`nothing to re-run: no test failed or errored in the last run (${recordShown})`]);
      named = { ...args, files };
    }
  } else if (previous._tag === 'Unreadable') {
    io.stderr(`note: ${previous.message}; this run writes a new one\n`);
  }

  const inputs = readInputs(named, io);
  for (const note of inputs.notes) io.stderr(`note: ${note}\n`);
  const { vars, env, secrets } = inputs;
  let suites = inputs.suites;
  let only = testFilter(args);
  // --rerun-failed: only the tests that failed or errored, in the suites that have one.
  let rerunLines: readonly string[] = [];
  if (args.rerunFailed && previous._tag === 'Read' && inputs.problems.length === 0) {
    const choice = chooseRerun(previous.record, inputs.suites, io.cwd, recordShown);
    if (choice.tests.length === 0) return nothingToRun(choice.lines);
    const chosen = bothChoose(only, choice.only) ?? choice.only;
    if (!choice.suites.some((s) => s.suite.tests.some((t, i) => chosen(s.file, t.name, i))))
      return nothingToRun([...choice.lines, 'nothing to re-run: none of them is among the tests --test or --grep chooses']);
    rerunLines = choice.lines;
    suites = choice.suites;
    only = chosen;
  }
  // Every template of what will run, before the first request; then the OpenAPI documents of the
  // suites whose templates are right, into one cache for the run (its steps read them there).
  const checked = checkInputTemplates({ ...inputs, suites }, { only });
  const contracts = createContractCache();
  const documents = await preloadInputContracts(checked.clean, inputs, contracts, only);
  // Report paths are checked now, not found wrong once the run is over; none may overwrite an input.
  const inputFiles = [...inputs.suiteFiles, ...args.varFiles, ...args.envFiles].map((f) => resolve(io.cwd, f));
  const problems = [
    ...inputs.problems,
    ...checked.problems,
    ...documents,
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
  const chosen = only;
  if (chosen !== undefined && !suites.some((s) => s.suite.tests.some((t, i) => chosen(s.file, t.name, i)))) {
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
    // The run's record names its suites (their positions make the job ids); attaching checks them.
    const named = suites.map((loaded) => {
      const chosen = choiceIn(only, loaded.file);
      const tests = loaded.suite.tests.flatMap((t, i) => ((chosen?.(t.name, i) ?? true) ? [i] : []));
      return { loaded, fingerprint: suiteFingerprint(loaded, { vars, tests }) };
    });
    try {
      await ready.start(named);
    } catch (error) {
      await ready.close();
      const message = error instanceof AttachError ? error.message : `--redis: ${(error as Error).message}; nothing was enqueued`;
      io.stderr(`${message}\n`);
      return notStarted([{ kind: 'input', message }]);
    }
    queue = ready;
    const where = `queue ${args.queue ?? 'rocketship'} on ${maskRedisUrl(args.redis)}`;
    io.stderr(
      args.attach === undefined
        ? `RUN_ID ${queue.runId} (${where})\n`
        : `RUN_ID ${queue.runId}: attached (${where}); the events so far are replayed; suite init is not run again (shown as the first coordinator recorded it)\n`,
    );
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
  const lastRun = lastRunReporter();
  const reporters: Reporter[] = [screen, ...reports.reporters, lastRun];
  for (const line of rerunLines) say(`${line}\n`);

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
        // On a queue, every test is enqueued at once and the workers' --concurrency limits them,
        // unless --concurrency was given: then at most that many are in the queue or running.
        ...(executor === undefined
          ? { concurrency: args.concurrency, testSlots }
          : args.concurrencyGiven
            ? { concurrency: args.concurrency, testSlots, executor }
            : { concurrency: Number.POSITIVE_INFINITY, executor }),
        interrupt$: io.interrupt$,
        bail: args.bail,
        only: choiceIn(only, loaded.file),
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
  const written = await writeReports();
  if (queue !== undefined) {
    // Reports written: the run is over, and --attach refuses it from now on (unless Redis is gone).
    if (crashed === undefined) await withinMs(queue.finish(), 2000).catch(() => undefined);
    await queue.close();
  }
  // The record keeps what the tests of other files, and of tests not run this time, came to.
  const current = new Map(inputs.suites.map((loaded) => [loaded.file, loaded.suite.tests.map((t) => t.name)] as const));
  const kept = mergeLastRun(previous._tag === 'Read' ? previous.record : undefined, lastRun.outcomes(), current, existsSync);
  const unwritten = await writeLastRunFile(record, kept, recordShown);
  if (unwritten !== undefined) io.stderr(`note: ${unwritten}\n`);
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
    ...(args.attach === undefined ? {} : { runId: args.attach, attach: true }),
    queue: args.queue,
    key,
    retentionMs: args.retention,
    redisTimeoutMs: args.redisTimeout,
    log: (line) => io.stderr(`queue: ${line}\n`),
  });
}

/** `promise`, or a rejection after `ms`. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
