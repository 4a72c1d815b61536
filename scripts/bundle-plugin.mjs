/**
 * The esbuild plugin of the single-file CLI (scripts/build-cli.mjs), and of anything bundled the
 * same way (the benchmark's bundle of the design card's pipeline alone, bench/card-bundle.ts), so
 * that both start alike.
 *
 * What the bundle changes, and why:
 * - Node modules a run may not need (http, https, net, tls, crypto, ...), BullMQ and ioredis
 *   (only `run --redis` and `worker` need them), ajv (only the `schema` matcher needs it), and
 *   the OpenAPI libraries (only a suite with `openapi` needs them), are replaced by lazy
 *   stand-ins, loaded on first use at run time.
 * - jsonpath resolves to its self-contained browser build: the Node build reads its own source
 *   files with `fs` at load time, which a bundle cannot do (same version, same parser). It is
 *   evaluated on its first use (a `$` path), not at start, and the warm-up uses none, so that its
 *   91 KB are not in the code cache every run deserializes (a `$` path then compiles it: ~5 ms once).
 * - rxjs, fp-ts, io-ts and yaml resolve to their ES module builds, so unused code is dropped and
 *   nothing is copied at each import (esbuild copies a CommonJS module's exports into an object of
 *   getters at every file that imports it: nine files import yaml). yaml's ES build is its
 *   browser build, the same code but for its debug switches (`LOG_TOKENS`, `LOG_STREAM`), its
 *   warnings (`console.warn` instead of `process.emitWarning`, both to stderr) and YAML 1.1's
 *   `!!binary` (a Uint8Array, not a Buffer).
 * - axios: its optional `form-data` and `debug` dependencies are stubbed (we send Buffers and
 *   never multipart), and so is `follow-redirects` (lib/http/axios-client.ts follows redirects
 *   itself and always gives axios `maxRedirects: 0`, the path that never touches it; calling it
 *   anyway throws, naming the stub), and two load-time probes
 *   are removed: `getFetch()` (builds a Request and a Response to test fetch support) and the
 *   global `FormData` lookup. Both load Node's fetch implementation (undici, ~20 ms) for an
 *   adapter we never use; a native FormData is still recognised by its tag. axios's own Node
 *   adapter (`adapters/http.js`, only for requests a proxy from the environment applies to: see
 *   lib/http/node-adapter.ts) is evaluated on its first use, not at start: at load it reads
 *   `zlib` and, through https-proxy-agent, `assert`. And axios times each request with
 *   `process.hrtime` instead of the global `performance`, whose first use loads perf_hooks.
 */
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requireHere = createRequire(join(ROOT, 'package.json'));

/**
 * Built-in modules loaded with the bundle; every other one (and every subpath, such as
 * `fs/promises`) is lazy. Most are in Node's own snapshot and cost nothing; `assert`, `zlib` and
 * `perf_hooks` are not (1-2 ms each to compile at start), and no module a plain run evaluates
 * requires them (specs/scripts/code-cache.spec.ts checks that a run loads none of them). `v8`
 * (3.3-3.6 ms to load, with the internals it pulls in) and `os` (0.4 ms) are not in the snapshot
 * either and are lazy: only a run of many tests at once (lib/cli/tune-gc.ts) and the queue's
 * workers use them.
 */
const EAGER_BUILTINS = new Set([
  'assert',
  'buffer',
  'console',
  'constants',
  'events',
  'fs',
  'path',
  'perf_hooks',
  'process',
  'querystring',
  'stream',
  'string_decoder',
  'timers',
  'url',
  'util',
  'zlib',
]);
/** Dependencies left out of the bundle and loaded from node_modules on first use. */
const LAZY_PACKAGES = new Set([
  'ajv',
  'ajv/dist/2020.js',
  'ajv-draft-04',
  'ajv-formats',
  '@apidevtools/swagger-parser',
  'bullmq',
  'ioredis',
]);
/**
 * The sql plugin's database drivers: never in the bundle (better-sqlite3 is a native addon, and an
 * optional peer dependency that may be absent), required from the package's node_modules when a suite
 * first uses that driver (lib/plugins/sql-pool.ts imports their modules dynamically).
 */
const DRIVER_PACKAGES = new Set(['pg', 'mysql2/promise', 'better-sqlite3']);
/**
 * Dependencies in the bundle but evaluated on their first use, not at start: package -> the file
 * bundled for it. jsonpath (its self-contained browser build: see the header) parses `$` paths
 * only, which no Rocketship suite uses (theirs are jq-style: lib/extract/json-path.ts).
 */
