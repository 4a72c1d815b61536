#!/usr/bin/env node
// The installed `rocketship` command: a shim over the compiled CLI in dist/ (built by `npm ci`
// through the `prepare` script). All behaviour lives in lib/cli. Exiting explicitly once the
// command is done keeps idle keep-alive sockets from holding the process open.
import { main } from '../dist/cli/main.js';

await main(process.argv.slice(2));
process.exit(process.exitCode ?? 0);
