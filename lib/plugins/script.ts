import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { defer, Observable, throwError } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { ScriptConfig } from '../dsl/index.js';
import { Duration } from '../dsl/codecs/duration.js';
import { renderString } from '../template/render-string.js';
import { resolveTemplatable } from './resolve.js';
import { StepConfigError, StepFailedError, type Plugin, type PluginContext, type PluginEvent } from './plugin.js';

/** Default time limit of a script step, in ms, when `timeout` is not given. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 60_000;

/**
 * `plugin: script`, with Rocketship's API.
 *
 * - `language: javascript`: runs in a `node:vm` context with `state` (saved variables), `vars`
 *   (the file's vars), `save(name, value)`, `assert(condition, message)` and `console.log`
 *   (lines become log events). `vm` is not a security sandbox: a suite file is code.
 * - `language: shell`: runs with bash, with the process environment plus `ROCKETSHIP_<NAME>`
 *   for each saved variable and `ROCKETSHIP_VAR_<NAME>` for each file var (upper-cased). Saves
 *   `exit_code`, `stdout` and `stderr`; a non-zero exit fails the step with the code and stderr.
 *
 * The script text (inline `script`, or `file` relative to the suite file) is rendered as a
 * template first, like every other string of a step. `timeout` bounds the run.
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
  return new Observable<PluginEvent>((subscriber) => {
    const saved: Record<string, Json> = {};
    const logs: string[] = [];
    const sandbox = createContext({
      state: structuredClone({ ...context.variables.saved }),
      vars: structuredClone({ ...context.variables.vars }),
      save: (name: unknown, value: unknown) => {
        saved[String(name)] = toJson(value);
      },
      assert: (condition: unknown, message?: unknown) => {
        if (!condition) throw new ScriptAssertion(message === undefined ? 'assertion failed' : String(message));
      },
      console: { log: (...args: unknown[]) => logs.push(args.map(String).join(' ')) },
    });
    try {
      runInContext(code, sandbox, { timeout: Math.max(1, Math.round(timeoutMs)), filename: 'script.js' });
    } catch (error) {
      for (const message of logs) subscriber.next({ _tag: 'Log', message });
      if (error instanceof ScriptAssertion) subscriber.error(new StepFailedError(`script assertion failed: ${error.message}`, { checks: [], attempts: 1, kind: 'assertion' }));
      else if (isTimeout(error)) subscriber.error(new StepFailedError(`script timed out after ${timeoutMs}ms`, { checks: [], attempts: 1, kind: 'timeout' }));
      else subscriber.error(new StepFailedError(`script error: ${describe(error)}`, { checks: [], attempts: 1, kind: 'script' }));
      return;
    }
    for (const message of logs) subscriber.next({ _tag: 'Log', message });
    subscriber.next({ _tag: 'Done', saved, subject: undefined, checks: [], attempts: 1 });
    subscriber.complete();
  });
}

function runShell(script: string, context: PluginContext, timeoutMs: number): Observable<PluginEvent> {
  return new Observable<PluginEvent>((subscriber) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(context.variables.env)) if (v !== undefined) env[k] = v;
    for (const [k, v] of Object.entries(context.variables.vars)) env[`ROCKETSHIP_VAR_${envName(k)}`] = asText(v);
    for (const [k, v] of Object.entries(context.variables.saved)) env[`ROCKETSHIP_${envName(k)}`] = asText(v);
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      subscriber.error(new StepFailedError(`shell script could not start: ${error.message}`, { checks: [], attempts: 1, kind: 'script' }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8').replace(/\n$/, '');
      const stderr = Buffer.concat(err).toString('utf8').replace(/\n$/, '');
      if (timedOut) {
        subscriber.error(new StepFailedError(`shell script timed out after ${timeoutMs}ms`, { checks: [], attempts: 1, kind: 'timeout' }));
        return;
      }
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
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
  });
}

class ScriptAssertion extends Error {
  override readonly name = 'ScriptAssertion';
}

function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const name = (error as { name?: unknown }).name;
    return `${typeof name === 'string' ? `${name}: ` : ''}${String((error as { message: unknown }).message)}`;
  }
  return String(error);
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function asText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function toJson(value: unknown): Json {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  try {
    return JSON.parse(JSON.stringify(value)) as Json;
  } catch {
    return String(value);
  }
}
