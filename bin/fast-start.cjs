'use strict';
/**
 * Starts the CLI from the single-file bundle, dist/rocketship.cjs, with V8's code cache of it,
 * dist/rocketship.cache: V8 takes the bytecode of everything a typical run needs (compiled by a
 * warm-up run when the cache was built) instead of compiling ~1 MB of code. bin/rocketship.js
 * execs it; `ROCKETSHIP_LAUNCH_TRACE=1` says on stderr whether the cache was used, and why not.
 *
 * The cache is used only when it names the bundle's build id (V8 itself checks only the source's
 * length) and when V8 accepts it (the same V8 version and flags: NODE_OPTIONS such as
 * `--max-old-space-size` make it refuse). Otherwise the bundle is compiled as any script: slower,
 * nothing else. Then a `run` that ends with its tests judged (exit code 0 or 1) takes the cache
 * itself as it exits (see takeCacheAtExit), so that the runs after it start with one: after an
 * install that skipped `postinstall`, a Node upgrade, or under V8 flags of its own.
 * `npm rebuild rocketship-rx` builds the cache again from the warm-up.
 *
 * With ROCKETSHIP_WRITE_CODE_CACHE=FILE (scripts/build-code-cache.mjs sets it), it runs the
 * warm-up instead of a command and writes the cache to FILE.
 */
const { accessSync, closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '../dist/rocketship.cjs');
const CACHE = join(__dirname, '../dist/rocketship.cache');
const BUILD_ID = '//# rocketship-build=';
/** How the bundle begins: the function Node wraps a CommonJS module in (FAST_START_OPTIONS in scripts/bundle-plugin.mjs). */
const MODULE_FUNCTION = '(function (exports, require, module, __filename, __dirname) {';

/** The bundle's build id: the last line of the file, written by scripts/build-cli.mjs. */
function buildId(source) {
  const at = source.lastIndexOf(BUILD_ID);
  return at < 0 ? undefined : source.slice(at + BUILD_ID.length).trim();
}

/**
 * The first line of a cache file: what it was taken of, padded with spaces to a multiple of 8
 * bytes, so that the cache after it starts where V8 needs it to (8-byte aligned: V8 copies a cache
 * that does not, all 1 MB of it, before reading it).
 */
function cacheHeader(id) {
  const line = `rocketship-code-cache ${id}`;
  return `${line.padEnd(Math.ceil((line.length + 1) / 8) * 8 - 1)}\n`;
}

/** The size of `file` in bytes, 0 when there is none. */
function sizeOf(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * The bytes of `file`, read into `buffer` when it is large enough, else into a new one. The
 * bundle and then its cache are read through one buffer: the bundle's bytes are garbage once they
 * are a string, and writing to memory for the first time is dear on some machines (a VM that maps
 * a page of memory at its first touch: ~11 us a 4 KB page on the one measured).
 */
function readInto(file, buffer) {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const into = buffer !== undefined && buffer.length >= size ? buffer : Buffer.allocUnsafeSlow(size);
    let read = 0;
    for (let n = -1; read < size && n !== 0; read += n) n = readSync(fd, into, read, size - read, read);
    return into.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** The cache's bytes for the bundle of build `id` (read into `buffer` if it is large enough), or why there are none. */
function readCache(id, buffer) {
  let file;
  try {
    file = readInto(CACHE, buffer);
  } catch {
    return { why: 'no code cache (a run takes one as it exits; npm rebuild rocketship-rx builds it)' };
  }
  const header = Buffer.from(cacheHeader(id));
  if (id === undefined || file.length <= header.length || !file.subarray(0, header.length).equals(header))
    return { why: 'its code cache was taken of another build of the bundle' };
  return { data: file.subarray(header.length) };
}

/**
 * Writes V8's code cache of `script`, for build `id`, to `file`: to a file of its own first, then
 * renamed into place, so that no run ever reads half a cache (runs may end at the same time).
 * Throws what failed, with nothing left behind that it could remove.
 */
function writeCache(file, script, id) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([Buffer.from(cacheHeader(id)), script.createCachedData()]));
    renameSync(temporary, file);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Left behind: the next writer uses a name of its own.
    }
    throw error;
  }
}

