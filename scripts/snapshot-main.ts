import { startupSnapshot } from 'node:v8';
import { main } from '../lib/cli/main.js';
import { WARM_UP_TESTS, warmUp } from './warm-up.js';

/**
 * The entry of the single-file CLI (`dist/rocketship.cjs`, bundled by `scripts/build-cli.mjs`)
 * and of its startup snapshot (`dist/rocketship.blob`). Not part of the library.
 *
 * - Under `node --snapshot-blob dist/rocketship.blob --build-snapshot dist/rocketship.cjs`: runs
 *   {@link warmUp} so the code of a typical run is compiled into the snapshot, then registers
 *   the command as the snapshot's main function. `bin/rocketship.js` starts it as
 *   `node --snapshot-blob dist/rocketship.blob -- ARGS` (`process.argv` is then `[node, ...ARGS]`).
 * - Run as a plain script (`node dist/rocketship.cjs ARGS`): runs the command at once.
 *
 * Either way the process exits when the command is done, so idle keep-alive sockets do not
 * hold it open (as `bin/rocketship.js` does).
 */
function start(argv: readonly string[]): void {
  main(argv).then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      process.stderr.write(`rocketship: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

if (startupSnapshot.isBuildingSnapshot()) {
  warmUp().then(
    (result) => {
      // A warm-up test that fails leaves its passing path uncompiled: slower, not wrong.
      if (result.passed !== WARM_UP_TESTS)
        process.stderr.write(`snapshot warm-up: ${result.passed} of ${WARM_UP_TESTS} tests passed:\n${result.output}`);
      startupSnapshot.setDeserializeMainFunction(() => start(process.argv.slice(1)));
    },
    (error: unknown) => {
      process.stderr.write(`snapshot warm-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
} else {
  start(process.argv.slice(2));
}
