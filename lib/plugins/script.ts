import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { concat, concatMap, defer, from, Observable, of, throwError } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import { ScriptConfig } from '../dsl/index.js';
import { Duration } from '../dsl/codecs/duration.js';
import { renderString } from '../template/render-string.js';
import { resolveTemplatable } from '../template/resolve-templatable.js';
import { javascriptValueWriter } from './javascript-literal.js';
import { markThrows } from './mark-throws.js';
import { sourceColumn, suitePlaceOfScript } from './script-location.js';
import { scriptInput, valueText } from './script-values.js';
import { runScriptInWorker, type ScriptOutcome } from './script-worker.js';
import { shellFailure } from './shell-output.js';
import { envName, shellValueWriter } from './shell-literal.js';
import { definePlugin, type PluginContext, type PluginEvent } from '../step/plugin.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';
import type { ScriptPlace, StepFailure } from '../step/step-failure.js';

/** Default time limit of a script step, in ms, when `timeout` is not given. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 60_000;

/**
 * `plugin: script`, with Rocketship's API.
 *
 * - `language: javascript`: runs in a `node:vm` context with `state` (saved variables), `vars`
 *   (the file's vars), `save(name, value)`, `assert(condition, message)` and `console.log`
 *   (lines become log events), on a worker thread (see `runScriptInWorker`), so that a busy
 *   loop never blocks the runner. The context holds nothing of the runner: no path leads from
 *   the script to `process`, `require` or the file system.
 * - `language: shell`: runs with bash, with the process environment plus `ROCKETSHIP_<NAME>`
 *   for each saved variable and `ROCKETSHIP_VAR_<NAME>` for each file var (upper-cased; lists
 *   and maps as JSON text). Saves `exit_code`, `stdout` and `stderr`; a non-zero exit fails the
 *   step with the code and the last lines of stdout and stderr (a stream longer than that is
 *   also logged in full, up to its last 64 KiB). bash runs in its own process group: a timeout
 *   or an interrupt kills the whole group (what the script started included), and so does the
 *   runner exiting mid-step. What a script that ended normally left running in the background
 *   is left alone.
 *
 * The script text (inline `script`, or `file` relative to the suite file) is rendered as a
 * template first, and each value is written as a literal of the script's language (see
 * `shellValueWriter`, `javascriptValueWriter`): a value from a server is data, never code.
 * `"$ROCKETSHIP_X"` (shell) and `state.x` (JavaScript) remain the plainest safe forms.
 *
 * A script that fails names where, line and column: `file.js:3:5` for a `file`, the suite file's
 * line and column for an inline script (`rocketship.yaml:18:15, line 3, column 5 of the
 * script`). A value nested more than 1,000 levels deep cannot be given to a script: the step
 * fails, naming the variable. `timeout` bounds the run; an interrupt (unsubscribing) stops it at
 * once.
 */
export const scriptPlugin = definePlugin<ScriptConfig>({
  name: 'script',
  config: ScriptConfig,
  run: (config, context) =>
    defer(() => {
      const timeout =
        config.timeout === undefined
          ? E.right(DEFAULT_SCRIPT_TIMEOUT_MS)
          : resolveTemplatable(config.timeout, Duration, context.variables, 'config.timeout');
      if (E.isLeft(timeout)) return throwError(() => new StepConfigError(timeout.left));
      const text = scriptText(config, context);
      if (E.isLeft(text)) return throwError(() => new StepConfigError(text.left));
      return config.language === 'javascript'
        ? runJavaScript(text.right, config, context, timeout.right)
        : runShell(text.right, context, timeout.right);
    }),
});

function scriptText(config: ScriptConfig, context: PluginContext): E.Either<string, string> {
  let source: string;
  if ('file' in config) {
    const path = resolve(context.suiteDir, config.file);
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'script file not found' : `script file cannot be read (${code ?? String(error)})`;
      return E.left(`${why}: ${path} (config.file "${config.file}" of the step at ${stepAt(context)})`);
    }
  } else {
    source = config.script;
  }
  const writer = config.language === 'javascript' ? javascriptValueWriter() : shellValueWriter();
  return E.mapLeft((e: { message: string }) => `script: ${e.message}`)(renderString(source, context.variables, writer));
}

