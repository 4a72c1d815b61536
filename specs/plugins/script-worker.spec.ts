import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { markThrows } from '../../lib/plugins/mark-throws.js';
import { runScriptInWorker, type ScriptOutcome } from '../../lib/plugins/script-worker.js';

/** Runs a script as the plugin does (its throws marked). */
function run(code: string, input = '{"state":{"token":"t"},"vars":{"n":1}}', timeoutMs = 5000): Promise<ScriptOutcome> {
  return lastValueFrom(runScriptInWorker({ code, marked: markThrows(code), input, timeoutMs }));
}

/**
 * Helpers put before each escape attempt: `reach(F, label)` calls a candidate Function
 * constructor with 'return process'; if that gives the runner's `process`, it writes the marker
 * file (a real effect on the machine) and saves `escaped`.
 */
function attempt(marker: string, body: string): string {
  return `
const MARKER = ${JSON.stringify(marker)};
function reach(F, label) {
  try {
    if (typeof F !== 'function') return;
    const p = F('return typeof process === "object" ? process : undefined')();
    if (p === undefined) return;
    save('escaped', label);
    const fs = typeof p.getBuiltinModule === 'function' ? p.getBuiltinModule('fs') : p.binding('fs');
    fs.writeFileSync(MARKER, label);
  } catch (e) {}
}
function probe(v, label) {
  try {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return;
    reach(v.constructor, label + '.constructor');
    reach(v.constructor && v.constructor.constructor, label + '.constructor.constructor');
    let p = Object.getPrototypeOf(v);
    for (let n = 0; p !== null && n < 10; n += 1) {
      reach(p.constructor, label + ' prototype ' + n);
      p = Object.getPrototypeOf(p);
    }
  } catch (e) {}
}
${body}
`;
}

/** Known ways out of a node:vm context whose globals come from the runner. None may work. */
const ESCAPES: ReadonlyArray<readonly [string, string]> = [
  ['this.constructor.constructor', "probe(this, 'this'); reach(this.constructor.constructor, 'this.constructor.constructor')"],
  [
    'globalThis and its prototype chain',
    "probe(globalThis, 'globalThis'); probe(Object.getPrototypeOf(globalThis), 'proto of globalThis')",
  ],
  [
    'every global, by Reflect.ownKeys',
    'for (const k of Reflect.ownKeys(globalThis)) { try { probe(globalThis[k], String(k)) } catch (e) {} }',
  ],
  [
    'save, assert and console.log',
    "probe(save, 'save'); probe(assert, 'assert'); probe(console, 'console'); probe(console.log, 'console.log')",
  ],
  ['state and vars', "probe(state, 'state'); probe(vars, 'vars'); probe(Object.getPrototypeOf(state), 'proto of state')"],
  [
    'the hidden __rocketship__ object',
    "probe(__rocketship__, '__rocketship__'); for (const k of Object.keys(__rocketship__)) probe(__rocketship__[k], k)",
  ],
  [
    'errors thrown by the language, by save and by assert',
    `
try { null.x } catch (e) { probe(e, 'TypeError') }
try { JSON.parse('{') } catch (e) { probe(e, 'SyntaxError') }
try { const a = {}; a.a = a; save('c', a) } catch (e) { probe(e, 'save error') }
try { save('f', () => 1) } catch (e) { probe(e, 'save error 2') }
try { assert(false, 'x') } catch (e) { probe(e, 'assertion') }
try { (function f() { f() })() } catch (e) { probe(e, 'RangeError') }`,
  ],
  [
    'the error of import()',
    "import('node:fs').then((m) => reach(m.writeFileSync && (() => m), 'import'), (e) => probe(e, 'import error'))",
  ],
  [
    'eval and the Function constructor',
    "probe(eval, 'eval'); reach(Function, 'Function'); reach(eval('(function(){}).constructor'), 'eval Function')",
  ],
  [
    'Error.prepareStackTrace call sites',
    `
Error.prepareStackTrace = (e, frames) => frames;
const frames = new Error().stack;
for (const f of frames) { try { probe(f.getThis(), 'getThis'); probe(f.getFunction(), 'getFunction') } catch (e) {} }
(function sloppy() { const inner = new Error().stack; for (const f of inner) { try { probe(f.getThis(), 'inner getThis'); probe(f.getFunction(), 'inner getFunction') } catch (e) {} } })();`,
  ],
  [
    'promise callbacks, thenables and async functions',
    `
Promise.resolve().then(function () { probe(this, 'then this'); probe(arguments, 'then arguments') });
new Promise((resolve, reject) => { probe(resolve, 'resolve'); probe(reject, 'reject') });
(async () => { await null; probe(this, 'async this') })();
Promise.resolve({ then(ok) { probe(ok, 'thenable resolve'); ok(1) } });
Promise.reject(new Error('handled')).catch((e) => probe(e, 'rejection'));`,
  ],
  [
    'arguments.callee.caller of functions the runner calls',
    `
function sloppyGetter() { try { probe(sloppyGetter.caller, 'caller'); probe(arguments.callee.caller, 'callee.caller') } catch (e) {} return 'm' }
throw { get message() { return sloppyGetter() }, get stack() { return sloppyGetter() }, get name() { return sloppyGetter() } };`,
  ],
  [
    'a thrown proxy, whose traps see what the runner passes',
    `
const traps = {};
let inside = false;
for (const t of ['get', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'has', 'ownKeys', 'apply', 'construct', 'defineProperty', 'set', 'isExtensible']) {
  traps[t] = function (...args) {
    // (probe itself touches the proxy: look at what the runner passed, not at our own calls)
    if (!inside) { inside = true; try { args.forEach((a, i) => probe(a, t + ' argument ' + i)); probe(this, t + ' this') } finally { inside = false } }
    return Reflect[t](...args);
  };
}
throw new Proxy(function () {}, traps);`,
  ],
  [
    "a thrown object's prototype, and util.inspect's custom hook",
    `
const custom = Symbol.for('nodejs.util.inspect.custom');
const proto = { [custom](depth, options, inspect) { probe(options, 'inspect options'); probe(inspect, 'inspect'); return 'x' }, toString() { probe(this, 'toString this'); return 'thrown' } };
throw Object.create(proto);`,
  ],
  [
    'a rejected promise nothing handles, with a proxy as its reason',
    `
let busy = false;
Promise.reject(new Proxy({}, { get(t, k, r) { if (!busy) { busy = true; probe(r, 'reason receiver'); probe(k, 'key'); busy = false } return undefined }, getPrototypeOf(t) { return Object.prototype } }));`,
  ],
];

