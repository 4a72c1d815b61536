#!/bin/sh
':' /*
# The installed `rocketship` command. This file is a POSIX shell script and an ES module at once.
#
# Run as a command (npm's bin link, npx, ./bin/rocketship.js), the shell part below starts node
# the fastest way that is safe, first that applies:
# 1. bin/fast-start.cjs: the single-file CLI dist/rocketship.cjs, with V8's code cache of it when
#    there is one that fits (built at install by `postinstall`, and by `npm run build`; see
#    scripts/build-code-cache.mjs), when ROCKETSHIP_NO_BUNDLE is unset or empty and, in a
#    checkout (scripts/build-cli.mjs present), the bundle is not older than dist/cli/main.js (in
#    the package it is built with dist/ and file times say nothing).
# 2. Otherwise, and when run as `node bin/rocketship.js`, the module part at the end runs
#    dist/cli/main.js: the same command, only slower to start.
# ROCKETSHIP_LAUNCH_TRACE=1 says on stderr which it took, and whether the code cache was used.
f=$0
while [ -h "$f" ]; do
  l=$(readlink "$f")
  case $l in
    /*) f=$l ;;
    *) f=${f%/*}/$l ;;
  esac
done
b=${f%/*}
if [ "$b" = "$f" ]; then b=.; fi
d=$b/../dist
if [ -z "${ROCKETSHIP_NO_BUNDLE-}" ] && [ -f "$d/rocketship.cjs" ] && { [ ! -f "$b/../scripts/build-cli.mjs" ] || [ ! "$d/cli/main.js" -nt "$d/rocketship.cjs" ]; }; then
  exec node -- "$b/fast-start.cjs" "$@"
fi
if [ -n "${ROCKETSHIP_LAUNCH_TRACE-}" ]; then echo "rocketship: starting from $d/cli/main.js" >&2; fi
exec node -- "$f" "$@"
*/

// The module part: all behaviour lives in lib/cli, compiled to dist/ by `npm run build` (and by
// `npm ci`, through `prepare`). Exiting explicitly once the command is done keeps idle
// keep-alive sockets from holding the process open.
import { main } from '../dist/cli/main.js';

await main(process.argv.slice(2));
process.exit(process.exitCode ?? 0);