/**
 * Takes the code cache of this run when the process exits after a `run` whose tests were judged
 * (exit code 0 or 1), and writes it for build `id`: V8's cache of everything the run compiled,
 * which is what the runs after it need most. Only for a run that had no cache V8 took (see
 * `why`), and only where the cache's folder is writable (an install owned by another user, or a
 * read-only one, keeps compiling, as before). Costs ~20 ms once, at that exit; never fails the
 * run nor prints anything but to ROCKETSHIP_LAUNCH_TRACE.
 */
function takeCacheAtExit(script, id, trace) {
  process.once('exit', (code) => {
    if (code !== 0 && code !== 1) return;
    try {
      accessSync(dirname(CACHE), constants.W_OK);
      writeCache(CACHE, script, id);
      if (trace) process.stderr.write(`rocketship: took the code cache of this run, ${CACHE}, for the next runs\n`);
    } catch (error) {
      if (trace)
        process.stderr.write(
          `rocketship: could not take the code cache of this run (${error && error.code ? error.code : String(error)})\n`,
        );
    }
  });
}

/**
 * Compiles and evaluates the bundle, with `cachedData` if any, and returns its exports and script.
 * The file is already the function Node wraps a CommonJS module in (FAST_START_OPTIONS in
 * scripts/bundle-plugin.mjs), compiled as it is and called as Node calls a module's.
 */
function load(source, cachedData) {
  const script = new Script(source, { filename: BUNDLE, cachedData });
  const module = new Module(BUNDLE, null);
  module.filename = BUNDLE;
  module.paths = Module._nodeModulePaths(dirname(BUNDLE));
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  script.runInThisContext().call(module.exports, module.exports, require, module, BUNDLE, dirname(BUNDLE));
  return { exports: module.exports, script };
}

// One buffer for the bundle's bytes and then the cache's (see readInto).
const buffer = Buffer.allocUnsafeSlow(Math.max(sizeOf(BUNDLE), sizeOf(CACHE)));
// As latin1: the bundle is ASCII (scripts/build-cli.mjs checks it), which latin1 makes a string
// of without the UTF-8 decoder's pass over it. A bundle built before it was written as a module's
// function (a checkout pulled and not built again) is wrapped here, as Node would wrap it.
const text = readInto(BUNDLE, buffer).toString('latin1');
const source = text.startsWith(MODULE_FUNCTION) ? text : Module.wrap(text);
const id = buildId(source);
const target = process.env.ROCKETSHIP_WRITE_CODE_CACHE;
if (target) {
  const { exports, script } = load(source, undefined);
  // The run in memory, then the command on a local server. A warm-up that fails (a test, or no
  // loopback server allowed) leaves its path out of the cache: slower, not wrong.
  exports
    .warmUp()
    .then((result) => {
      if (result.passed !== exports.WARM_UP_TESTS)
        process.stderr.write(`code cache warm-up: ${result.passed} of ${exports.WARM_UP_TESTS} tests passed:\n${result.output}`);
      return exports.warmUpCli().catch((error) => {
        process.stderr.write(`code cache warm-up of the command failed: ${error && error.message ? error.message : String(error)}\n`);
        return 0;
      });
    })
    .then(
      (exitCode) => {
        if (exitCode !== 0) process.stderr.write(`code cache warm-up: the command exited with ${exitCode}\n`);
        writeCache(target, script, id);
        process.exit(0);
      },
      (error) => {
        process.stderr.write(`code cache warm-up failed: ${error && error.stack ? error.stack : String(error)}\n`);
        process.exit(1);
      },
    );
} else {
  const cache = readCache(id, buffer);
  const { exports, script } = load(source, cache.data);
  const why =
    cache.data === undefined
      ? cache.why
      : script.cachedDataRejected
        ? 'V8 rejected its code cache (another node, or V8 flags in NODE_OPTIONS)'
        : undefined;
  const trace = Boolean(process.env.ROCKETSHIP_LAUNCH_TRACE);
  if (trace)
    process.stderr.write(
      `rocketship: starting from ${BUNDLE} ${why === undefined ? `with its code cache ${CACHE}` : `without its code cache: ${why}`}\n`,
    );
  const argv = process.argv.slice(2);
  exports.start(argv);
  // After start: its listener flushes the run's output at exit, before this one takes the cache.
  if (why !== undefined && id !== undefined && argv[0] === 'run') takeCacheAtExit(script, id, trace);
}
