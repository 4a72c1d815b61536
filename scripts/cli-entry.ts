import { main } from '../lib/cli/main.js';
export { WARM_UP_TESTS, warmUp, warmUpCli } from './warm-up.js';

/**
 * The entry of the single-file CLI, `dist/rocketship.cjs` (bundled by `scripts/build-cli.mjs`).
 * Not part of the library. It starts nothing by itself: `bin/fast-start.cjs` loads the bundle
 * with its V8 code cache and calls {@link start}; to build that cache
 * (`scripts/build-code-cache.mjs`), it calls `warmUp` and `warmUpCli` instead, so the code of a
 * typical run is compiled into the cache.
 */

/**
 * Runs the command `argv` (without node and the script) and exits when it is done, so idle
 * keep-alive sockets do not hold the process open (as `bin/rocketship.js` does).
 */
export function start(argv: readonly string[]): void {
  main(argv).then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      process.stderr.write(`rocketship: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
