/**
 * `npm run example`: runs an example suite against the example API, offline.
 *
 * 1. Starts the example API (examples/api/server.js) on a free loopback port.
 * 2. Runs `node bin/rocketship.js run -af examples/async-operations/rocketship.yaml
 *    --var api_url=http://127.0.0.1:PORT`, plus any arguments given after `--`. When those
 *    choose what to run (`-f`/`--file`, `-d`/`--dir`), they replace the default file:
 *
 *        npm run example                                           # the async-operations suite
 *        npm run example -- -f examples/chaining/rocketship.yaml   # another suite
 *        npm run example -- --report junit=report.xml -v           # extra CLI options
 *
 *    Arguments come after `--var api_url=...`, so a later `--var api_url=...` of yours wins.
 * 3. Stops the API and exits with the run's exit code (0 passed, 1 a test failed, 2 bad input,
 *    130/143 when interrupted by SIGINT/SIGTERM).
 *
 * Ctrl-C and SIGTERM are forwarded to the run once, so its cleanup steps run and its reports
 * are written; press Ctrl-C again to make it stop at once.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainModule } from './api/http-kit.js';
import { startExampleApi } from './api/server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = resolve(ROOT, 'bin/rocketship.js');
const DEFAULT_SUITE = resolve(ROOT, 'examples/async-operations/rocketship.yaml');

/**
 * A signal that arrives within this many ms of the previous one of the same name is the same
 * keypress delivered twice: the terminal sends SIGINT to the whole foreground process group,
 * and `npm run` forwards it to us again. Forwarding both would look like a second Ctrl-C to the
 * CLI, which then skips its cleanup.
 */
const DUPLICATE_SIGNAL_MS = 500;

/**
 * The arguments for `rocketship`: `run -a`, the default suite unless `extra` chooses what to run,
 * the API's address as `--var api_url=...`, then `extra` unchanged.
 *
 * @param {readonly string[]} extra Arguments given to this script.
 * @param {string} apiUrl e.g. `http://127.0.0.1:41237`
 * @param {string} [cwd] Directory the default suite path is made relative to.
 * @returns {string[]}
 *
 * @example
 * buildRunArgs([], 'http://127.0.0.1:4000', ROOT)
 * // ['run', '-af', 'examples/async-operations/rocketship.yaml', '--var', 'api_url=http://127.0.0.1:4000']
 * buildRunArgs(['-f', 'x.yaml'], 'http://127.0.0.1:4000', ROOT)
 * // ['run', '-a', '--var', 'api_url=http://127.0.0.1:4000', '-f', 'x.yaml']
 */
export function buildRunArgs(extra, apiUrl, cwd = process.cwd()) {
  const suite = choosesSuite(extra) ? [] : ['-f', relative(cwd, DEFAULT_SUITE) || DEFAULT_SUITE];
  // `-a` means nothing to this engine (it is embedded) but keeps the spec's command line.
  const auto = hasShortFlag(extra, 'a') || extra.includes('--auto') ? [] : ['-a'];
  const flags = auto.length > 0 && suite.length > 0 ? ['-af', ...suite.slice(1)] : [...auto, ...suite];
  return ['run', ...flags, '--var', `api_url=${apiUrl}`, ...extra];
}

/**
 * Whether the arguments name the suites to run: `-f`, `--file`, `-d`, `--dir` (also as
 * `--file=x` or inside a cluster of short flags such as `-af`). Arguments after `--` are not
 * options.
 *
 * @param {readonly string[]} args
 */
export function choosesSuite(args) {
  return hasShortFlag(args, 'f') || hasShortFlag(args, 'd') || options(args).some((arg) => /^--(file|dir)(=|$)/.test(arg));
}

/**
 * Whether `-<letter>` is given, alone or in a cluster (`-af`).
 *
 * @param {readonly string[]} args
 * @param {string} letter
 */
function hasShortFlag(args, letter) {
  return options(args).some((arg) => /^-[a-zA-Z]+$/.test(arg) && arg.includes(letter));
}

/**
 * The arguments before a `--` (after it nothing is an option).
 *
 * @param {readonly string[]} args
 */
function options(args) {
  const end = args.indexOf('--');
  return end < 0 ? args : args.slice(0, end);
}

/**
 * The exit code of a child that ended with `code` or was killed by `signal` (128 + its number,
 * as shells report it: SIGINT 130, SIGTERM 143).
 *
 * @param {number | null} code
 * @param {NodeJS.Signals | null} signal
 */
export function exitCodeOf(code, signal) {
  if (code !== null) return code;
  const n = signal === null ? undefined : constants.signals[signal];
  return n === undefined ? 1 : 128 + n;
}

/**
 * Starts the API, runs the CLI with `extra`, stops the API; resolves the run's exit code.
 *
 * @param {readonly string[]} extra
 * @param {{ cli?: string }} [options] `cli`: the script to run (default bin/rocketship.js).
 * @returns {Promise<number>}
 */
export async function runExample(extra, { cli = CLI } = {}) {
  const api = await startExampleApi();
  try {
    const child = spawn(process.execPath, [cli, ...buildRunArgs(extra, api.url)], {
      stdio: 'inherit',
      // Its own process group: a Ctrl-C in the terminal reaches only us, and we forward it
      // exactly once (see DUPLICATE_SIGNAL_MS).
      detached: process.platform !== 'win32',
    });
    /** @type {Map<NodeJS.Signals, number>} */
    const lastSeen = new Map();
    /** @param {NodeJS.Signals} signal */
    const forward = (signal) => {
      const now = performance.now();
      const previous = lastSeen.get(signal);
      lastSeen.set(signal, now);
      if (previous !== undefined && now - previous < DUPLICATE_SIGNAL_MS) return;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    try {
      return await new Promise((resolveCode) => {
        child.once('error', (e) => {
          process.stderr.write(`npm run example: cannot start ${cli}: ${e.message}\n`);
          resolveCode(1);
        });
        child.once('exit', (code, signal) => resolveCode(exitCodeOf(code, signal)));
      });
    } finally {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    }
  } finally {
    await api.close();
  }
}

if (isMainModule(import.meta.url)) {
  runExample(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (/** @type {unknown} */ e) => {
      process.stderr.write(`npm run example: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
