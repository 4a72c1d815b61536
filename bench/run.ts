/**
 * `npm run bench`: measures our CLI against a bare `node:http` script (the floor) in the
 * workloads of issue 6, prints a table of medians and writes everything as JSON. See
 * docs/benchmarks.md for what each workload does and how to read the table.
 *
 *   npm run bench                                  # all workloads, 7 runs each (fan-out: 5)
 *   npm run bench -- --only startup,sequential     # some workloads: startup, sequential, poll, fanout, memory, per-request, large-bodies, scale
 *   npm run bench -- --only scale --scale-tests 2000 --scale-workers 1,2,4 --scale-runs 5   # run --redis on worker processes (needs redis-server)
 *   npm run bench -- --runs 5 --fanout-runs 3 --fanout 10000:5000,1000:1000 --out /tmp/bench.json   # polls:interval_ms
 *   npm run bench -- --only memory --memory-polls 10000 --memory-runs 3
 *   npm run bench -- --only large-bodies --large-runs 3
 *   npm run bench -- --cli ../other-checkout/bin/rocketship.js   # measure another build as "ours"
 *
 * The CLI runs as users run it: `bin/rocketship.js` as an executable (the bundle with its code cache
 * when `npm run build` made one). Build first: `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchServer } from './bench-server.js';
import { BIN, createContext, type WorkloadResult } from './context.js';
import { formatTable } from './format-table.js';
import { hasGnuTime } from './measure-process.js';
import { passes, type Row } from './row.js';
import { DEFAULT_FANOUT, fanOutWorkload, parseFanOutSizes, type FanOutSize } from './workloads/fan-out.js';
import { largeBodiesWorkload } from './workloads/large-bodies.js';
import { memoryWorkload } from './workloads/memory.js';
import { perRequestWorkload } from './workloads/per-request.js';
import { pollPrecisionWorkload } from './workloads/poll-precision.js';
import { sequentialWorkload } from './workloads/sequential.js';
import { scaleWorkload } from './workloads/scale.js';
import { startupWorkload } from './workloads/startup.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKLOADS = ['startup', 'sequential', 'poll', 'fanout', 'memory', 'scale', 'per-request', 'large-bodies'] as const;
type Workload = (typeof WORKLOADS)[number];

interface Options {
  readonly runs: number;
  readonly fanOutRuns: number;
  readonly fanOut: readonly FanOutSize[];
  readonly memoryPolls: number;
  readonly memoryRuns: number;
  readonly largeRuns: number;
  readonly scaleTests: number;
  readonly scaleWorkers: readonly number[];
  readonly scaleRuns: number;
  readonly only: readonly Workload[];
  readonly out: string;
  /** The command measured as ours. */
  readonly cli: string;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (flag: string, fallback: number): number => {
    const v = value(flag);
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${v}`);
    return n;
  };
  // scale needs redis-server: only when asked for.
  const only = (value('--only')?.split(',') ?? WORKLOADS.filter((w) => w !== 'scale')).map((w) => w.trim());
  const scaleWorkers = (value('--scale-workers') ?? '1,2,4').split(',').map(Number);
  if (scaleWorkers.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--scale-workers: positive integers, got ${value('--scale-workers')}`);
  for (const w of only)
    if (!WORKLOADS.includes(w as Workload)) throw new Error(`--only: unknown workload ${w}; known: ${WORKLOADS.join(', ')}`);
  return {
    runs: int('--runs', 7),
    fanOutRuns: int('--fanout-runs', 5),
    // --fanout-tests N, as before issue 17: N polls every 100 ms (the commands in docs/benchmarks.md's history).
    fanOut: parseFanOutSizes(
      value('--fanout') ?? (value('--fanout-tests') === undefined ? DEFAULT_FANOUT : `${int('--fanout-tests', 1)}:100`),
    ),
    memoryPolls: int('--memory-polls', 10_000),
    memoryRuns: int('--memory-runs', 3),
    largeRuns: int('--large-runs', 3),
    scaleTests: int('--scale-tests', 2000),
    scaleWorkers,
    scaleRuns: int('--scale-runs', 5),
    only: only as Workload[],
    out: resolve(value('--out') ?? join(ROOT, 'bench/results/latest.json')),
    cli: resolve(value('--cli') ?? BIN),
  };
}

/**
 * How `cli` starts here, in its own words: the line `ROCKETSHIP_LAUNCH_TRACE=1` makes it print
 * (bin/rocketship.js: from the bundle with its code cache, without it and why, or from dist/).
 * Asked of the command itself rather than restating its checks, V8's own check of the cache
 * included.
 */
