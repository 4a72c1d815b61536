import { ReplaySubject } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import { VERSION } from '../version.js';
import { parseArgs } from './parse-args.js';
import { runCommand } from './run-command.js';
import { runValidate } from './validate.js';
import type { CliIO } from './cli-io.js';
import { createRedactor } from '../run/redact.js';
import { bufferedOutput } from './buffered-output.js';

/** Signals of the same name closer together than this are one keypress delivered twice. */
const SAME_SIGNAL_MS = 300;

/**
 * The `rocketship` command. Parses argv, runs the command, and sets `process.exitCode`; the only
 * place that knows about `process`. Expected errors print a message, never a stack trace.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const interrupt$ = new ReplaySubject<string>(1);
  let signal: 'SIGINT' | 'SIGTERM' | undefined;
  let signalledAt = 0;
  // A terminal's live display is written as it changes; a pipe or a file gets batched writes
  // (one per step would cost more than the step). Whatever is batched goes out before anything
  // is written to stderr (so the two stay in order when they share a file) and before exiting.
  const tty = process.stdout.isTTY === true;
  const out = bufferedOutput({ write: (s) => void process.stdout.write(s), ...(tty ? { maxChars: 0 } : {}) });
  process.on('exit', out.flush);
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => () => {
    // One Ctrl-C under `npm run` arrives twice (from the terminal to the process group, and
    // forwarded by npm): a repeat within SAME_SIGNAL_MS is the same keypress.
    if (signal === name && Date.now() - signalledAt < SAME_SIGNAL_MS) return;
    if (signal !== undefined) {
      // A second signal: stop now, cleanup or not.
      out.flush();
      process.stderr.write(`\n${name} again: exiting at once\n`);
      process.exit(name === 'SIGINT' ? 130 : 143);
    }
    signal = name;
    signalledAt = Date.now();
    out.flush();
    process.stderr.write(`\n${name}: stopping; cleanup steps run and reports are written (${name === 'SIGINT' ? 'Ctrl-C' : name} again to exit at once)\n`);
    interrupt$.next(name);
  };
  // `--secret` values never reach stderr, not even in a usage error quoting a malformed one.
  const redactor = createRedactor({ secrets: secretArgValues(argv) });
  const io: CliIO = {
    stdout: out.write,
    stderr: (s) => {
      out.flush();
      process.stderr.write(redactor.redactText(s));
    },
    isTTY: tty,
    ...(tty ? { columns: process.stdout.columns, rows: process.stdout.rows } : {}),
    env: process.env,
    cwd: process.cwd(),
    interrupt$,
    interrupted: () => signal,
  };

  try {
    await dispatch(argv, io, onSignal);
  } finally {
    out.flush();
    process.off('exit', out.flush);
    // The bin exits right after: a pipe only takes 64 KiB at once, the rest must drain first.
    await drained(process.stdout);
  }
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function drained(stream: NodeJS.WritableStream & { readonly writableLength?: number }): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  // Write callbacks run in order: this one runs once every earlier write is done (or failed).
  return new Promise((resolve) => void stream.write('', () => resolve()));
}

/** Runs the command that `argv` names and sets `process.exitCode`. */
async function dispatch(argv: readonly string[], io: CliIO, onSignal: (name: 'SIGINT' | 'SIGTERM') => () => void): Promise<void> {
  const command = parseArgs(argv);
  if (E.isLeft(command)) {
    io.stderr(`rocketship: ${command.left.message}\n`);
    process.exitCode = 2;
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
        process.exitCode = runValidate(c.args.paths, { json: c.args.json }, io);
        return;
      case 'Run': {
        process.on('SIGINT', onSignal('SIGINT'));
        process.on('SIGTERM', onSignal('SIGTERM'));
        process.exitCode = await runCommand(c.args, io);
        return;
      }
    }
  } catch (error) {
    const debug = c._tag === 'Run' && c.args.debug;
    io.stderr(`rocketship: internal error: ${error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error)}\n`);
    process.exitCode = 1;
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
