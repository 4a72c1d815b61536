#!/usr/bin/env node
// The installed `rocketship` command: a shim over the compiled CLI in dist/ (built by `npm ci`
// through the `prepare` script). All behaviour lives in lib/cli.
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2)));
