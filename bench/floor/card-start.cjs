'use strict';
/**
 * Starts the bundle of the design card's pipeline alone (bench/floor/card.mjs, bundled by
 * bench/card-bundle.ts) as bin/fast-start.cjs starts our CLI: the bundle compiled with
 * `vm.Script` and V8's code cache of it, BUNDLE.cache, when there is one that V8 accepts.
 * `node bench/floor/card-start.cjs BUNDLE SUITE_FILE`; with CARD_WRITE_CACHE=1 it runs the suite
 * (the warm-up) and then writes the cache of everything that ran.
 */
const { closeSync, existsSync, fstatSync, openSync, readSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

const [bundle, suite] = process.argv.slice(2);
const cacheFile = `${bundle}.cache`;
const writing = process.env.CARD_WRITE_CACHE === '1';

/** The bytes of `file` read into the start of `buffer` (large enough), as bin/fast-start.cjs reads ours. */
function readInto(file, buffer) {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    let read = 0;
    for (let n = -1; read < size && n !== 0; read += n) n = readSync(fd, buffer, read, size - read, read);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

// The bundle is ASCII and already a CommonJS module's function (build-card.mjs), as ours is; it
// and then its cache are read through one buffer, as ours are.
const cacheSize = writing || !existsSync(cacheFile) ? 0 : statSync(cacheFile).size;
const buffer = Buffer.allocUnsafeSlow(Math.max(statSync(bundle).size, cacheSize));
const source = readInto(bundle, buffer).toString('latin1');
const cachedData = cacheSize > 0 ? readInto(cacheFile, buffer) : undefined;
const script = new Script(source, { filename: bundle, cachedData });
if (cachedData !== undefined && script.cachedDataRejected) process.stderr.write('card-start: V8 rejected the code cache\n');
const mod = new Module(bundle, null);
mod.filename = bundle;
mod.paths = Module._nodeModulePaths(dirname(bundle));
const require_ = (id) => mod.require(id);
script.runInThisContext().call(mod.exports, mod.exports, require_, mod, bundle, dirname(bundle));
mod.exports.main([suite]).then(
  (code) => {
    if (writing) writeFileSync(cacheFile, script.createCachedData());
    process.exit(code);
  },
  (error) => {
    process.stderr.write(`card-start: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
