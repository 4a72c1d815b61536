#!/bin/sh
':' /*
# The installed `rocketship` command. This file is a POSIX shell script and an ES module at once.
#
# Run as a command (npm's bin link, npx, ./bin/rocketship.js), the shell part below starts node
# the fastest way that is safe, first that applies:
# 1. From the startup snapshot dist/rocketship.blob (built at install by `postinstall`, and by
#    `npm run build`; see scripts/build-snapshot.mjs): it starts in a fraction of the time of
#    loading dist/. A snapshot loads only into the node binary and V8 flags that built it, so it
#    is used only when:
#    - ROCKETSHIP_NO_SNAPSHOT and NODE_OPTIONS are unset or empty (V8 flags such as
#      --max-old-space-size make node refuse the blob);
#    - the blob is not older than dist/cli/main.js (a later `tsc` left it stale);
#    - the first `node` on PATH is the binary recorded in dist/rocketship.launch, neither
#      modified nor replaced in place since the blob was built (another Node, or none built yet).
# 2. From the single-file CLI dist/rocketship.cjs (shipped in the package, where it is built with
#    dist/ and file times say nothing) when ROCKETSHIP_NO_SNAPSHOT is unset or empty and, in a
#    checkout (scripts/build-cli.mjs present), it is not older than dist/cli/main.js.
# 3. Otherwise, and when run as `node bin/rocketship.js`, the module part at the end runs
#    dist/cli/main.js: the same command, only slower to start.
# ROCKETSHIP_LAUNCH_TRACE=1 says on stderr which of the three it took.
f=$0
while [ -h "$f" ]; do
  l=$(readlink "$f")
  case $l in
    /*) f=$l ;;
    *) f=${f%/*}/$l ;;
  esac
done
d=${f%/*}
if [ "$d" = "$f" ]; then d=.; fi
d=$d/../dist
if [ -z "${ROCKETSHIP_NO_SNAPSHOT-}" ] && [ -z "${NODE_OPTIONS-}" ] && [ -f "$d/rocketship.launch" ] && [ -f "$d/rocketship.blob" ] && [ ! "$d/cli/main.js" -nt "$d/rocketship.blob" ]; then
  rs_node=
  . "$d/rocketship.launch"
  n=
  set -f
  IFS=:
  for p in $PATH; do
    if [ -f "${p:-.}/node" ] && [ -x "${p:-.}/node" ]; then
      n=${p:-.}/node
      break
    fi
  done
  unset IFS
  set +f
  if [ -n "$n" ] && [ "$n" -ef "$rs_node" ] && [ ! "$rs_node" -nt "$d/rocketship.blob" ] && [ -z "$(find "$rs_node" -cnewer "$d/rocketship.blob" 2>/dev/null)" ]; then
    if [ -n "${ROCKETSHIP_LAUNCH_TRACE-}" ]; then echo "rocketship: starting from $d/rocketship.blob" >&2; fi
    exec "$n" --snapshot-blob "$d/rocketship.blob" -- "$@"
  fi
fi
if [ -z "${ROCKETSHIP_NO_SNAPSHOT-}" ] && [ -f "$d/rocketship.cjs" ] && { [ ! -f "$d/../scripts/build-cli.mjs" ] || [ ! "$d/cli/main.js" -nt "$d/rocketship.cjs" ]; }; then
  if [ -n "${ROCKETSHIP_LAUNCH_TRACE-}" ]; then echo "rocketship: starting from $d/rocketship.cjs" >&2; fi
  exec node -- "$d/rocketship.cjs" "$@"
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
