import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, type BenchContext, type WorkloadResult } from '../context.js';
import type { ProcessSample } from '../measure-process.js';
import { pollTiming } from '../poll-timing.js';
import { max, median, min, percentile } from '../stats.js';
import { fanOutSuites, startupSuite } from '../suites.js';

/** Options of {@link fanOutWorkload}. */
export interface FanOutOptions {
  /** Polls (tests) at once. Issue 6: 10,000. */
  readonly tests: number;
  /** Runs per side. */
  readonly runs: number;
}

const INTERVAL_MS = 100;
/** About 0.9 MB of YAML per file: suite files are limited to 2 MiB. */
const TESTS_PER_FILE = 2500;
const ATTEMPTS = 5;

/** What one fan-out run came to, as the server saw it. */
interface FanOutRun {
  readonly sample: ProcessSample;
  /** Every poll completed and the server saw exactly tests * 5 requests, 5 per poll. */
  readonly exact: boolean;
  readonly requests: number;
  /** Lateness of attempts 2..5 (arrival minus previous response's end plus 100 ms): p50, p95, max. */
  readonly lateness: { readonly p50: number; readonly p95: number; readonly max: number };
  /** First attempts: arrival minus the earliest first arrival (the ramp of sending them all): p95, max. */
  readonly firstSpread: { readonly p95: number; readonly max: number };
}

/**
 * Fan-out: `tests` tests polling at once in one process (`--concurrency tests`; the tests are
 * split over suite files of 2,500, which one run runs concurrently), each completing
 * on its 5th attempt at 100 ms, against the floor running as many bare polling loops at once.
 * Checks that all pass and that the server saw exactly 5 requests per poll; derives the lateness
 * of attempts 2-5 from the server's records (p95 target < 20 ms), the peak RSS (< 500 MB) and
 * the memory per poll in flight: (peak RSS - peak RSS of the one-GET start-up suite) / tests.
 */