const DEFERRED_PACKAGES = new Map([['jsonpath', 'jsonpath/jsonpath.js']]);
/** How a deferred package's stand-in names the package itself. */
const DEFERRED_REAL = 'deferred-real:';
/** Dependencies replaced by a stand-in (see the header). */
const STUBS = {
  'form-data': 'module.exports = null;',
  debug: 'module.exports = function () { return function () {}; };',
  'follow-redirects': `const left = { request() { throw new Error('follow-redirects is not in this build: axios must be called with maxRedirects: 0'); } };
module.exports = { http: left, https: left };`,
};
/** Exact source edits in dependencies: [file suffix, text, replacement]. A miss fails the build. */
const PATCHES = [
  [
    'axios/lib/utils.js',
    "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
    'const FormDataCtor = undefined;',
  ],
  ['axios/lib/adapters/fetch.js', 'const adapter = getFetch();', 'const adapter = undefined;'],
  [
    'axios/lib/adapters/adapters.js',
    "import httpAdapter from './http.js';",
    "const httpAdapter = function httpAdapter(config) { return require('./http.js').default(config); };",
  ],
  [
    'axios/lib/core/dispatchRequest.js',
    "return typeof performance !== 'undefined' && utils.isFunction(performance.now)\n    ? () => performance.now()\n    : Date.now;",
    'return () => Number(process.hrtime.bigint()) / 1e6;',
  ],
];

/**
 * The esbuild options, besides the plugin, of every bundle started the fast way (the CLI's,
 * started by bin/fast-start.cjs; the card's, by bench/floor/card-start.cjs). The file is the
 * function Node wraps a CommonJS module in, `(function (exports, require, module, __filename,
 * __dirname) {...});`, and its starter compiles it as it is: wrapping the text at start
 * (`Module.wrap`) made V8 flatten a second copy of the whole source before compiling it. So such
 * a file is not for `require`: evaluated, it only makes that function.
 */
export const FAST_START_OPTIONS = {
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '});' },
};

/**
 * Why `code` cannot be read as latin1, as the starters read a bundle, or undefined when it can:
 * for ASCII text V8 keeps one byte a character, where a single other character makes the whole
 * source two bytes a character (the UTF-8 decoder's work, then twice the memory to read and
 * compile from). esbuild escapes such characters in strings, not in regular expression literals
 * or String.raw templates: write those as \u escapes in the source.
 */
export function notAscii(code) {
  const found = /[^\x00-\x7f]/.exec(code);
  if (found === null) return undefined;
  const lineStart = code.lastIndexOf('\n', found.index) + 1;
  const line = code.slice(0, lineStart).split('\n').length;
  const around = code.slice(Math.max(lineStart, found.index - 40), found.index + 20).split('\n')[0];
  return `line ${line}, column ${found.index - lineStart + 1}: a non-ASCII character (${JSON.stringify(found[0])}) in ${JSON.stringify(around)}; write it as a \\u escape in the source`;
}

