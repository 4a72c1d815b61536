import { Worker } from 'node:worker_threads';
import { Observable } from 'rxjs';
import type { Json } from '../json.js';

/** What a `language: javascript` script is run with. */
export interface ScriptJob {
  /** The script, already rendered as a template. */
  readonly code: string;
  /** Saved variables, visible to the script as `state` (a copy). */
  readonly state: Readonly<Record<string, Json>>;
  /** The file's vars, visible as `vars` (a copy). */
  readonly vars: Readonly<Record<string, Json>>;
  /** Time limit in ms, for the script and the promise callbacks it queues. */
  readonly timeoutMs: number;
}

/** How a script ended. `logs` are its `console.log` lines, in order, whatever the ending. */
export type ScriptOutcome =
  | { readonly _tag: 'Completed'; readonly saved: Readonly<Record<string, Json>>; readonly logs: readonly string[] }
  | { readonly _tag: 'AssertionFailed'; readonly message: string; readonly logs: readonly string[] }
  | { readonly _tag: 'TimedOut'; readonly logs: readonly string[] }
  /** It threw: `description` is `Name: message`. */
  | { readonly _tag: 'Threw'; readonly description: string; readonly logs: readonly string[] }
  /** The worker itself failed (out of memory, crashed). */
  | { readonly _tag: 'WorkerFailed'; readonly description: string; readonly logs: readonly string[] };

/**
 * Runs a JavaScript script step in a `node:vm` context on a worker thread, as a cold Observable
 * of one {@link ScriptOutcome}.
 *
 * Why a worker: a script runs synchronously, and on the main thread a busy loop would block the
 * whole runner (timers, other tests, and Ctrl-C, which could not even be noticed) until its
 * timeout. On a worker the runner stays live: unsubscribing (an interrupt, a run cut short)
 * terminates the worker at once, busy loop or not.
 *
 * The context has `state`, `vars`, `save(name, value)`, `assert(condition, message)` and
 * `console.log`. Promise callbacks the script queues run before it counts as finished, within the
 * same `timeoutMs` (an endless chain of them times out instead of hanging). `vm` is not a security
 * sandbox: a suite file is code, like any test file.
 *
 * Workers are pooled (a few idle ones are kept, unreferenced so they never hold the process open),
 * so a script costs about a millisecond, not a thread start (~20ms). A worker whose script was cut
 * off is terminated, never reused.
 *
 * runScriptInWorker({ code: 'save("n", vars.n + 1); console.log("hi")', state: {}, vars: { n: 1 }, timeoutMs: 1000 })
 *   .subscribe(console.log);   // { _tag: 'Completed', saved: { n: 2 }, logs: ['hi'] }
 */
export function runScriptInWorker(job: ScriptJob): Observable<ScriptOutcome> {
  return new Observable<ScriptOutcome>((subscriber) => {
    const worker = idle.pop() ?? spawnWorker();
    worker.ref();
    let settled = false;
    const finish = (outcome: ScriptOutcome, reusable: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reusable && idle.length < MAX_IDLE) {
        worker.unref();
        idle.push(worker);
      } else {
        void worker.terminate();
      }
      subscriber.next(outcome);
      subscriber.complete();
    };
    const onMessage = (outcome: ScriptOutcome) => finish(outcome, true);
    const onError = (error: Error) => finish({ _tag: 'WorkerFailed', description: `${error.name}: ${error.message}`, logs: [] }, false);
    const onExit = (code: number) => finish({ _tag: 'WorkerFailed', description: `the script's worker exited with code ${code}`, logs: [] }, false);
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    // The vm timeout stops the script inside the worker; this guards against anything it misses.
    const guard = setTimeout(() => finish({ _tag: 'TimedOut', logs: [] }, false), Math.min(job.timeoutMs + GUARD_MS, MAX_TIMER_MS));
    worker.postMessage(job);
    return () => {
      if (settled) return;
      clearTimeout(guard);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      void worker.terminate();
    };
  });
}

/** A new worker; it leaves the idle pool when it exits, and its errors go to the job it runs. */
function spawnWorker(): Worker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  // Without a listener an 'error' would be thrown in the runner; the job's own listener reports it.
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
  });
  return worker;
}

/** Idle workers kept for the next script. */
const MAX_IDLE = 4;
const idle: Worker[] = [];
/** How long after `timeoutMs` a worker that has not answered is terminated. */
const GUARD_MS = 1000;
/** Node's longest timer delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The worker's code (CommonJS, run with `eval: true`, so no file has to be found next to this one
 * in `dist/` or under tsx). One job per message; every job gets a fresh context.
 */
const WORKER_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const vm = require('node:vm');

class ScriptAssertion extends Error {}

function toJson(value) {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return String(value);
  }
}

function describe(error) {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const name = error.name;
    return (typeof name === 'string' ? name + ': ' : '') + String(error.message);
  }
  return String(error);
}

parentPort.on('message', (job) => {
  const saved = {};
  const logs = [];
  const context = vm.createContext(
    {
      state: job.state,
      vars: job.vars,
      save: (name, value) => { saved[String(name)] = toJson(value); },
      assert: (condition, message) => {
        if (!condition) throw new ScriptAssertion(message === undefined ? 'assertion failed' : String(message));
      },
      console: { log: (...args) => { logs.push(args.map(String).join(' ')); } },
    },
    { microtaskMode: 'afterEvaluate' },
  );
  let outcome;
  try {
    vm.runInContext(job.code, context, { timeout: Math.max(1, Math.round(job.timeoutMs)), filename: 'script.js' });
    outcome = { _tag: 'Completed', saved, logs };
  } catch (error) {
    if (error instanceof ScriptAssertion) outcome = { _tag: 'AssertionFailed', message: error.message, logs };
    else if (error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') outcome = { _tag: 'TimedOut', logs };
    else outcome = { _tag: 'Threw', description: describe(error), logs };
  }
  parentPort.postMessage(outcome);
});
`;