function stepAt(context: PluginContext): string {
  return context.ref.line === undefined ? context.ref.file : `${context.ref.file}:${context.ref.line}`;
}

/**
 * Where line `line`, column `column` of the script as it ran (`rendered`) is, as data: in the
 * script file, or in the suite file for an inline script (see `formatScriptPlace` for the words).
 * The column is moved back to the script as written when templates on its line were rendered.
 */
function scriptPlace(
  config: ScriptConfig,
  context: PluginContext,
  rendered: string,
  line: number | undefined,
  column: number | undefined,
): ScriptPlace {
  const source = 'file' in config ? scriptFileText(resolve(context.suiteDir, config.file)) : config.script;
  const col =
    line === undefined || column === undefined ? undefined : source === undefined ? column : sourceColumn(source, rendered, line, column);
  const at = { ...(line === undefined ? {} : { line }), ...(col === undefined ? {} : { column: col }) };
  if ('file' in config) return { _tag: 'ScriptFile', file: resolve(context.suiteDir, config.file), ...at };
  const inSuite = line === undefined ? undefined : suitePlaceOfScript(context.ref.file, context.ref.line, line, col);
  return {
    _tag: 'InlineScript',
    suiteFile: context.ref.file,
    ...(context.ref.line === undefined ? {} : { stepLine: context.ref.line }),
    ...at,
    ...(inSuite === undefined ? {} : { suiteLine: inSuite.line }),
    ...(inSuite?.column === undefined ? {} : { suiteColumn: inSuite.column }),
  };
}

/** A script file's text again, to place a column in it; undefined when it cannot be read now. */
function scriptFileText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function runJavaScript(code: string, config: ScriptConfig, context: PluginContext, timeoutMs: number): Observable<PluginEvent> {
  const input = scriptInput(context.variables.saved, context.variables.vars);
  if (E.isLeft(input))
    return throwError(
      () => new StepFailedError({ _tag: 'ScriptNotRun', language: 'javascript', stage: 'not-run', reason: input.left }, { attempts: 1 }),
    );
  return runScriptInWorker({ code, marked: markThrows(code), input: input.right, timeoutMs }).pipe(
    concatMap((outcome: ScriptOutcome): Observable<PluginEvent> => {
      const logs = from(outcome.logs.map((message): PluginEvent => ({ _tag: 'Log', message })));
      const fail = (failure: StepFailure) =>
        concat(
          logs,
          throwError(() => new StepFailedError(failure, { attempts: 1 })),
        );
      switch (outcome._tag) {
        case 'Completed':
          return concat(logs, of<PluginEvent>({ _tag: 'Done', saved: outcome.saved, subject: undefined, checks: [], attempts: 1 }));
        case 'AssertionFailed':
          return fail({
            _tag: 'ScriptAssertion',
            message: outcome.message,
            at: scriptPlace(config, context, code, outcome.line, outcome.column),
          });
        case 'TimedOut':
          return fail({ _tag: 'ScriptTimedOut', language: 'javascript', timeoutMs });
        case 'Threw':
          return fail({
            _tag: 'ScriptError',
            description: outcome.description,
            inPromise: outcome.inPromise,
            at: scriptPlace(config, context, code, outcome.line, outcome.column),
          });
        case 'WorkerFailed':
          return fail({ _tag: 'ScriptNotRun', language: 'javascript', stage: 'no-start', reason: outcome.description });
      }
    }),
  );
}

/** The most bytes one environment variable (`NAME=value`) can hold on Linux (MAX_ARG_STRLEN, with its NUL). */
const MAX_ENV_ENTRY_BYTES = 128 * 1024 - 1;

