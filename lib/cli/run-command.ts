import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { asyncScheduler, merge, type Observable } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { discoverSuiteFiles, formatDslError, loadSuiteFile, MAX_SUITE_FILE_BYTES, type LoadedSuite } from '../dsl/index.js';
import { readRegularFile } from '../dsl/read-regular-file.js';
import { createAxiosClient } from '../http/axios-client.js';
import { builtinPlugins } from '../plugins/builtin.js';
import { runSuite } from '../run/run-suite.js';
import { mergeVars } from '../run/merge-vars.js';
import { createRedactor, suiteSecrets } from '../run/redact.js';
import type { RunEvent } from '../run/run-event.js';
import { consoleReporter } from '../report/console.js';
import { jsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import type { DocumentReporter, Reporter } from '../report/reporter.js';
import type { RunArgs } from './parse-args.js';
import { parseEnvFile } from './env-file.js';
import { parseVarAssignments, parseVarFile } from './var-args.js';
import type { CliIO } from './cli-io.js';

/** Exit codes of `rocketship run`. */
export const EXIT = { passed: 0, failed: 1, badInput: 2, sigint: 130, sigterm: 143 } as const;

/**
 * `rocketship run`: loads every suite (any file error: exit 2, nothing runs), runs them
 * concurrently, folds the events into the console and report writers, and resolves to the exit
 * code. Reports are written whatever the outcome, interruption included. Secrets (`--secret`
 * values, secret-named environment variables the suites read, credential headers) show as `***`
 * on the console, in the reports and in every message printed to stderr.
 */
export async function runCommand(args: RunArgs, cliIo: CliIO): Promise<number> {
  // What goes to stderr is masked like the events (which runSuite masks itself): a decode error
  // quoting a line, or an internal error, must not print a secret either.
  const redactor = createRedactor({ secrets: args.secrets.map((s) => s.slice(s.indexOf('=') + 1)) });
  const io: CliIO = {
    ...cliIo,
    stdout: (text) => cliIo.stdout(text),
    stderr: (text) => cliIo.stderr(redactor.redactText(text)),
    interrupted: () => cliIo.interrupted(),
  };
  const inputs = readInputs(args, io);
  if (E.isLeft(inputs)) {
    for (const message of inputs.left) io.stderr(`${message}\n`);
    return EXIT.badInput;
  }
  const { suites, vars, env, secrets } = inputs.right;
  for (const loaded of suites) redactor.addSecrets(suiteSecrets(loaded.suite, { env, secrets }));
  const only = testFilter(args);
  if (only !== undefined && !suites.some((s) => s.suite.tests.some((t) => only(t.name)))) {
    io.stderr(`no test matches ${args.tests.length > 0 ? `--test ${args.tests.map((t) => JSON.stringify(t)).join(', ')}` : ''}${args.grep !== undefined ? ` --grep ${JSON.stringify(args.grep)}` : ''}\n`);
    return EXIT.badInput;
  }

  const color = args.color ?? (io.isTTY && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === ''));
  const screen = consoleReporter({
    write: io.stdout,
    tty: io.isTTY,
    color,
    verbose: args.verbose,
    ...(io.columns === undefined ? {} : { columns: io.columns }),
    ...(io.rows === undefined ? {} : { rows: io.rows }),
  });
  const documents = args.reports.map((r) => ({ ...r, reporter: r.format === 'json' ? jsonReporter() : junitReporter() }));
  const reporters: Reporter[] = [screen, ...documents.map((d) => d.reporter)];

  const http = createAxiosClient(args.maxBodyBytes === undefined ? {} : { maxBodyBytes: args.maxBodyBytes });
  const plugins = builtinPlugins();
  const events$: Observable<RunEvent> = merge(
    ...suites.map((loaded) =>
      runSuite(loaded, {
        http,
        plugins,
        vars,
        env,
        secrets,
        concurrency: args.concurrency,
        interrupt$: io.interrupt$,
        bail: args.bail,
        ...(only === undefined ? {} : { only }),
        ...(args.maxBodyBytes === undefined ? {} : { maxBodyBytes: args.maxBodyBytes }),
      }),
    ),
  );

  let failed = false;
  let crashed: unknown;
  // On a terminal, the live block counts "next in" down and elapsed time up between events.
  const ticker = io.isTTY ? setInterval(() => screen.tick(asyncScheduler.now()), 100) : undefined;
  await new Promise<void>((done) => {
    events$.subscribe({
      next: (event) => {
        if (event._tag === 'SuiteEnded' && event.result._tag !== 'Passed') failed = true;
        for (const r of reporters) r.next(event);
      },
      error: (error: unknown) => {
        crashed = error;
        for (const r of reporters) r.error(error);
        done();
      },
      complete: () => {
        for (const r of reporters) r.complete();
        done();
      },
    });
  });

  if (ticker !== undefined) clearInterval(ticker);
  const written = writeReports(documents, io);
  if (crashed !== undefined) {
    io.stderr(`internal error: ${crashed instanceof Error ? (args.debug ? (crashed.stack ?? crashed.message) : crashed.message) : String(crashed)}\n`);
    return EXIT.failed;
  }
  const signal = io.interrupted();
  if (signal === 'SIGINT') return EXIT.sigint;
  if (signal === 'SIGTERM') return EXIT.sigterm;
  return failed || !written ? EXIT.failed : EXIT.passed;
}

