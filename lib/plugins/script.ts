import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { concat, concatMap, defer, from, Observable, of, throwError } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { ScriptConfig } from '../dsl/index.js';
import { Duration } from '../dsl/codecs/duration.js';
import { renderString } from '../template/render-string.js';
import { resolveTemplatable } from './resolve.js';
import { runScriptInWorker } from './script-worker.js';
import { StepConfigError, StepFailedError, type Plugin, type PluginContext, type PluginEvent } from './plugin.js';

/** Default time limit of a script step, in ms, when `timeout` is not given. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 60_000;

/**
 * `plugin: script`, with Rocketship's API.
 *
 * - `language: javascript`: runs in a `node:vm` context with `state` (saved variables), `vars`
 *   (the file's vars), `save(name, value)`, `assert(condition, message)` and `console.log`
 *   (lines become log events), on a worker thread (see `runScriptInWorker`), so that a busy
 *   loop never blocks the runner. `vm` is not a security sandbox: a suite file is code.
 * - `language: shell`: runs with bash, with the process environment plus `ROCKETSHIP_<NAME>`
 *   for each saved variable and `ROCKETSHIP_VAR_<NAME>` for each file var (upper-cased). Saves
 *   `exit_code`, `stdout` and `stderr`; a non-zero exit fails the step with the code and stderr.
 *   bash runs in its own process group: a timeout or an interrupt kills the whole group (what
 *   the script started included), and so does the runner exiting mid-step. What a script that
 *   ended normally left running in the background is left alone.
 *
 * The script text (inline `script`, or `file` relative to the suite file) is rendered as a
 * template first, like every other string of a step. `timeout` bounds the run; an interrupt
 * (unsubscribing) stops it at once.
 */
export const scriptPlugin: Plugin<ScriptConfig> = (config, context) =>
  defer(() => {
    const timeout = config.timeout === undefined ? E.right(DEFAULT_SCRIPT_TIMEOUT_MS) : resolveTemplatable(config.timeout, Duration, context.variables, 'config.timeout');
    if (E.isLeft(timeout)) return throwError(() => new StepConfigError(timeout.left));
    const text = scriptText(config, context);
    if (E.isLeft(text)) return throwError(() => new StepConfigError(text.left));
    return config.language === 'javascript' ? runJavaScript(text.right, context, timeout.right) : runShell(text.right, context, timeout.right);
  });

function scriptText(config: ScriptConfig, context: PluginContext): E.Either<string, string> {
  let source: string;
  if ('file' in config) {
    const path = resolve(context.suiteDir, config.file);
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const where = context.ref.line === undefined ? context.ref.file : `${context.ref.file}:${context.ref.line}`;
      const why = code === 'ENOENT' ? 'script file not found' : `script file cannot be read (${code ?? String(error)})`;
      return E.left(`${why}: ${path} (config.file "${config.file}" of the step at ${where})`);
    }
  } else {
    source = config.script;
  }
  return E.mapLeft((e: { message: string }) => `script: ${e.message}`)(renderString(source, context.variables));
}

function runJavaScript(code: string, context: PluginContext, timeoutMs: number): Observable<PluginEvent> {
  const job = { code, state: { ...context.variables.saved }, vars: { ...context.variables.vars }, timeoutMs };
  return runScriptInWorker(job).pipe(
    concatMap((outcome): Observable<PluginEvent> => {
      const logs = from(outcome.logs.map((message): PluginEvent => ({ _tag: 'Log', message })));
      const fail = (message: string, kind: string) => concat(logs, throwError(() => new StepFailedError(message, { checks: [], attempts: 1, kind })));
      switch (outcome._tag) {
        case 'Completed':
          return concat(logs, of<PluginEvent>({ _tag: 'Done', saved: outcome.saved, subject: undefined, checks: [], attempts: 1 }));
        case 'AssertionFailed':
          return fail(`script assertion failed: ${outcome.message}`, 'assertion');
        case 'TimedOut':
          return fail(`script timed out after ${timeoutMs}ms`, 'timeout');
        case 'Threw':
          return fail(`script error: ${outcome.description}`, 'script');
        case 'WorkerFailed':
          return fail(`script could not run: ${outcome.description}`, 'script');
      }
    }),
  );
}

function runShell(script: string, context: PluginContext, timeoutMs: number): Observable<PluginEvent> {
  return new Observable<PluginEvent>((subscriber) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(context.variables.env)) if (v !== undefined) env[k] = v;
    for (const [k, v] of Object.entries(context.variables.vars)) env[`ROCKETSHIP_VAR_${envName(k)}`] = asText(v);
    for (const [k, v] of Object.entries(context.variables.saved)) env[`ROCKETSHIP_${envName(k)}`] = asText(v);
    // Its own process group, so that a timeout or an interrupt kills what the script started too
    // (`sleep 30 & wait`), not only bash: a grandchild would outlive the run and, holding the
    // output pipes, keep the step from ending until it exits.
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let done = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    track(child);
    const timer = setTimeout(() => {
      done = true;
      killGroup(child);
      subscriber.error(new StepFailedError(`shell script timed out after ${timeoutMs}ms`, { checks: [], attempts: 1, kind: 'timeout' }));
    }, Math.min(timeoutMs, MAX_TIMER_MS));
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      if (done) return;
      done = true;
      subscriber.error(new StepFailedError(`shell script could not start: ${error.message}`, { checks: [], attempts: 1, kind: 'script' }));
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
        const detail = stderr.trim() === '' ? '' : `: ${stderr.trim()}`;
        subscriber.error(new StepFailedError(`shell script exited with code ${exitCode}${signal ? ` (${signal})` : ''}${detail}`, { checks: [], attempts: 1, kind: 'exit_code' }));
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

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function asText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

