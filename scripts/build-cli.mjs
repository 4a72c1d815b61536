#!/usr/bin/env node
/**
 * Builds the fast-starting CLI after `tsc` (run by `npm run build` and by `prepare`, so `npm ci`
 * on a fresh clone produces it). Everything goes to dist/, which is not committed:
 *
 *   dist/rocketship.cjs     scripts/cli-entry.ts and its dependencies in one minified ASCII
 *                           file, as the function of a CommonJS module (FAST_START_OPTIONS in
 *                           scripts/bundle-plugin.mjs: bin/fast-start.cjs runs it, not
 *                           `require`), ending with its build id
 *                           (`//# rocketship-build=<hash of the rest>`)
 *   dist/rocketship.cache   V8's code cache of that file, taken after a warm-up run
 *
 * The cache is made by scripts/build-code-cache.mjs, which the package also runs at install
 * (`postinstall`): the package ships the bundle, never the cache, which fits one V8 version (and
 * its flags) only.
 *
 * Why: starting the CLI from dist/ (about 100 small ES modules, plus rxjs, axios, yaml, io-ts
 * and fp-ts) costs 4-5x a bare `node` start; one bundled file still pays for compiling ~1 MB of
 * code. With the code cache, bin/fast-start.cjs hands V8 the bytecode of everything the warm-up
 * ran instead of compiling it. A cache that is missing, was taken of another build of the bundle
 * or that V8 rejects (another node, other V8 flags) only costs speed: the bundle is then
 * compiled as any script; and a cache that cannot be built makes this script warn and still
 * exit 0.

 * What the bundle changes, and why: scripts/bundle-plugin.mjs.
 *
 * Usage: node scripts/build-cli.mjs [--no-code-cache]
 * BUILD_CLI_MINIFY=0 keeps the bundle readable, e.g. to read a `node --cpu-prof` profile of the
 * CLI (esbuild then marks where each module starts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCodeCache } from './build-code-cache.mjs';
import { FAST_START_OPTIONS, fastStartPlugin, notAscii } from './bundle-plugin.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'rocketship.cjs');
const NOTICES = join(DIST, 'rocketship.cjs.LICENSES.txt');

const skipCodeCache = process.argv.includes('--no-code-cache');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  warn('esbuild is not installed (a devDependency): the CLI runs from dist/cli/main.js, without the fast start');
  process.exit(0);
}

for (const f of [BUNDLE, NOTICES, join(DIST, 'rocketship.cache')]) rmSync(f, { force: true });

const built = await esbuild.build({
  entryPoints: [join(ROOT, 'scripts/cli-entry.ts')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: process.env.BUILD_CLI_MINIFY !== '0',
  // No source map: the package ships none (the map of this 0.5 MB file is 2.8 MB); read a
  // profile with BUILD_CLI_MINIFY=0 instead.
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [fastStartPlugin()],
  ...FAST_START_OPTIONS,
});
// The bundle holds other packages' code: their licenses go beside it (the package ships both).
writeFileSync(NOTICES, thirdPartyNotices(built.metafile));
const code = readFileSync(BUNDLE, 'utf8');
// bin/fast-start.cjs reads it as latin1.
const nonAscii = notAscii(code);
if (nonAscii !== undefined) {
  console.error(`build-cli: ${rel(BUNDLE)} ${nonAscii}`);
  process.exit(1);
}
// Its build id, which its code cache names: V8 checks a cache against the length of the source
// only, so a cache of another build of the same length would run that build's bytecode.
writeFileSync(BUNDLE, `${code}//# rocketship-build=${createHash('sha256').update(code).digest('hex').slice(0, 16)}\n`);

if (skipCodeCache) {
  console.log(`built ${rel(BUNDLE)} (no code cache: --no-code-cache)`);
  process.exit(0);
}
const cache = buildCodeCache(ROOT);
if (cache.ok) console.log(`built ${rel(BUNDLE)}; ${cache.message}`);
else warn(cache.message);

/**
 * The license of every package whose code is in the bundle (from esbuild's list of inputs): its
 * name, version, license name and the text of its LICENSE file, one after another.
 */
function thirdPartyNotices(metafile) {
  const roots = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll('\\', '/'));
    if (m) roots.add(resolve(ROOT, m[1]));
  }
  const sections = [...roots]
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      const text =
        file === undefined ? `(no license file; package.json says ${pkg.license})` : readFileSync(join(dir, file), 'utf8').trim();
      return { name: pkg.name, text: `${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n` };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return [
    'dist/rocketship.cjs, the single-file rocketship CLI, contains code of the packages below, each',
    'under its own license, reproduced here.',
    '',
    ...sections.map((s) => `${'-'.repeat(78)}\n${s.text}`),
  ].join('\n');
}

function rel(p) {
  return p.startsWith(`${ROOT}/`) ? p.slice(ROOT.length + 1) : p;
}

function warn(message) {
  console.warn(`build-cli: warning: ${message}`);
}
