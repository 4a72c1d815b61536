import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, inTurn, type BenchContext, type WorkloadResult } from '../context.js';
import { rowsOf, type Row } from '../row.js';
import type { ProcessSample } from '../measure-process.js';
import { pollTiming } from '../poll-timing.js';
import { max, median, min, percentile } from '../stats.js';
import { fanOutSuites, startupSuite } from '../suites.js';

/** One size of the fan-out: how many polls at once, at what interval. */
export interface FanOutSize {
  /** Polls (tests) at once. */
  readonly polls: number;
  /** Wait between a response and the next attempt, in ms. */
  readonly intervalMs: number;
}

/** Options of {@link fanOutWorkload}. */
export interface FanOutOptions {
  /** Sizes measured, one after the other. Issue 17: 10,000 polls at 5 s and 1,000 at 1 s. */
  readonly sizes: readonly FanOutSize[];
  /** Runs per side and size. */
  readonly runs: number;
}

/** Issue 17's sizes, as `--fanout` takes them: `polls:intervalMs,...`. */
export const DEFAULT_FANOUT = '10000:5000,1000:1000';

/**
 * `--fanout 10000:5000,1000:1000` -> sizes. Throws on anything but positive integers.
 *
 * parseFanOutSizes('2000:100')   // [{ polls: 2000, intervalMs: 100 }]
 */
export function parseFanOutSizes(text: string): FanOutSize[] {
  return text.split(',').map((part) => {
    const [polls, intervalMs, ...rest] = part.trim().split(':').map(Number);
    if (rest.length > 0 || !Number.isInteger(polls) || !Number.isInteger(intervalMs) || (polls as number) < 1 || (intervalMs as number) < 1)
      throw new Error(`--fanout: polls:interval_ms,... with positive integers, got ${JSON.stringify(part)}`);
    return { polls: polls as number, intervalMs: intervalMs as number };
  });
}

/** About 0.9 MB of YAML per file: suite files are limited to 2 MiB. */
const TESTS_PER_FILE = 2500;
/** Every poll is done on its 5th attempt. */
const ATTEMPTS = 5;
/** Issue 17: p95 lateness at most the floor's + 25 ms... */
const MAX_EXTRA_LATENESS_MS = 25;
/** ...and peak RSS at most 1.5x the floor's. */
const MAX_RSS_RATIO = 1.5;

/** What one fan-out run came to, as the server saw it. */
interface FanOutRun {
  readonly sample: ProcessSample;
  /** Every poll completed and the server saw exactly tests * 5 requests, 5 per poll. */
  readonly exact: boolean;
  readonly requests: number;
  /** Lateness of attempts 2..5 (arrival minus previous response's end plus the interval): p50, p95, max. */
  readonly lateness: { readonly p50: number; readonly p95: number; readonly max: number };
  /** First attempts: arrival minus the earliest first arrival (the ramp of sending them all): p95, max. */
  readonly firstSpread: { readonly p95: number; readonly max: number };
}

/**
 * Fan-out, at each size of `options.sizes`: `polls` tests polling at once in one process
 * (`--concurrency polls`; the tests are split over suite files of 2,500, which one run runs
 * concurrently), each completing on its 5th attempt at `intervalMs`, against the floor running as
 * many bare polling loops at once. Checks that all pass and that the server saw exactly 5
 * requests per poll; derives the lateness of attempts 2-5 from the server's records (target,
 * issue 17: p95 at most the floor's + 25 ms), the peak RSS (at most 1.5x the floor's) and the
 * memory per poll: (peak RSS - peak RSS of the one-GET start-up suite) / polls.
 *
 * A third side is the design card's pipeline alone (bench/floor/card-fanout.mjs: the same suite
 * files parsed with `yaml` and decoded with io-ts, axios with its own Node adapter, each poll
 * `defer(request)` + `expand` + `takeWhile` + `timeout` + `take`, the tests a `mergeMap` of
 * `mergeScan`s, nothing of ours), so that the table tells what of our peak RSS and lateness the
 * design itself costs.
 */
export async function fanOutWorkload(ctx: BenchContext, options: FanOutOptions): Promise<WorkloadResult> {
  const rows: Row[] = [];
  const raw: unknown[] = [];
  let baseline: { ours: ProcessSample[]; floor: ProcessSample[] } | undefined;
  for (const size of options.sizes) {
    const result = await fanOutSize(ctx, size, options.runs, async () => (baseline ??= await measureBaseline(ctx)));
    rows.push(...result.rows);
    raw.push(result.raw);
  }
  return { rows, raw: { sizes: raw, baseline } };
}

/** The peak RSS of the one-GET start-up suite, ours and the floor's, 3 runs each. */
async function measureBaseline(ctx: BenchContext): Promise<{ ours: ProcessSample[]; floor: ProcessSample[] }> {
  const baselineFile = join(ctx.dir, 'fan-out-baseline.yaml');
  writeFileSync(baselineFile, startupSuite(ctx.server.url));
  const baseline = { ours: [] as ProcessSample[], floor: [] as ProcessSample[] };
  for (let i = 0; i < 3; i++) {
    const o = await ctx.ours(['run', '-f', baselineFile]);
    expectSuccess(o, 'rocketship run (fan-out baseline)');
    baseline.ours.push(o);
    const f = await ctx.floor('startup.mjs', [`${ctx.server.url}/ok/1`]);
    expectSuccess(f, 'floor (fan-out baseline)');
    baseline.floor.push(f);
  }
  return baseline;
}

