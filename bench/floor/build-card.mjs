/**
 * Bundles the design card's pipeline alone (bench/floor/card.mjs) as scripts/build-cli.mjs bundles
 * our CLI (esbuild, minified, scripts/bundle-plugin.mjs: its plugin and FAST_START_OPTIONS, and
 * ASCII), into OUT_DIR/card.cjs, then takes its V8 code cache (OUT_DIR/card.cjs.cache) after one
 * run of WARM_UP_SUITE through bench/floor/card-start.cjs, as our code cache is taken after a
 * warm-up run.
 * `node bench/floor/build-card.mjs OUT_DIR WARM_UP_SUITE`; prints the bundle's path.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { FAST_START_OPTIONS, fastStartPlugin, notAscii } from '../../scripts/bundle-plugin.mjs';

const [outDir, warmUpSuite] = process.argv.slice(2);
const bundle = join(outDir, 'card.cjs');
mkdirSync(outDir, { recursive: true });
await esbuild.build({
  entryPoints: [fileURLToPath(new URL('./card.mjs', import.meta.url))],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [fastStartPlugin()],
  ...FAST_START_OPTIONS,
});
// card-start.cjs reads it as latin1, as bin/fast-start.cjs reads ours.
const nonAscii = notAscii(readFileSync(bundle, 'latin1'));
if (nonAscii !== undefined) throw new Error(`${bundle} ${nonAscii}`);
/** Runs the warm-up suite through card-start.cjs, as the bench starts it (no NODE_OPTIONS), with `extra` in its environment. */
const start = (extra) => {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return spawnSync(process.execPath, [fileURLToPath(new URL('./card-start.cjs', import.meta.url)), bundle, warmUpSuite], {
    env,
    encoding: 'utf8',
  });
};
const warm = start({ CARD_WRITE_CACHE: '1' });
if (warm.status !== 0) throw new Error(`the card's warm-up run failed (exit ${warm.status}):\n${warm.stdout}${warm.stderr}`);
// Started as the bench starts it, V8 must take the cache: without it the card would start slower
// than it can, and the bound it gives would be too high.
const check = start({});
if (check.status !== 0 || check.stderr.includes('rejected'))
  throw new Error(`the card's code cache is not used:\n${check.stdout}${check.stderr}`);
process.stdout.write(`${bundle}\n`);
