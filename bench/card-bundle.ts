import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startupJsonSuite, startupSuite } from './suites.js';

/** Which suite the card's code cache is taken after: the start-up suite, or it with a `json_path` check too. */
export type CardWarmUp = 'status' | 'json';

/**
 * The design card's pipeline alone, bundled and code-cached as our CLI is (bench/floor/card.mjs,
 * built by bench/floor/build-card.mjs), for this bench run: built on first use into `dir/card/`
 * (`dir/card-json/` for `warmUp` 'json'), its cache taken after one run of the start-up suite
 * (with its `json_path` check, for 'json': so that jsonpath's code is in the cache too) against
 * `base`. Returns the bundle's path, to run as `ctx.floor('card-start.cjs', [bundle, SUITE_FILE])`.
 */
export function cardBundle(dir: string, base: string, warmUp: CardWarmUp = 'status'): string {
  const out = join(dir, warmUp === 'status' ? 'card' : 'card-json');
  const bundle = join(out, 'card.cjs');
  if (existsSync(bundle)) return bundle;
  const warmUpFile = join(dir, `card-warm-up-${warmUp}.yaml`);
  writeFileSync(warmUpFile, warmUp === 'status' ? startupSuite(base) : startupJsonSuite(base));
  const script = fileURLToPath(new URL('./floor/build-card.mjs', import.meta.url));
  const built = spawnSync(process.execPath, [script, out, warmUpFile], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`bench/floor/build-card.mjs failed (exit ${built.status}):\n${built.stdout}${built.stderr}`);
  return bundle;
}
