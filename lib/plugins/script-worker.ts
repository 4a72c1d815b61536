import { Worker } from 'node:worker_threads';
import { Observable } from 'rxjs';
import type { Json } from '../json.js';
import { codeColumn, THROW_MARK } from './mark-throws.js';
import { MAX_SCRIPT_VALUE_DEPTH } from './script-values.js';

/** What a `language: javascript` script is run with. */
export interface ScriptJob {
  /** The script, already rendered as a template. */
  readonly code: string;
  /**
   * The same script with its `throw` statements marked (see `markThrows`), run instead of `code`
   * when it compiles, so that a thrown value that is not an Error still gets its line.
   */
  readonly marked?: string;
  /**
   * JSON text of `{ "state": {...}, "vars": {...} }`: the saved variables and the file's vars,
   * parsed inside the script's context (see `scriptInput`), so that the script gets data of its
   * own and no object of the runner.
   */
  readonly input: string;
  /** Time limit in ms, for the script, the promise callbacks it queues, and describing how it ended. */
  readonly timeoutMs: number;
}

/**
 * How a script ended. `logs` are its `console.log` lines, in order, whatever the ending. `line`
 * and `column` are where in the script (`code`) it failed, 1-based, when known (the column of
 * the failing expression: the call of `assert` or `save`, the `throw` keyword, the token a
 * syntax error is at).
 */
export type ScriptOutcome =
  | { readonly _tag: 'Completed'; readonly saved: Readonly<Record<string, Json>>; readonly logs: readonly string[] }
  | {
      readonly _tag: 'AssertionFailed';
      readonly message: string;
      readonly line: number | undefined;
      readonly column: number | undefined;
      readonly logs: readonly string[];
    }
  | { readonly _tag: 'TimedOut'; readonly logs: readonly string[] }
  /**
   * It threw (or rejected a promise that nothing handled: `inPromise`), or `save()` refused a
   * value. `description` is `Name: message` for an error, the message alone for a refused save,
   * and says what was thrown otherwise.
   */
  | {
      readonly _tag: 'Threw';
      readonly description: string;
      readonly line: number | undefined;
      readonly column: number | undefined;
      readonly inPromise: boolean;
      readonly logs: readonly string[];
    }
  /** The worker itself failed (out of memory, crashed). */
  | { readonly _tag: 'WorkerFailed'; readonly description: string; readonly logs: readonly string[] };

/** The file name scripts run as, in their stack traces and in `line`. */
export const SCRIPT_FILENAME = 'script.js';

/**
 * Runs a JavaScript script step in a `node:vm` context on a worker thread, as a cold Observable
 * of one {@link ScriptOutcome}.
 *
 * Why a worker: a script runs synchronously, and on the main thread a busy loop would block the
 * whole runner (timers, other tests, and Ctrl-C, which could not even be noticed) until its
 * timeout. On a worker the runner stays live: unsubscribing (an interrupt, a run cut short)
 * terminates the worker at once, busy loop or not.
 *
 * The context holds nothing of the runner, so no path leads from the script to `process`,
 * `require` or the file system (`this.constructor.constructor('return process')()` finds only
 * the context's own `Function`):
 * - its global object has no prototype of the runner's (a contextified object would lend its
 *   `Object` to `this.constructor`);
 * - `state`, `vars`, `save`, `assert` and `console.log` are made inside the context by a prelude,
 *   `state` and `vars` from JSON text;
 * - results come out as text (JSON of the saved values, the log lines), and how a script failed
 *   is described inside the context too, within the time limit (a thrown object's getters or
 *   `toString` are the script's code);
 * - `import()` is refused with an error made in the context (Node's own refusal is an error of
 *   the runner's realm, whose constructor leads to `process`);
 * - `FinalizationRegistry` is removed (its callbacks would run after the script, outside the
 *   time limit, on a worker that has moved on to another step's script).
 *
 * `save(name, value)` stores JSON: a cyclic value, a value nested more than
 * {@link MAX_SCRIPT_VALUE_DEPTH} levels, a function or a symbol makes `save` throw at that line.
 * Promise callbacks the script queues run before it counts as finished, within the same
 * `timeoutMs` (an endless chain of them times out instead of hanging); a promise rejected and
 * never handled (an `assert` failing in an async function) fails the script, not a later one.
 * At most 10,000 `console.log` lines (1 MB) are kept; a last line says how many more were left out.
 *
 * The line of a failure comes from the error's stack, and, for a thrown value that is not an
 * Error (which has no stack), from the last `throw` statement that ran (see `markThrows`). (An
 * inspector session on the worker could tell too, but a same-thread session that pauses on
 * exceptions aborts the process when one is thrown where V8 cannot call into JavaScript, such
 * as a stack overflow while compiling: a script could then kill the runner.)
 *
 * Workers are pooled (a few idle ones are kept, unreferenced so they never hold the process open),
 * so a script costs about a millisecond, not a thread start (~20ms). A worker whose script was cut
 * off is terminated, never reused.
 *
 * runScriptInWorker({ code: 'save("n", vars.n + 1); console.log("hi")', input: '{"state":{},"vars":{"n":1}}', timeoutMs: 1000 })
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
    const onMessage = (message: WorkerMessage) => {
      const { shifted, ...outcome } = message;
      // A column read from a stack of the marked script is moved back to the script's own.
      const placed =
        shifted === true &&
        (outcome._tag === 'Threw' || outcome._tag === 'AssertionFailed') &&
        outcome.line !== undefined &&
        outcome.column !== undefined
          ? { ...outcome, column: codeColumn(job.code, outcome.line, outcome.column) }
          : outcome;
      finish(placed, outcome._tag !== 'TimedOut');
    };
    const onError = (error: Error) => finish({ _tag: 'WorkerFailed', description: `${error.name}: ${error.message}`, logs: [] }, false);
    const onExit = (code: number) =>
      finish({ _tag: 'WorkerFailed', description: `the script's worker exited with code ${code}`, logs: [] }, false);
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

/** What the worker posts: an outcome, `shifted` when its column is one of the marked script (see `markThrows`). */
type WorkerMessage = ScriptOutcome & { readonly shifted?: boolean };

