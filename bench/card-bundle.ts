import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startupSuite } from './suites.js';

/**
 * The design card's pipeline alone, bundled and code-cached as our CLI is (bench/floor/card.mjs,
 * built by bench/floor/build-card.mjs), for this bench run: built on first use into `dir/card/`,
 * its cache taken after one run of the start-up suite against `base`. Returns the bundle's path,
 * to run as `ctx.floor('card-start.cjs', [bundle, SUITE_FILE])`.
 */
export function cardBundle(dir: string, base: string): string {
  const out = join(dir, 'card');
  const bundle = join(out, 'card.cjs');
  if (existsSync(bundle)) return bundle;
  const warmUp = join(dir, 'card-warm-up.yaml');
  writeFileSync(warmUp, startupSuite(base));
  const script = fileURLToPath(new URL('./floor/build-card.mjs', import.meta.url));
  const built = spawnSync(process.execPath, [script, out, warmUp], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`bench/floor/build-card.mjs failed (exit ${built.status}):\n${built.stdout}${built.stderr}`);
  return bundle;
}