function launchTrace(cli: string): string {
  const ran = spawnSync(cli, ['--version'], { env: { ...process.env, ROCKETSHIP_LAUNCH_TRACE: '1' }, encoding: 'utf8' });
  return (ran.stderr ?? '').split('\n').find((line) => line.startsWith('rocketship: starting from')) ?? 'rocketship: (no launch trace)';
}

function gitCommit(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const trace = launchTrace(options.cli);
  const codeCache = / with its code cache /.test(trace);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // Node reads the file NODE_EXTRA_CA_CERTS names at every start, before any code of ours or the
  // floor's runs: set to a system bundle (as on the machine the figures in docs/benchmarks.md come
  // from), it added ~30-35 ms to every process of both sides, and made every ratio look smaller.
  // No workload sends https, so every process runs without it.
  const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
  delete process.env.NODE_EXTRA_CA_CERTS;
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageBefore: os.loadavg(),
    nodeExtraCaCerts: extraCaCerts === undefined ? 'not set' : `set (${extraCaCerts}), unset for every process measured`,
  };
  log(
    `rocketship-rx benchmark: node ${process.version}, ${machine.cpus} CPUs (${machine.cpuModel}), load average ${machine.loadAverageBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  log(
    `our CLI: ${options.cli}\n  ${trace}${codeCache || options.cli !== BIN ? '' : '\n  note: WITHOUT the code cache (run `npm run build`; NODE_OPTIONS must hold no V8 flags)'}`,
  );
  if (extraCaCerts !== undefined)
    log(
      `note: NODE_EXTRA_CA_CERTS (${extraCaCerts}) is unset for every process measured: node reads it at each start, floor and ours alike`,
    );
  if (!hasGnuTime) log('note: GNU /usr/bin/time not found: CPU time and peak RSS are not measured');
  if (machine.loadAverageBefore[0] !== undefined && machine.loadAverageBefore[0] > machine.cpus / 2)
    log('note: the machine is busy (1-minute load average above half the CPUs): figures will be noisy');

  const server = await startBenchServer();
  const dir = mkdtempSync(join(os.tmpdir(), 'rs-bench-'));
  const ctx = createContext(server, dir, options.runs, log, options.cli);
  const results: Partial<Record<Workload, WorkloadResult>> = {};
  const started = new Date();
  try {
    for (const workload of options.only) {
      log(`-- ${workload}`);
      switch (workload) {
        case 'startup':
          results.startup = await startupWorkload(ctx);
          break;
        case 'sequential':
          results.sequential = await sequentialWorkload(ctx);
          break;
        case 'poll':
          results.poll = await pollPrecisionWorkload(ctx);
          break;
        case 'fanout':
          results.fanout = await fanOutWorkload(ctx, { sizes: options.fanOut, runs: options.fanOutRuns });
          break;
        case 'memory':
          results.memory = await memoryWorkload(ctx, { polls: options.memoryPolls, runs: options.memoryRuns });
          break;
        case 'scale':
          results.scale = await scaleWorkload(ctx, { tests: options.scaleTests, workers: options.scaleWorkers, runs: options.scaleRuns });
          break;
        case 'per-request':
          results['per-request'] = await perRequestWorkload(ctx);
          break;
        case 'large-bodies':
          results['large-bodies'] = await largeBodiesWorkload(ctx, options.largeRuns);
          break;
      }
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const rows: Row[] = WORKLOADS.flatMap((w) => results[w]?.rows ?? []);
  const table = formatTable(rows);
  const report = {
    date: started.toISOString(),
    commit: gitCommit(),
    machine: { ...machine, loadAverageAfter: os.loadavg() },
    codeCache,
    cli: options.cli,
    options: { ...options, out: undefined },
    rows: rows.map((r) => ({ ...r, met: passes(r) })),
    table,
    raw: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.raw])),
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    `${JSON.stringify(report, (_, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v), 2)}\n`,
  );
  process.stdout.write(
    `\n${table}\n\n${started.toISOString().slice(0, 10)}, node ${process.version}, ${machine.cpus} CPUs (${machine.cpuModel}), medians of ${options.runs} runs per side (start-up ${options.runs * 3}, fan-out ${options.fanOutRuns}, memory ${options.memoryRuns}, large bodies ${options.largeRuns}, scale ${options.scaleRuns} warm, each after a local run); load average before ${machine.loadAverageBefore.map((l) => l.toFixed(2)).join(' ')}, after ${report.machine.loadAverageAfter.map((l) => l.toFixed(2)).join(' ')}\nwritten to ${options.out}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