export async function fanOutWorkload(ctx: BenchContext, options: FanOutOptions): Promise<WorkloadResult> {
  const { tests } = options;
  const files = fanOutSuites(ctx.server.url, tests, { intervalMs: INTERVAL_MS, attempts: ATTEMPTS, perFile: TESTS_PER_FILE }).map(
    (text, i) => {
      const file = join(ctx.dir, `fan-out-${i + 1}.yaml`);
      writeFileSync(file, text);
      return file;
    },
  );
  const baselineFile = join(ctx.dir, 'fan-out-baseline.yaml');
  writeFileSync(baselineFile, startupSuite(ctx.server.url));

  const ours: FanOutRun[] = [];
  const floor: FanOutRun[] = [];
  for (let i = 0; i < options.runs; i++) {
    const pair = [
      async () =>
        ours.push(
          await measure(
            ctx,
            tests,
            () => ctx.ours(['run', ...files.flatMap((f) => ['-f', f]), '--concurrency', String(tests)]),
            `rocketship run (fan-out ${tests})`,
          ),
        ),
      async () =>
        floor.push(
          await measure(
            ctx,
            tests,
            () => ctx.floor('fanout.mjs', [ctx.server.url, String(tests), String(INTERVAL_MS), String(ATTEMPTS)]),
            `floor (fan-out ${tests})`,
          ),
        ),
    ];
    for (const run of i % 2 === 0 ? pair : pair.reverse()) await run();
    ctx.log(
      `fan-out run ${i + 1}/${options.runs}: ours ${ours.at(-1)?.sample.wallMs.toFixed(0)} ms, p95 lateness ${ours.at(-1)?.lateness.p95.toFixed(1)} ms, ${ours.at(-1)?.sample.peakRssMb?.toFixed(0)} MB; floor ${floor.at(-1)?.sample.wallMs.toFixed(0)} ms, ${floor.at(-1)?.lateness.p95.toFixed(1)} ms, ${floor.at(-1)?.sample.peakRssMb?.toFixed(0)} MB`,
    );
  }
  const baseline = { ours: [] as ProcessSample[], floor: [] as ProcessSample[] };
  for (let i = 0; i < 3; i++) {
    const o = await ctx.ours(['run', '-f', baselineFile]);
    expectSuccess(o, 'rocketship run (fan-out baseline)');
    baseline.ours.push(o);
    const f = await ctx.floor('startup.mjs', [`${ctx.server.url}/ok/1`]);
    expectSuccess(f, 'floor (fan-out baseline)');
    baseline.floor.push(f);
  }

  const med = (runs: FanOutRun[], f: (r: FanOutRun) => number) => median(runs.map(f));
  const rss = (runs: FanOutRun[]) => med(runs, (r) => r.sample.peakRssMb ?? NaN);
  const baseRss = (s: ProcessSample[]) => median(s.map((x) => x.peakRssMb ?? NaN));
  const perPollKb = (runs: FanOutRun[], base: ProcessSample[]) => ((rss(runs) - baseRss(base)) * 1024) / tests;
  const label = `fan-out ${tests.toLocaleString('en-US')} polls`;
  return {
    rows: [
      {
        workload: label,
        metric: 'all passed, requests exact',
        unit: '',
        ours: ours.every((r) => r.exact),
        floor: floor.every((r) => r.exact),
        target: { kind: 'holds' },
      },
      {
        workload: label,
        metric: 'wall time',
        unit: 'ms',
        ours: med(ours, (r) => r.sample.wallMs),
        floor: med(floor, (r) => r.sample.wallMs),
        target: { kind: 'none' },
      },
      {
        workload: label,
        metric: 'p95 lateness, attempts 2-5',
        unit: 'ms',
        ours: med(ours, (r) => r.lateness.p95),
        floor: med(floor, (r) => r.lateness.p95),
        target: { kind: 'below', max: 20 },
      },
      {
        workload: label,
        metric: 'max lateness, attempts 2-5',
        unit: 'ms',
        ours: med(ours, (r) => r.lateness.max),
        floor: med(floor, (r) => r.lateness.max),
        target: { kind: 'none' },
      },
      {
        workload: label,
        metric: 'p95 spread of first attempts',
        unit: 'ms',
        ours: med(ours, (r) => r.firstSpread.p95),
        floor: med(floor, (r) => r.firstSpread.p95),
        target: { kind: 'none' },
      },
      { workload: label, metric: 'peak RSS', unit: 'MB', ours: rss(ours), floor: rss(floor), target: { kind: 'below', max: 500 } },
      {
        workload: label,
        metric: 'memory per poll in flight',
        unit: 'KB',
        ours: perPollKb(ours, baseline.ours),
        floor: perPollKb(floor, baseline.floor),
        target: { kind: 'none' },
      },
    ],
    raw: { tests, intervalMs: INTERVAL_MS, attempts: ATTEMPTS, ours, floor, baseline },
  };
}

async function measure(ctx: BenchContext, tests: number, run: () => Promise<ProcessSample>, what: string): Promise<FanOutRun> {
  await ctx.server.reset();
  const sample = await run();
  expectSuccess(sample, what);
  const { requests, polls } = await ctx.server.records();
  let exact = requests === tests * ATTEMPTS;
  const lateness: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < tests; i++) {
    const records = polls[`fan-${i}`] ?? [];
    if (records.length !== ATTEMPTS) exact = false;
    if (records[0] !== undefined) firsts.push(records[0][0]);
    lateness.push(...pollTiming(records, INTERVAL_MS, 1).lateness);
  }
  const start = min(firsts);
  const spread = firsts.map((t) => t - start);
  return {
    sample,
    exact,
    requests,
    lateness: { p50: median(lateness), p95: percentile(lateness, 95), max: max(lateness) },
    firstSpread: { p95: percentile(spread, 95), max: max(spread) },
  };
}