/** The esbuild plugin doing everything listed in the header. */
export function fastStartPlugin() {
  return {
    name: 'rocketship-fast-start',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === 'lazy') return { path: args.path, external: true };
        const id = args.path;
        const bare = id.startsWith('node:') ? id.slice(5) : id;
        if (builtinModules.includes(bare)) {
          return EAGER_BUILTINS.has(bare) ? { path: `node:${bare}`, external: true } : { path: `node:${bare}`, namespace: 'lazy' };
        }
        if (LAZY_PACKAGES.has(id)) return { path: id, namespace: 'lazy' };
        if (DRIVER_PACKAGES.has(id)) return { path: id, namespace: 'driver' };
        if (Object.hasOwn(STUBS, id)) return { path: id, namespace: 'stub' };
        if (DEFERRED_PACKAGES.has(id)) return { path: id, namespace: 'deferred' };
        if (id.startsWith(DEFERRED_REAL)) return { path: requireHere.resolve(DEFERRED_PACKAGES.get(id.slice(DEFERRED_REAL.length))) };
        if (id === 'yaml') return { path: join(dirname(requireHere.resolve('yaml/package.json')), 'browser/dist/index.js') };
        if (id === 'rxjs') return { path: join(dirname(requireHere.resolve('rxjs/package.json')), 'dist/esm/index.js') };
        if (id === 'io-ts') return { path: join(dirname(requireHere.resolve('io-ts/package.json')), 'es6/index.js') };
        const fp = /^fp-ts\/lib\/(.+?)(\.js)?$/.exec(id);
        if (fp) return { path: join(dirname(requireHere.resolve('fp-ts/package.json')), `es6/${fp[1]}.js`) };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: STUBS[args.path], loader: 'js' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: lazyModule(args.path), loader: 'js' }));
      build.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => ({
        contents: deferredModule(args.path),
        loader: 'js',
        resolveDir: ROOT,
      }));
      build.onLoad({ filter: /.*/, namespace: 'driver' }, (args) => ({ contents: driverModule(args.path), loader: 'js' }));
      for (const [suffix, from, to] of PATCHES) {
        const filter = new RegExp(`${suffix.split('/').map(escapeRegExp).join('[\\\\/]')}$`);
        build.onLoad({ filter }, (args) => {
          const source = readFileSync(args.path, 'utf8');
          if (!source.includes(from)) throw new Error(`${suffix}: the text to replace is gone (axios changed?): ${from}`);
          return { contents: source.replace(from, to), loader: 'js' };
        });
      }
    },
  };
}

/**
 * A stand-in for module `id` with the same export names (read from the real module now), each a
 * getter that loads the real module on first use. Built-ins load with `require`; packages load
 * from node_modules next to the bundle.
 */
function lazyModule(id) {
  const real = requireHere(id);
  const skip = typeof real === 'function' ? new Set(['length', 'name', 'prototype', 'caller', 'arguments']) : new Set();
  const keys = Object.getOwnPropertyNames(real).filter((k) => !skip.has(k) && k !== '__esModule');
  const load = id.startsWith('node:')
    ? `require(${JSON.stringify(id)})`
    : `require("node:module").createRequire(__filename)(${JSON.stringify(id)})`;
  return standIn(load, keys, { esModule: real.__esModule === true });
}

/**
 * A deferred package's stand-in: its export names and methods (read from the package now), each a
 * getter that evaluates the bundled package on first use (esbuild wraps a module that is reached
 * by a `require` call in a function, run on the first call). Methods are bound to the package's
 * own object: jsonpath exports an instance of its class, and its methods read `this`.
 */
function deferredModule(id) {
  const real = requireHere(id);
  const keys = new Set();
  for (let o = real; o !== null && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) if (k !== '__esModule' && k !== 'constructor') keys.add(k);
  }
  return standIn(`require(${JSON.stringify(DEFERRED_REAL + id)})`, [...keys], { bindMethods: true });
}

/**
 * The source of a stand-in module: each of `keys` a getter of that property of what `load` (an
 * expression) gives, evaluated on the first read. With `bindMethods`, a function comes bound to
 * that object (the same bound function at every read).
 *
 * The getters sit on the prototype of the module's exports, not on the exports themselves: an ES
 * module importing a CommonJS one gets, from esbuild's `__toESM`, a new object of that prototype
 * with a getter copied for every own property, once per importing file (node:crypto's 73 names
 * in six files, bullmq's 115 in two: 862 getters made at every start). With none of its own, the
 * importer's object reads them all through the prototype it shares.
 */
function standIn(load, keys, { esModule = false, bindMethods = false }) {
  const read = bindMethods
    ? `const v = real[k];
  if (typeof v !== "function") return v;
  if (!bound.has(k)) bound.set(k, v.bind(real));
  return bound.get(k);`
    : 'return real[k];';
  return `"use strict";
let real;
${bindMethods ? 'const bound = new Map();\n' : ''}function get(k) {
  if (real === undefined) real = ${load};
  ${read}
}
const getters = {};
for (const k of ${JSON.stringify(keys)}) Object.defineProperty(getters, k, { enumerable: true, configurable: true, get: () => get(k) });
module.exports = Object.create(getters${esModule ? ', { __esModule: { value: true } }' : ''});
`;
}

/**
 * A database driver's stand-in: the package itself, required from node_modules next to the bundle
 * when the module holding its import is first evaluated, which is when a suite first uses that
 * driver.
 */
function driverModule(id) {
  return `"use strict";
module.exports = require("node:module").createRequire(__filename)(${JSON.stringify(id)});
`;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
