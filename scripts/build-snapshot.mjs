#!/usr/bin/env node
/**
 * Builds the CLI's startup snapshot, dist/rocketship.blob, from the single-file CLI
 * dist/rocketship.cjs, for the node binary running this script, and records that binary in
 * dist/rocketship.launch (read by bin/rocketship.js, which uses the blob only with that binary).
 *
 * Shipped in the package and run at install (`postinstall`): a snapshot loads only into the node
 * binary that built it, so it is never shipped, but built on the machine, for the node present.
 * In a checkout, `npm run build` (scripts/build-cli.mjs) bundles the CLI and then calls
 * {@link buildSnapshot}; run there as `postinstall` (before `prepare` has built anything) this
 * script does nothing. `npm rebuild rocketship-rx` builds the snapshot again, e.g. after a Node
 * upgrade.
 *
 * A snapshot that cannot be built only costs start-up time: the launcher then runs the bundle
 * (dist/rocketship.cjs). So this script warns and exits 0 whatever happens; an install never
 * fails because of it.
 *
 * Usage: node scripts/build-snapshot.mjs
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Lines node prints on stderr while building any snapshot, which say nothing about ours: the
 * experimental warning (and its follow-ups) of some Node versions, and Node 20's note that it
 * removes `Error.stackTraceLimit` from the heap it saves (it puts it back on start-up).
 */
const NOISE =
  /^(\(node:\d+\) )?Warning: It's not yet fully verified|^It may still work|^To request support|^\(Use `node --trace-warnings|^Deleting Error\.stackTraceLimit from the snapshot/;

/**
 * Builds `dist/rocketship.blob` from `dist/rocketship.cjs` under `root`, with this node and no
 * NODE_OPTIONS, and writes `dist/rocketship.launch`. Returns what it did, as one line, or a
 * warning; never throws for a snapshot that cannot be built (the CLI then starts from the bundle).
 *
 * buildSnapshot()   // { ok: true, message: 'built dist/rocketship.blob for node v20.20.2 (/usr/bin/node)' }
 */
export function buildSnapshot(root = ROOT) {
  const dist = join(root, 'dist');
  const bundle = join(dist, 'rocketship.cjs');
  const blob = join(dist, 'rocketship.blob');
  const launch = join(dist, 'rocketship.launch');
  for (const f of [blob, launch]) rmSync(f, { force: true });
  if (!existsSync(bundle)) return { ok: false, message: `${rel(root, bundle)} is missing: the CLI runs from dist/cli/main.js` };
  if (typeof startupSnapshot?.isBuildingSnapshot !== 'function')
    return { ok: false, message: `node ${process.version} has no startup snapshots: the CLI runs from ${rel(root, bundle)}` };

  // The blob only loads into the very node binary (and V8 flags) that built it: build it with
  // this node and no NODE_OPTIONS, and record which binary that was.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const built = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', bundle], { cwd: dist, env, encoding: 'utf8' });
  const stderr = (built.stderr ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '' && !NOISE.test(l))
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l))
    .join('\n');
  if (built.status !== 0 || !existsSync(blob)) {
    rmSync(blob, { force: true });
    return {
      ok: false,
      message: `the startup snapshot could not be built (exit ${built.status ?? built.signal ?? built.error?.message}); the CLI runs from ${rel(root, bundle)}${stderr === '' ? '' : `\n${stderr}`}`,
    };
  }
  const node = realpathSync(process.execPath);
  writeFileSync(
    launch,
    [
      '# Written by scripts/build-snapshot.mjs, read by bin/rocketship.js: the node binary that built',
      '# rocketship.blob. The blob is used only with this binary, unchanged since the blob was built.',
      `rs_node=${shellQuote(node)}`,
      `rs_node_version=${shellQuote(process.version)}`,
      '',
    ].join('\n'),
  );
  // Anything else the build printed (the warm-up's report of a test that did not pass) is news.
  return { ok: true, message: `built ${rel(root, blob)} for node ${process.version} (${node})${stderr === '' ? '' : `\n${stderr}`}` };
}

function shellQuote(s) {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function rel(root, p) {
  return p.startsWith(`${root}/`) ? p.slice(root.length + 1) : p;
}

if (import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href) {
  // `npm ci` in a checkout (scripts/build-cli.mjs beside this file) runs `prepare`, which builds
  // everything, right after `postinstall`: nothing to do yet.
  if (process.env.npm_lifecycle_event === 'postinstall' && existsSync(join(ROOT, 'scripts/build-cli.mjs'))) process.exit(0);
  const result = buildSnapshot();
  if (result.ok) console.log(`rocketship-rx: ${result.message}`);
  else console.warn(`rocketship-rx: warning: ${result.message}`);
}