/** A new worker; it leaves the idle pool when it exits, and its errors go to the job it runs. */
function spawnWorker(): Worker {
  // --experimental-vm-modules lets the worker answer a script's `import()` with an error made in
  // the script's own context; without it Node rejects with an error of the worker's realm.
  const worker = new Worker(workerSource(), { eval: true, execArgv: ['--experimental-vm-modules'], env: {} });
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
 * Runs in the script's context before the script (a plain script, no function of the runner in
 * scope): reads the input, defines `state`, `vars`, `save`, `assert` and `console`, and the
 * hidden `__rocketship__` object the worker calls to read results out as text. It keeps its own
 * copies of the built-ins it uses, so that a script replacing `JSON` or `Array.prototype.push`
 * does not change how results are read.
 *
 * This text and the worker's are functions, made when a worker starts, not at load: a run with
 * no script step never evaluates them, and V8's code cache of the CLI does not carry them (a
 * tagged template keeps its raw text and its cooked one, with `\u2026` resolved: two bytes a
 * character).
 */
function prelude(): string {
  return String.raw`
'use strict';
(() => {
  const g = globalThis;
  const input = g.__rocketship_input__;
  delete g.__rocketship_input__;
  const MAX_DEPTH = ${MAX_SCRIPT_VALUE_DEPTH};
  const MAX_LOG_LINES = 10000;
  const MAX_LOG_CHARS = 1000000;
  const { parse, stringify } = JSON;
  const { defineProperty, freeze, create, getPrototypeOf } = Object;
  const toStringTag = Object.prototype.toString;
  const apply = Reflect.apply;
  const StringOf = String;
  const ErrorClass = Error;
  const isArray = Array.isArray;
  const isFinite = Number.isFinite;
  const join = Array.prototype.join;
  const map = Array.prototype.map;
  const indexOf = String.prototype.indexOf;
  const slice = String.prototype.slice;
  const exec = RegExp.prototype.exec;
  const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  class AssertionError extends ErrorClass {}
  defineProperty(AssertionError.prototype, 'name', { value: 'AssertionError' });
  class SaveError extends ErrorClass {}
  defineProperty(SaveError.prototype, 'name', { value: 'SaveError' });

  const data = parse(input);
  const saved = create(null);
  const savedNames = [];
  const logs = [];
  let logChars = 0;
  let logsLeftOut = 0;
  // Where the last throw statement that ran is, { line, column } (the script's throws are marked: see markThrows).
  let thrownAt = null;

  function pathOf(name, keys, holders, key) {
    let path = name;
    const all = [...keys, key];
    for (let i = 1; i < all.length; i += 1) {
      const k = all[i];
      path += isArray(holders[i - 1]) ? '[' + k + ']' : apply(exec, identifier, [k]) ? '.' + k : '[' + stringify(k) + ']';
    }
    return path;
  }

  // JSON text of a value save() was given: as JSON.stringify writes it (toJSON honoured), but a
  // cycle or a nesting deeper than MAX_DEPTH is an error naming where, not "[object Object]".
  function toJsonText(name, value) {
    if (value === undefined) return 'null';
    if (typeof value === 'number' && !isFinite(value)) return stringify(StringOf(value));
    if (typeof value === 'bigint') return stringify(StringOf(value));
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw new SaveError('save(' + stringify(name) + '): a ' + typeof value + ' cannot be saved; save data: strings, numbers, booleans, null, lists and maps');
    }
    const holders = [];
    const keys = [];
    const replacer = function (key, v) {
      while (holders.length > 0 && holders[holders.length - 1] !== this) {
        holders.pop();
        keys.pop();
      }
      if (typeof v === 'bigint') return StringOf(v);
      if (v !== null && typeof v === 'object') {
        for (let i = 0; i < holders.length; i += 1) {
          if (holders[i] === v) {
            throw new SaveError('save(' + stringify(name) + '): the value refers to itself (' + pathOf(name, keys, holders, key) + ' is ' + pathOf(name, keys.slice(0, i), holders, keys[i]) + '), so it cannot be saved as JSON');
          }
        }
        if (holders.length >= MAX_DEPTH) {
          throw new SaveError('save(' + stringify(name) + '): the value nests lists and maps more than ' + MAX_DEPTH + ' levels deep, too deep to save');
        }
        holders.push(v);
        keys.push(key);
      }
      return v;
    };
    const text = stringify(value, replacer);
    return text === undefined ? 'null' : text;
  }

  function save(name, value) {
    const key = StringOf(name);
    const text = toJsonText(key, value);
    if (!(key in saved)) savedNames[savedNames.length] = key;
    saved[key] = text;
  }

  function assert(condition, message) {
    if (!condition) throw new AssertionError(message === undefined ? 'assertion failed' : StringOf(message));
  }

  const console = freeze({
    log(...args) {
      const line = apply(join, apply(map, args, [(a) => StringOf(a)]), [' ']);
      if (logs.length >= MAX_LOG_LINES || logChars + line.length > MAX_LOG_CHARS) {
        logsLeftOut += 1;
        return;
      }
      logs[logs.length] = line;
      logChars += line.length;
    },
  });

  // The first place in the script in a stack trace, after the message: { line, column }.
  function placeOf(stack) {
    if (typeof stack !== 'string') return null;
    const frames = apply(indexOf, stack, ['\n    at ']);
    const m = apply(exec, /\bscript\.js:(\d+):(\d+)/, [frames < 0 ? '' : apply(slice, stack, [frames])]);
    return m ? { line: Number(m[1]), column: Number(m[2]), fromStack: true } : null;
  }

  // What describe() says of where: a place from a stack (its column one of the marked script), or from a throw mark.
  function where(place) {
    if (place === null) return { line: null, column: null, fromStack: false };
    return place;
  }

  function cut(text) {
    return text.length > 1000 ? apply(slice, text, [0, 1000]) + '\u2026' : text;
  }

  // What was thrown, as text: every step may run the script's own code (getters, toString,
  // proxies) and so may throw; each is tried in turn.
  function isA(value, Class) {
    try {
      return value instanceof Class;
    } catch (e) {
      return false;
    }
  }

  function describe(thrown) {
    if (isA(thrown, AssertionError)) return { assertion: true, message: StringOf(thrown.message), at: where(placeOf(thrown.stack)) };
    if (isA(thrown, SaveError)) return { assertion: false, message: StringOf(thrown.message), at: where(placeOf(thrown.stack)) };
    if (thrown === null || (typeof thrown !== 'object' && typeof thrown !== 'function')) {
      return { assertion: false, message: 'threw ' + (typeof thrown === 'string' ? stringify(thrown) : StringOf(thrown)), at: where(thrownAt) };
    }
    let place = null;
    try {
      place = placeOf(thrown.stack);
    } catch (e) {}
    const at = where(place === null ? thrownAt : place);
    try {
      if (isA(thrown, ErrorClass) || typeof thrown.message === 'string') {
        const name = thrown.name;
        const message = thrown.message;
        return { assertion: false, message: (typeof name === 'string' && name !== '' ? name + ': ' : '') + StringOf(message), at };
      }
    } catch (e) {}
    let why = '';
    try {
      const text = StringOf(thrown);
      if (text !== '[object Object]') return { assertion: false, message: 'threw ' + text, at };
    } catch (e) {
      why = describeQuietly(e);
    }
    if (why === '') {
      try {
        const json = stringify(thrown);
        if (typeof json === 'string') return { assertion: false, message: 'threw ' + json, at };
      } catch (e) {}
    }
    let kind = 'an object';
    try {
      const tag = apply(toStringTag, thrown, []);
      if (tag !== '[object Object]') kind += ' (' + tag + ')';
    } catch (e) {}
    return { assertion: false, message: 'threw ' + kind + ' that cannot be shown as text' + (why === '' ? '' : ' (its toString() threw ' + why + ')'), at };
  }

  function describeQuietly(e) {
    try {
      if (e !== null && typeof e === 'object' && typeof e.message === 'string') return (typeof e.name === 'string' ? e.name + ': ' : '') + e.message;
      return typeof e === 'string' ? stringify(e) : StringOf(e);
    } catch (again) {
      return 'a value that cannot be shown either';
    }
  }

  defineProperty(g, 'state', { value: data.state, writable: true, configurable: true });
  defineProperty(g, 'vars', { value: data.vars, writable: true, configurable: true });
  defineProperty(g, 'save', { value: save, writable: true, configurable: true });
  defineProperty(g, 'assert', { value: assert, writable: true, configurable: true });
  defineProperty(g, 'console', { value: console, writable: true, configurable: true });
  delete g.FinalizationRegistry;
  defineProperty(g, ${JSON.stringify(THROW_MARK)}, {
    value: freeze(function (line, column) {
      thrownAt = { line, column, fromStack: false };
    }),
  });
  defineProperty(g, '__rocketship__', {
    value: freeze({
      describe() {
        const thrown = g.__rocketship_thrown__;
        delete g.__rocketship_thrown__;
        const d = describe(thrown);
        const at = d.at;
        return stringify({ assertion: d.assertion, message: cut(StringOf(d.message)), line: at.line, column: at.column, fromStack: at.fromStack });
      },
      results() {
        const pairs = [];
        for (let i = 0; i < savedNames.length; i += 1) pairs[i] = [savedNames[i], saved[savedNames[i]]];
        const lines = logsLeftOut === 0 ? logs : [...logs, '\u2026 ' + logsLeftOut + ' more console.log lines were left out (at most ' + MAX_LOG_LINES + ' lines, ' + MAX_LOG_CHARS + ' characters)'];
        return stringify({ saved: pairs, logs: lines });
      },
      refuseImport(specifier) {
        return new ErrorClass('import() is not available in a script step (it asked for ' + stringify(StringOf(specifier)) + ')');
      },
    }),
  });
})();
`;
}