describe('plugins/script-worker', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-escape-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('no script reaches the runner: each known vm escape finds no process and writes no file', () => {
    ESCAPES.forEach(([name, body], i) => {
      it(name, async () => {
        const marker = join(dir, `escaped-${i}`);
        const outcome = await run(attempt(marker, body));
        expect(existsSync(marker), `${name} wrote ${marker}`).to.equal(false);
        if (outcome._tag === 'Completed') expect(outcome.saved).not.to.have.property('escaped');
        expect(outcome._tag).not.to.equal('WorkerFailed');
      });
    });

    it('require, process and module are not defined', async () => {
      const outcome = await run(
        'save("types", [typeof require, typeof process, typeof module, typeof globalThis.process, typeof FinalizationRegistry])',
      );
      expect(outcome).to.deep.include({
        _tag: 'Completed',
        saved: { types: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined'] },
      });
    });

    it('import() rejects with an error made in the context', async () => {
      const outcome = await run(
        "import('node:fs').then(() => save('r', 'loaded'), (e) => save('r', e instanceof Error ? e.message : 'not an Error of the context'))",
      );
      expect(outcome).to.deep.include({
        _tag: 'Completed',
        saved: { r: 'import() is not available in a script step (it asked for "node:fs")' },
      });
    });
  });

  describe('state, vars, save and the results', () => {
    it('gives state and vars as data of the context, and reads saved values and logs back', async () => {
      const outcome = await run(
        'save("s", state.token + vars.n); save("o", { a: [1, null, "x"], n: 10n, f: () => 1 }); save("u", undefined); save("nan", NaN); console.log("a", 1, null, { b: 2 })',
      );
      expect(outcome).to.deep.equal({
        _tag: 'Completed',
        saved: { s: 't1', o: { a: [1, null, 'x'], n: '10' }, u: null, nan: 'NaN' },
        logs: ['a 1 null [object Object]'],
      });
    });

    it('keeps a saved name "__proto__" as a name', async () => {
      const outcome = await run('save("__proto__", { polluted: true })');
      expect(outcome._tag === 'Completed' && Object.keys(outcome.saved)).to.deep.equal(['__proto__']);
      expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    });

    it('refuses to save a cyclic value, naming the cycle and the line', async () => {
      const outcome = await run('const a = { list: [] };\na.list.push({ back: a });\nsave("c", a);');
      expect(outcome).to.deep.include({
        _tag: 'Threw',
        description: 'save("c"): the value refers to itself (c.list[0].back is c), so it cannot be saved as JSON',
        line: 3,
        inPromise: false,
      });
    });

    it('refuses to save a value nested more than 1,000 levels, naming the limit and the line', async () => {
      const outcome = await run('let d = [];\nfor (let i = 0; i < 100000; i += 1) d = [d];\nsave("d", d);');
      expect(outcome).to.deep.include({
        _tag: 'Threw',
        description: 'save("d"): the value nests lists and maps more than 1000 levels deep, too deep to save',
        line: 3,
      });
      // 1,000 levels is fine.
      const ok = await run('let d = 1;\nfor (let i = 0; i < 1000; i += 1) d = [d];\nsave("d", d);');
      expect(ok._tag).to.equal('Completed');
    });

    it('refuses to save a function or a symbol', async () => {
      const outcome = await run('\nsave("f", function () {})');
      expect(outcome).to.deep.include({
        _tag: 'Threw',
        description: 'save("f"): a function cannot be saved; save data: strings, numbers, booleans, null, lists and maps',
        line: 2,
      });
    });

    it('reads results from its own object, whatever the script declares or replaces', async () => {
      const outcome = await run(
        'save("a", 1); JSON.stringify = () => "{}"; Array.prototype.push = null; globalThis.__rocketship__ = null; var globalThis = 1;',
      );
      expect(outcome).to.deep.equal({ _tag: 'Completed', saved: { a: 1 }, logs: [] });
      const shadow = await run('save("a", 1); let __rocketship__ = { results() { return "{}" } };');
      expect(shadow).to.deep.include({ _tag: 'Threw', description: "SyntaxError: Identifier '__rocketship__' has already been declared" });
    });

    it('keeps at most 10,000 log lines, saying how many more there were', async () => {
      const outcome = await run('for (let i = 0; i < 10005; i += 1) console.log(i)');
      expect(outcome.logs).to.have.length(10_001);
      expect(outcome.logs[10_000]).to.equal('… 5 more console.log lines were left out (at most 10000 lines, 1000000 characters)');
    });
  });

  describe('how a script ended', () => {
    it('an object whose toString throws: described, with the line of the throw', async () => {
      const outcome = await run('const x = 1;\n\nthrow { toString() { throw new Error("no text") } };');
      expect(outcome).to.deep.include({
        _tag: 'Threw',
        description: 'threw an object that cannot be shown as text (its toString() threw Error: no text)',
        line: 3,
      });
    });

    it('primitives, plain objects, errors, and objects whose every property throws', async () => {
      expect(await run('throw "oops"')).to.deep.include({ description: 'threw "oops"', line: 1 });
      expect(await run('\nthrow 42')).to.deep.include({ description: 'threw 42', line: 2 });
      expect(await run('throw { code: 7 }')).to.deep.include({ description: 'threw {"code":7}', line: 1 });
      expect(await run('\n\nnull.x')).to.deep.include({ _tag: 'Threw', line: 3 });
      const hostile = await run(
        'throw new Proxy({}, { get() { throw new Error("trap") }, getPrototypeOf() { throw new Error("trap") }, ownKeys() { throw new Error("trap") } })',
      );
      expect(hostile).to.deep.include({ _tag: 'Threw', line: 1 });
      expect(hostile._tag === 'Threw' && hostile.description).to.match(/^threw an object/);
    });

    it('a getter that never returns is stopped by the time limit, not by the worker guard', async () => {
      const started = Date.now();
      const outcome = await run('throw { get message() { for (;;) {} } }', undefined, 300);
      expect(outcome._tag).to.equal('Threw');
      expect(outcome._tag === 'Threw' && outcome.description).to.equal('threw a value that could not be described within the time limit');
      expect(Date.now() - started).to.be.below(1300);
    });

    it('names the column too, in the script as given (not as marked), 1-based (issue 12, item 7)', async () => {
      expect(await run('const a = 1;\n  throw "oops"')).to.deep.include({ line: 2, column: 3 });
      expect(await run('  null.x')).to.deep.include({ line: 1, column: 8 }); // V8 points at the property
      expect(await run('if (1) throw new Error("x")')).to.deep.include({ line: 1, column: 14 }); // `new`, after the marked throw
      expect(await run('let a = 1;\n  assert(a > 2, "a")')).to.deep.include({ _tag: 'AssertionFailed', line: 2, column: 3 });
      expect(await run('save("f", () => 1)')).to.deep.include({ line: 1, column: 1 });
      expect(await run('let b = 1 +* 2;')).to.deep.include({ description: "SyntaxError: Unexpected token '*'", line: 1, column: 12 });
      expect(await run('\tlet b = 1 +* 2;')).to.deep.include({ line: 1, column: 13 }); // a tab is one column
      // A script that does not compile once marked runs unmarked: its columns are its own.
      expect(await run('class A { throw() { return 1 } }\nnull.y')).to.deep.include({ line: 2, column: 6 });
    });

    it('a syntax error names its line', async () => {
      expect(await run('const a = 1;\nconst = 2;')).to.deep.include({
        _tag: 'Threw',
        description: "SyntaxError: Unexpected token '='",
        line: 2,
      });
    });

    it('an assert failing in an async function fails this script (not a later one)', async () => {
      const first = await run('(async () => {\n  await null;\n  assert(false, "in async");\n})();');
      expect(first).to.deep.include({ _tag: 'AssertionFailed', message: 'in async', line: 3 });
      const second = await run('save("x", 1)');
      expect(second).to.deep.include({ _tag: 'Completed' });
      const rejected = await run('Promise.reject(new TypeError("nobody handles me"));');
      expect(rejected).to.deep.include({ _tag: 'Threw', description: 'TypeError: nobody handles me', line: 1, inPromise: true });
      const handledLater = await run(
        'const p = Promise.reject(new Error("x")); Promise.resolve().then(() => p.catch(() => save("caught", true)));',
      );
      expect(handledLater).to.deep.include({ _tag: 'Completed', saved: { caught: true } });
    });

    it('a busy loop times out with the logs it made', async () => {
      expect(await run('console.log("before"); for (;;) {}', undefined, 200)).to.deep.equal({ _tag: 'TimedOut', logs: ['before'] });
    });
  });
});