/** The environment of a shell script, or why it cannot be made. */
function shellEnv(context: PluginContext): E.Either<string, Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(context.variables.env)) if (v !== undefined) env[k] = v;
  const add = (name: string, what: string, value: Parameters<typeof valueText>[0]): string | undefined => {
    const text = valueText(value, what);
    if (E.isLeft(text)) return text.left;
    if (text.right.includes('\0')) return `${what} holds a NUL character, which an environment variable (${name}) cannot hold`;
    const bytes = Buffer.byteLength(name) + 1 + Buffer.byteLength(text.right);
    if (bytes > MAX_ENV_ENTRY_BYTES)
      return `${what} is ${formatBytes(bytes)} as text, more than the 128 KiB one environment variable (${name}) can hold`;
    env[name] = text.right;
    return undefined;
  };
  for (const [k, v] of Object.entries(context.variables.vars)) {
    const problem = add(`ROCKETSHIP_VAR_${envName(k)}`, `the var "${k}"`, v);
    if (problem !== undefined) return E.left(problem);
  }
  for (const [k, v] of Object.entries(context.variables.saved)) {
    const problem = add(`ROCKETSHIP_${envName(k)}`, `the saved variable "${k}"`, v);
    if (problem !== undefined) return E.left(problem);
  }
  return E.right(env);
}

function runShell(script: string, context: PluginContext, timeoutMs: number): Observable<PluginEvent> {
  return new Observable<PluginEvent>((subscriber) => {
    const env = shellEnv(context);
    if (E.isLeft(env)) {
      subscriber.error(
        new StepFailedError({ _tag: 'ScriptNotRun', language: 'shell', stage: 'not-run', reason: env.left }, { attempts: 1 }),
      );
      return undefined;
    }
    if (Buffer.byteLength(script) > MAX_ENV_ENTRY_BYTES) {
      const reason = `it is ${formatBytes(Buffer.byteLength(script))} after rendering, more than the 128 KiB bash -c can take; put the data in a saved variable and read "$ROCKETSHIP_<NAME>"`;
      subscriber.error(new StepFailedError({ _tag: 'ScriptNotRun', language: 'shell', stage: 'not-run', reason }, { attempts: 1 }));
      return undefined;
    }
    // Its own process group, so that a timeout or an interrupt kills what the script started too
    // (`sleep 30 & wait`), not only bash: a grandchild would outlive the run and, holding the
    // output pipes, keep the step from ending until it exits.
    const child = spawn('bash', ['-c', script], { env: env.right, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let done = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    track(child);
    const timer = setTimeout(
      () => {
        done = true;
        killGroup(child);
        subscriber.error(new StepFailedError({ _tag: 'ScriptTimedOut', language: 'shell', timeoutMs }, { attempts: 1 }));
      },
      Math.min(timeoutMs, MAX_TIMER_MS),
    );
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      if (done) return;
      done = true;
      const why =
        (error as NodeJS.ErrnoException).code === 'E2BIG'
          ? 'the script and its environment are larger than the system allows (E2BIG)'
          : error.message;
      subscriber.error(new StepFailedError({ _tag: 'ScriptNotRun', language: 'shell', stage: 'no-start', reason: why }, { attempts: 1 }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (done) return;
      done = true;
      const stdout = Buffer.concat(out).toString('utf8').replace(/\n$/, '');
      const stderr = Buffer.concat(err).toString('utf8').replace(/\n$/, '');
      const exitCode = code ?? (signal === null ? 1 : 128);
      if (exitCode !== 0) {
        const failure = shellFailure(stdout, stderr);
        for (const message of failure.logs) subscriber.next({ _tag: 'Log', message });
        const cause: StepFailure = {
          _tag: 'ExitCode',
          exitCode,
          signal: signal ?? undefined,
          lastError: failure.lastError,
          output: failure.output,
        };
        subscriber.error(new StepFailedError(cause, { attempts: 1 }));
        return;
      }
      subscriber.next({ _tag: 'Done', saved: { exit_code: exitCode, stdout, stderr }, subject: undefined, checks: [], attempts: 1 });
      subscriber.complete();
    });
    return () => {
      clearTimeout(timer);
      // Cut off (timeout, interrupt): kill the group. A script that ended keeps what it started in the background.
      if (!done || running.has(child)) killGroup(child);
    };
  });
}

/** Shell scripts still running (their bash has not closed), killed if the runner exits first. */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  // A second Ctrl-C exits the runner at once, mid-step: the scripts it started must not outlive it.
  if (running.size === 0 && !exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => running.forEach(killGroup));
  }
  running.add(child);
}
let exitHookInstalled = false;

/** SIGKILLs a script's process group: bash and everything it started that did not leave the group. */
function killGroup(child: ChildProcess): void {
  running.delete(child);
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** Node's longest timer delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