/**
 * The worker's code (CommonJS, run with `eval: true`, so no file has to be found next to this one
 * in `dist/` or under tsx). One job per message; every job gets a fresh context.
 */
function workerSource(): string {
  return String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const vm = require('node:vm');
const { types } = require('node:util');
const { performance } = require('node:perf_hooks');

const PRELUDE = ${JSON.stringify(prelude())};
const FILENAME = ${JSON.stringify(SCRIPT_FILENAME)};

// Promises the current script rejected and nothing handled: Node reports them after the turn.
let collecting = false;
const rejections = [];
process.on('unhandledRejection', (reason, promise) => {
  if (collecting) rejections.push({ reason, promise });
});
process.on('rejectionHandled', (promise) => {
  const at = rejections.findIndex((r) => r.promise === promise);
  if (at >= 0) rejections.splice(at, 1);
});

// import() answers with an error made in the running script's context. One function for every
// script, reading the current job's context from this slot: a callback per script (closing over
// its context) is kept by Node's module registry for good, and every context with it.
let refuseImport = null;
function importModuleDynamically(specifier) {
  if (refuseImport === null) return new Promise(() => {});
  throw refuseImport(String(specifier));
}

// Errors made by Node in this realm (a SyntaxError from compiling, the timeout): described here.
const HOST_ERRORS = new Set([Error, SyntaxError, TypeError, RangeError, ReferenceError, EvalError, URIError].map((c) => c.prototype));
function isHostError(e) {
  return typeof e === 'object' && e !== null && !types.isProxy(e) && types.isNativeError(e) && HOST_ERRORS.has(Object.getPrototypeOf(e));
}

// The vm's timeout error is made in the script's context; its own data property 'code' is read
// without calling anything of the script's (no getter, no proxy trap).
function isTimeout(e) {
  if (typeof e !== 'object' || e === null || types.isProxy(e) || !types.isNativeError(e)) return false;
  const code = Object.getOwnPropertyDescriptor(e, 'code');
  return code !== undefined && code.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

parentPort.on('message', (job) => {
  run(job).then(
    (outcome) => parentPort.postMessage(outcome),
    (error) => parentPort.postMessage({ _tag: 'WorkerFailed', description: isHostError(error) ? error.name + ': ' + error.message : 'the script worker failed', logs: [] }),
  );
});

// Compiled once: every job runs it in its own context.
const preludeScript = new vm.Script(PRELUDE, { filename: 'rocketship-prelude.js' });

async function run(job) {
  try {
    return await runInFreshContext(job);
  } finally {
    refuseImport = null;
    collecting = false;
  }
}

async function runInFreshContext(job) {
  const deadline = performance.now() + job.timeoutMs;
  const left = () => Math.max(1, Math.ceil(deadline - performance.now()));
  // A global object with no prototype of this realm's: nothing reachable from the script leads here.
  const sandbox = Object.create(null);
  sandbox.__rocketship_input__ = job.input;
  const context = vm.createContext(sandbox, { microtaskMode: 'afterEvaluate' });
  const inContext = (code, timeout) => vm.runInContext(code, context, { filename: 'rocketship-prelude.js', timeout });
  try {
    preludeScript.runInContext(context, { timeout: Math.max(left(), 1000) });
  } catch (e) {
    return { _tag: 'WorkerFailed', description: 'the script context could not be prepared: ' + (isHostError(e) ? e.message : 'error'), logs: [] };
  }
  // (this, at the top of a script, is the global object: a script's own 'let __rocketship__' cannot stand in.)
  const api = inContext('this.__rocketship__', 1000);

  rejections.length = 0;
  collecting = true;
  refuseImport = api.refuseImport;
  let thrown;
  let threw = false;
  let timedOut = false;
  // Whether the marked script runs (its columns are then the marked text's).
  let ranMarked = false;
  try {
    const options = { filename: FILENAME, importModuleDynamically };
    let script;
    try {
      script = new vm.Script(job.marked === undefined ? job.code : job.marked, options);
      ranMarked = job.marked !== undefined;
    } catch (e) {
      // Marking can break a script that uses 'throw' as a name; the script itself decides.
      if (job.marked === undefined) throw e;
      script = new vm.Script(job.code, options);
    }
    script.runInContext(context, { timeout: left() });
  } catch (e) {
    if (isTimeout(e)) timedOut = true;
    else {
      threw = true;
      thrown = e;
    }
  }
  // Once this turn ends, Node settles what the script's import() calls were answered, and reports
  // promises rejected with no handler; the reactions that queues in the context run next.
  await new Promise((resolve) => setImmediate(resolve));
  if (!timedOut) {
    try {
      inContext('undefined', left());
    } catch (e) {
      if (isTimeout(e)) timedOut = true;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  collecting = false;

  let results;
  try {
    results = JSON.parse(inContext('this.__rocketship__.results()', 1000));
  } catch (e) {
    results = { saved: [], logs: [] };
  }
  const logs = results.logs;
  if (timedOut) return { _tag: 'TimedOut', logs };
  let inPromise = false;
  if (!threw && rejections.length > 0) {
    threw = true;
    inPromise = true;
    thrown = rejections[0].reason;
  }
  if (!threw) {
    const saved = {};
    for (const [name, text] of results.saved) Object.defineProperty(saved, name, { value: JSON.parse(text), enumerable: true, writable: true, configurable: true });
    return { _tag: 'Completed', saved, logs };
  }
  let d;
  if (isHostError(thrown)) {
    // Made by Node (a SyntaxError from compiling): its stack starts with the script's line, the
    // source line, and a caret under the column ("script.js:2\nlet b = a +* 2;\n           ^").
    const m = /\bscript\.js:(\d+)\n[^\n]*\n([ \t]*)\^/.exec(String(thrown.stack)) || /\bscript\.js:(\d+)/.exec(String(thrown.stack));
    const column = m && m[2] !== undefined ? m[2].length + 1 : null;
    d = { assertion: false, message: thrown.name + ': ' + thrown.message, line: m ? Number(m[1]) : null, column, fromStack: true };
  } else {
    sandbox.__rocketship_thrown__ = thrown;
    try {
      const text = inContext('this.__rocketship__.describe()', Math.max(left(), 100));
      d = JSON.parse(typeof text === 'string' ? text : '{}');
    } catch (e) {
      d = { assertion: false, message: isTimeout(e) ? 'threw a value that could not be described within the time limit' : 'threw a value that could not be described', line: null };
    }
  }
  const line = typeof d.line === 'number' ? d.line : undefined;
  const column = typeof d.column === 'number' ? d.column : undefined;
  // A column read from a stack of the marked script is one of the marked text: the runner moves it back.
  const shifted = ranMarked && d.fromStack === true;
  if (d.assertion) return { _tag: 'AssertionFailed', message: String(d.message), line, column, logs, shifted };
  return { _tag: 'Threw', description: String(d.message), line, column, inPromise, logs, shifted };
}
`;
}