async function fanOutSize(
  ctx: BenchContext,
  size: FanOutSize,
  runs: number,
  baselineOf: () => Promise<{ ours: ProcessSample[]; floor: ProcessSample[] }>,
): Promise<WorkloadResult> {
  const { polls: tests, intervalMs } = size;
  const files = fanOutSuites(ctx.server.url, tests, { intervalMs, attempts: ATTEMPTS, perFile: TESTS_PER_FILE }).map((text, i) => {
    const file = join(ctx.dir, `fan-out-${tests}-${intervalMs}-${i + 1}.yaml`);
    writeFileSync(file, text);
    return file;
  });

  const ours: FanOutRun[] = [];
  const floor: FanOutRun[] = [];
  const card: FanOutRun[] = [];
  const floorArgs = [ctx.server.url, String(tests), String(intervalMs), String(ATTEMPTS)];
  for (let i = 0; i < runs; i++) {
    const sides = [
      async () =>
        ours.push(
          await measure(
            ctx,
            size,
            () => ctx.ours(['run', ...files.flatMap((f) => ['-f', f]), '--concurrency', String(tests)]),
            `rocketship run (fan-out ${tests})`,
          ),
        ),
      async () => floor.push(await measure(ctx, size, () => ctx.floor('fanout.mjs', floorArgs), `floor (fan-out ${tests})`)),
      async () =>
        card.push(await measure(ctx, size, () => ctx.floor('card-fanout.mjs', files), `the card's pipeline alone (fan-out ${tests})`)),
    ];
    await inTurn(i, sides);
    const line = (r: FanOutRun | undefined) =>
      `${r?.sample.wallMs.toFixed(0)} ms, p95 lateness ${r?.lateness.p95.toFixed(1)} ms, ${r?.sample.peakRssMb?.toFixed(0)} MB`;
    ctx.log(
      `fan-out ${tests} x ${intervalMs} ms, run ${i + 1}/${runs}: ours ${line(ours.at(-1))}; floor ${line(floor.at(-1))}; the card's pipeline alone ${line(card.at(-1))}`,
    );
  }
  const baseline = await baselineOf();

  const med = (runs: FanOutRun[], f: (r: FanOutRun) => number) => median(runs.map(f));
  const rss = (runs: FanOutRun[]) => med(runs, (r) => r.sample.peakRssMb ?? NaN);
  const baseRss = (s: ProcessSample[]) => median(s.map((x) => x.peakRssMb ?? NaN));
  const perPollKb = (runs: FanOutRun[], base: ProcessSample[]) => ((rss(runs) - baseRss(base)) * 1024) / tests;
  const label = `fan-out ${tests.toLocaleString('en-US')} polls, ${intervalMs >= 1000 && intervalMs % 1000 === 0 ? `${intervalMs / 1000} s` : `${intervalMs} ms`}`;
  const row = rowsOf(label);
  const cardAlone = ", the card's pipeline alone";
  /** The median of `f` over ours and over the floor's runs. */
  const medians = (f: (r: FanOutRun) => number) => [med(ours, f), med(floor, f)] as const;
  return {
    rows: [
      row(
        'all passed, requests exact',
        '',
        ours.every((r) => r.exact),
        floor.every((r) => r.exact),
        { kind: 'holds' },
      ),
      row('wall time', 'ms', ...medians((r) => r.sample.wallMs)),
      row('p95 lateness, attempts 2-5', 'ms', ...medians((r) => r.lateness.p95), { kind: 'diff', max: MAX_EXTRA_LATENESS_MS }),
      row('max lateness, attempts 2-5', 'ms', ...medians((r) => r.lateness.max)),
      row('p95 spread of first attempts', 'ms', ...medians((r) => r.firstSpread.p95)),
      row('peak RSS', 'MB', rss(ours), rss(floor), { kind: 'ratio', max: MAX_RSS_RATIO }),
      row('memory per poll (peak RSS)', 'KB', perPollKb(ours, baseline.ours), perPollKb(floor, baseline.floor)),
      row(
        `all passed, requests exact${cardAlone}`,
        '',
        card.every((r) => r.exact),
        floor.every((r) => r.exact),
      ),
      row(
        `p95 lateness, attempts 2-5${cardAlone}`,
        'ms',
        med(card, (r) => r.lateness.p95),
        med(floor, (r) => r.lateness.p95),
      ),
      row(`peak RSS${cardAlone}`, 'MB', rss(card), rss(floor)),
    ],
    raw: { tests, intervalMs, attempts: ATTEMPTS, ours, floor, card },
  };
}

async function measure(ctx: BenchContext, size: FanOutSize, run: () => Promise<ProcessSample>, what: string): Promise<FanOutRun> {
  const { polls: tests, intervalMs } = size;
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
    lateness.push(...pollTiming(records, intervalMs, 1).lateness);
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