interface Inputs {
  readonly suites: readonly LoadedSuite[];
  readonly vars: Readonly<Record<string, Json>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: Readonly<Record<string, string>>;
}

/** Reads and checks everything a run needs; every problem is reported, not just the first. */
function readInputs(args: RunArgs, io: CliIO): E.Either<string[], Inputs> {
  const problems: string[] = [];
  const files = [...args.files.map((f) => resolve(io.cwd, f))];
  for (const dir of args.dirs) {
    const found = discoverSuiteFiles(resolve(io.cwd, dir));
    if (found.length === 0) problems.push(`-d ${dir}: no suite file found below it (rocketship.yaml, or *.yaml in a .rocketship directory)`);
    else files.push(...found);
  }
  if (args.files.length === 0 && args.dirs.length === 0) files.push(resolve(io.cwd, 'rocketship.yaml'));

  const suites: LoadedSuite[] = [];
  for (const file of files) {
    const loaded = loadSuiteFile(file);
    if (E.isLeft(loaded)) problems.push(...loaded.left.map(formatDslError));
    else suites.push(loaded.right);
  }

  let vars: Record<string, Json> = {};
  for (const file of args.varFiles) {
    const text = readText('--var-file', file, io);
    if (E.isLeft(text)) problems.push(text.left);
    else {
      const parsed = parseVarFile(text.right, file);
      if (E.isLeft(parsed)) problems.push(parsed.left);
      else vars = mergeVars(vars, parsed.right);
    }
  }
  const assigned = parseVarAssignments(args.vars);
  if (E.isLeft(assigned)) problems.push(assigned.left);
  else vars = mergeVars(vars, assigned.right);

  const fromFiles: Record<string, string> = {};
  for (const file of args.envFiles) {
    const text = readText('--env-file', file, io);
    if (E.isLeft(text)) problems.push(text.left);
    else {
      const parsed = parseEnvFile(text.right, file);
      if (E.isLeft(parsed)) problems.push(parsed.left);
      else Object.assign(fromFiles, parsed.right);
    }
  }
  // The process environment wins over env files, as with dotenv.
  const env: Record<string, string | undefined> = { ...fromFiles, ...io.env };

  const secrets: Record<string, string> = {};
  for (const s of args.secrets) {
    const at = s.indexOf('=');
    secrets[s.slice(0, at)] = s.slice(at + 1);
  }
  return problems.length > 0 ? E.left(problems) : E.right({ suites, vars, env, secrets });
}

/** Reads a --var-file or --env-file: a regular file (a FIFO would block), at most a suite file's size. */
function readText(flag: string, file: string, io: CliIO): E.Either<string, string> {
  const bytes = readRegularFile(resolve(io.cwd, file), MAX_SUITE_FILE_BYTES);
  if (E.isRight(bytes)) return E.right(bytes.right.toString('utf8'));
  const problem = bytes.left;
  switch (problem._tag) {
    case 'Unreadable':
      return E.left(`${flag} ${file}: ${problem.message === 'no such file' ? 'no such file' : `cannot read (${problem.message})`}`);
    case 'NotRegular':
      return E.left(`${flag} ${file}: it is ${problem.kind}, not a regular file`);
    case 'TooLarge':
      return E.left(`${flag} ${file}: the file is ${problem.size} bytes; it may be at most ${MAX_SUITE_FILE_BYTES} bytes, as a suite file`);
  }
}

function testFilter(args: RunArgs): ((name: string) => boolean) | undefined {
  if (args.tests.length === 0 && args.grep === undefined) return undefined;
  const re = args.grep === undefined ? undefined : new RegExp(args.grep);
  return (name) => args.tests.includes(name) || (re !== undefined && re.test(name));
}

/** Writes every requested report; a report that cannot be written is an error, not a crash. */
function writeReports(documents: ReadonlyArray<{ format: string; path: string; reporter: DocumentReporter }>, io: CliIO): boolean {
  let ok = true;
  for (const d of documents) {
    const path = resolve(io.cwd, d.path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, d.reporter.render());
    } catch (error) {
      ok = false;
      io.stderr(`--report ${d.format}=${d.path}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
    }
  }
  return ok;
}
