#!/usr/bin/env node
/**
 * Builds the CLI's code cache, dist/rocketship.cache: V8's code cache of the single-file CLI
 * dist/rocketship.cjs, taken after a warm-up run (scripts/warm-up.ts) by bin/fast-start.cjs, for
 * the node running this script. bin/fast-start.cjs starts the CLI with it.
 *
 * Shipped in the package and run at install (`postinstall`): a code cache fits one V8 version
 * and its flags, so it is never shipped, but built on the machine, for the node present. In a
 * checkout, `npm run build` (scripts/build-cli.mjs) bundles the CLI and then calls
 * {@link buildCodeCache}; run there as `postinstall` (before `prepare` has built anything) this
 * script does nothing. `npm rebuild rocketship-rx` builds the cache again, e.g. after a Node
 * upgrade.
 *
 * A cache that cannot be built only costs start-up time: the bundle is then compiled at each
 * start. So this script warns and exits 0 whatever happens; an install never fails because of it.
 *
 * Usage: node scripts/build-code-cache.mjs
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds `dist/rocketship.cache` from `dist/rocketship.cjs` under `root`, with this node and no
 * NODE_OPTIONS (V8 accepts a cache only under the flags it was made with: those of a plain
 * start). Returns what it did, as one line, or a warning; never throws for a cache that cannot be
 * built (the CLI then compiles the bundle at each start).
 *
 * buildCodeCache()   // { ok: true, message: 'built dist/rocketship.cache for node v20.20.2' }
 */
export function buildCodeCache(root = ROOT) {
  const dist = join(root, 'dist');
  const bundle = join(dist, 'rocketship.cjs');
  const cache = join(dist, 'rocketship.cache');
  rmSync(cache, { force: true });
  if (!existsSync(bundle)) return { ok: false, message: `${rel(root, bundle)} is missing: the CLI runs from dist/cli/main.js` };
  const env = { ...process.env, ROCKETSHIP_WRITE_CODE_CACHE: cache };
  delete env.NODE_OPTIONS;
  const built = spawnSync(process.execPath, [join(root, 'bin/fast-start.cjs')], { cwd: dist, env, encoding: 'utf8' });
  const stderr = (built.stderr ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l))
    .join('\n');
  if (built.status !== 0 || !existsSync(cache)) {
    rmSync(cache, { force: true });
    return {
      ok: false,
      message: `the code cache could not be built (exit ${built.status ?? built.signal ?? built.error?.message}); the CLI compiles ${rel(root, bundle)} at each start${stderr === '' ? '' : `\n${stderr}`}`,
    };
  }
  // Anything else the build printed (the warm-up's report of a test that did not pass) is news.
  return { ok: true, message: `built ${rel(root, cache)} for node ${process.version}${stderr === '' ? '' : `\n${stderr}`}` };
}

function rel(root, p) {
  return p.startsWith(`${root}/`) ? p.slice(root.length + 1) : p;
}

if (import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href) {
  // `npm ci` in a checkout (scripts/build-cli.mjs beside this file) runs `prepare`, which builds
  // everything, right after `postinstall`: nothing to do yet.
  if (process.env.npm_lifecycle_event === 'postinstall' && existsSync(join(ROOT, 'scripts/build-cli.mjs'))) process.exit(0);
  const result = buildCodeCache();
  if (result.ok) console.log(`rocketship-rx: ${result.message}`);
  else console.warn(`rocketship-rx: warning: ${result.message}`);
}
