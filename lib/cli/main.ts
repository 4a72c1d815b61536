import { ReplaySubject } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import { VERSION } from '../version.js';
import { parseArgs } from './parse-args.js';
import { runCommand } from './run-command.js';
import { runValidate } from './validate.js';
import { runPlan } from './plan-command.js';
import { watchCommand } from './watch-command.js';
import { runWorkerCommand } from './worker-command.js';
import { runInit } from './init-command.js';
import { runSchema } from './schema-command.js';
import type { CliIO, StopSignal } from './cli-io.js';
import { tuneGcForManyTests } from './tune-gc.js';
import { createRedactor } from '../secrets/create-redactor.js';
import { RunError } from '../report/run-error.js';
import { bufferedOutput } from './buffered-output.js';
import { guardedStream } from './guarded-stream.js';
import { createReportFiles, type ReportFiles } from './report-files.js';
import { createLiveFrame } from './live-frame.js';

/** Signals of the same name closer together than this are one keypress delivered twice. */
const SAME_SIGNAL_MS = 300;

/** The exit code after each signal that stops a run: 128 + the signal's number, as a shell reports it. */
const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * The `rocketship` command. Parses argv, runs the command, and sets `process.exitCode`; the only
 * place that knows about `process`. Expected errors print a message, never a stack trace.
 *
 * However the process ends, the reports asked for are written (or removed, never left from an
 * earlier run): after the run, after bad input or a usage error (as error entries), at a second
 * signal (what ran so far, rendered synchronously before exiting), and at an uncaught exception.
 * SIGINT, SIGTERM and SIGHUP stop a run gracefully (cleanup steps run); a second one skips the
 * cleanup left and exits at once, and on every exit the process groups of running shell steps
 * are killed (the script plugin's exit hook). Output that cannot be written (a closed pipe, a
 * full disk, a terminal gone) is dropped and never changes the run or its exit code.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const interrupt$ = new ReplaySubject<string>(1);
  let signal: StopSignal | undefined;
  let signalledAt = 0;
  // The process's one redactor for what is not a run event (runSuite masks those): stderr, the
  // reports' error entries, and the rendered reports (again, with what the run learned late; see
  // ReportFiles). It knows the `--secret` values from the start, so that not even a usage error
  // quoting a malformed one shows it; `runCommand` teaches it the run's other secrets.
  const redactor = createRedactor({ secrets: secretArgValues(argv) });
  const stderrStream = guardedStream(process.stderr);
  const stdoutStream = guardedStream(process.stdout, {
    // A reader that went away (`| head`) is normal; a full disk is worth a word.
    onFailure: (error) => {
      if (error.code !== 'EPIPE')
        stderrStream.write(`rocketship: cannot write to stdout (${error.code ?? error.message}); the run goes on without console output\n`);
    },
  });
  // A terminal's live display is written as it changes; a pipe or a file gets batched writes
  // (one per step would cost more than the step). Whatever is batched goes out before anything
  // is written to stderr (so the two stay in order when they share a file) and before exiting.
  const tty = process.stdout.isTTY === true;
  const out = bufferedOutput({ write: stdoutStream.write, ...(tty ? { maxChars: 0 } : {}) });
  process.on('exit', out.flush);
  // The live block on a terminal is erased before anything goes to stderr (a Ctrl-C notice):
  // written over it, the notice would be drawn over and the block left frozen above it.
  const liveFrame = createLiveFrame();
  const stderr = (text: string): void => {
    liveFrame.clear();
    out.flush();
    stderrStream.write(redactor.redactText(text));
  };
  /** The run's report files, once the command line asked for a run. */
  let reports: ReportFiles | undefined;

  /** Writes the reports now (what ran so far) and exits; the script plugin's exit hook kills running shell steps. */
  const exitAtOnce = (code: number): never => {
    for (const problem of reports?.writeNow() ?? []) stderr(`${problem}\n`);
    out.flush();
    process.exit(code);
  };
  const onSignal = (name: StopSignal) => () => {
    // One Ctrl-C under `npm run` arrives twice (from the terminal to the process group, and
    // forwarded by npm): a repeat within SAME_SIGNAL_MS is the same keypress.
    if (signal === name && Date.now() - signalledAt < SAME_SIGNAL_MS) return;
    if (signal !== undefined) {
      // A second signal: stop now, cleanup or not, but with the reports.
      stderr(`\n${name} again: exiting at once, without the cleanup steps left; writing the reports\n`);
      exitAtOnce(SIGNAL_EXIT[name]);
    }
    signal = name;
    signalledAt = Date.now();
    stderr(
      `\n${name}: stopping; cleanup steps run and reports are written (${name === 'SIGINT' ? 'Ctrl-C' : name} again to exit at once)\n`,
    );
    interrupt$.next(name);
  };
  // A bug or a resource run out, outside the run's own error handling: say so, keep the reports.
  const onCrash = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    stderr(`rocketship: internal error: ${message}\n`);
    reports?.stop(new RunError([{ kind: 'internal', message }], { started: true, at: Date.now() }));
    exitAtOnce(1);
  };
  const io: CliIO = {
    stdout: out.write,
    stderr,
    isTTY: tty,
    ...(tty ? { columns: process.stdout.columns, rows: process.stdout.rows } : {}),
    env: process.env,
    cwd: process.cwd(),
    interrupt$,
    interrupted: () => signal,
    liveFrame,
    tuneForTestsAtOnce: (testsAtOnce) =>
      void tuneGcForManyTests(testsAtOnce, { execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS }),
  };

  const handlers = [
    ['SIGINT', onSignal('SIGINT')],
    ['SIGTERM', onSignal('SIGTERM')],
    ['SIGHUP', onSignal('SIGHUP')],
    ['uncaughtException', onCrash],
    ['unhandledRejection', onCrash],
  ] as const;
  try {
    const command = parseArgs(argv);
    if (E.isLeft(command)) {
      const usage = command.left;
      stderr(`rocketship: ${usage.message}\n`);
      process.exitCode = 2;
      // A report file named on a wrong command line says so, rather than show an earlier run.
      if (usage.reports.length > 0) {
        const files = createReportFiles(usage.reports, { cwd: io.cwd, redactor, stdout: io.stdout });
        for (const problem of files.check()) stderr(`${problem}\n`);
        files.stop(new RunError([{ kind: 'usage', message: usage.message }], { started: false, at: Date.now() }));
        for (const problem of await files.write()) stderr(`${problem}\n`);
      }
      return;
    }
    const c = command.right;
    try {
      switch (c._tag) {
        case 'Help':
          io.stdout(c.text);
          process.exitCode = 0;
          return;
        case 'Version':
          io.stdout(`rocketship-rx ${VERSION}\n`);
          process.exitCode = 0;
          return;
        case 'Validate':
          process.exitCode = await runValidate(
            c.args.paths,
            { json: c.args.json, vars: c.args.vars, varFiles: c.args.varFiles, envFiles: c.args.envFiles, secrets: c.args.secrets },
            io,
            { cwd: io.cwd, env: io.env },
          );
          return;
        case 'Plan':
          process.exitCode = runPlan(c.args, io);
          return;
        case 'Worker': {
          // A worker has no cleanup of its own to wait for: the first signal hands its tests back.
          const onWorkerSignal = (name: StopSignal) => () => {
            if (signal !== undefined && Date.now() - signalledAt >= SAME_SIGNAL_MS) exitAtOnce(SIGNAL_EXIT[name]);
            signal ??= name;
            signalledAt = Date.now();
            interrupt$.next(name);
          };
          process.on('SIGINT', onWorkerSignal('SIGINT'));
          process.on('SIGTERM', onWorkerSignal('SIGTERM'));
          process.exitCode = await runWorkerCommand(c.args, io);
          return;
        }
        case 'Init':
          process.exitCode = runInit(c.args, io);
          return;
        case 'Schema':
          process.exitCode = runSchema(io);
          return;
        case 'Run': {
          const args = c.args;
          const reportsFor = (): ReportFiles => (reports = createReportFiles(args.reports, { cwd: io.cwd, redactor, stdout: io.stdout }));
          for (const [event, handler] of handlers) process.on(event, handler);
          // --watch: each run gets its own report files (a second signal writes the current run's).
          process.exitCode = args.watch
            ? await watchCommand(args, io, { redactor, reportsFor })
            : await runCommand(args, io, { redactor, reports: reportsFor() });
          return;
        }
      }
    } catch (error) {
      const debug = c._tag === 'Run' && c.args.debug;
      const message = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
      stderr(`rocketship: internal error: ${message}\n`);
      process.exitCode = 1;
      if (reports !== undefined) {
        reports.stop(
          new RunError([{ kind: 'internal', message: error instanceof Error ? error.message : String(error) }], {
            started: true,
            at: Date.now(),
          }),
        );
        for (const problem of await reports.write()) stderr(`${problem}\n`);
      }
    }
  } finally {
    out.flush();
    process.off('exit', out.flush);
    // The bin exits right after: a pipe only takes 64 KiB at once, the rest must drain first.
    await Promise.all([stdoutStream.drained(), stderrStream.drained()]);
  }
}

/** The values given with `--secret NAME=value` (or `--secret=NAME=value`); a malformed one whole. */
function secretArgValues(argv: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const given = arg === '--secret' ? argv[i + 1] : arg.startsWith('--secret=') ? arg.slice('--secret='.length) : undefined;
    if (given === undefined) continue;
    const eq = given.indexOf('=');
    values.push(given, given.slice(eq + 1));
  }
  return values;
}
