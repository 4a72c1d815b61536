import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, inTurn, lastJsonLine, type BenchContext, type WorkloadResult } from '../context.js';
import type { ProcessSample } from '../measure-process.js';
import { median } from '../stats.js';
import { rowsOf } from '../row.js';
import { sequentialSuite } from '../suites.js';
import { cardBundle } from '../card-bundle.js';

/** Steps of the sequential workload. */
export const SEQUENTIAL_STEPS = 1000;
/**
 * Steps of its long run, which tells a step's own cost from what a process pays once (compiling
 * and warming up code): as many as fit in one suite file (at most 1 MiB: 4,000 steps against the
 * bench server's URL are 0.95 MB).
 */
export const LONG_SEQUENTIAL_STEPS = 4000;
/** Issue 17: our whole run at most 1.8x the floor's wall time... */
const MAX_WALL_RATIO = 1.8;
/** ...and our own code (our wall time minus that of yaml + axios used bare) at most 0.08 ms per step. */
const MAX_OWN_MS_PER_STEP = 0.08;

/**
 * Sequential: one test of 1,000 GET steps, each with a status and a json_path assertion, as a
 * whole process, against the floor doing the same 1,000 GETs in a loop. The server must have
 * seen exactly 1,000 requests per run.
 *
 * A third process shows what the card's libraries cost on their own (bench/floor/sequential-libs.mjs:
 * the same suite parsed with `yaml`, the same GETs sent with `axios`, none of our code), so the
 * table tells the libraries' share of the gap from ours. A fourth is the design card's pipeline
 * alone (bench/floor/card.mjs, bundled and code-cached as our CLI is: those libraries plus io-ts
 * decoding, RxJS's `mergeScan` over the steps and jsonpath for the field).
 *
 * Ours, the libraries alone and the card also run a suite of {@link LONG_SEQUENTIAL_STEPS} steps.
 * What a step beyond the first 1,000 adds to each side's wall time is a step's own cost; the
 * rest of the 1,000-step figure is what the process pays once, whatever the number of steps
 * (V8 runs new code in its interpreter until it has warmed up, and our code path per step is
 * longer than the libraries'). The rows "per step beyond the first 1,000" and "paid once" split
 * our code's share of the gap that way.
 *
 * A last process only parses the 1,000-step file with `yaml` (bench/floor/parse-suite.mjs), as
 * every side but the floor does before its first request: its time, shown against the floor's
 * whole run, is what the card's parser takes of the time the 1.8x target allows.
 *
 * The server's clock also times the steps as they run, from the first step's request to the
 * 1,000th's and from there to the 4,000th's, without start-up, decoding and exit (see
 * {@link SequentialRun}): the rows "as steps ... run" compare those spans, per step, which tells
 * the warm-up of the run (the first 1,000) from its steady pace (the 3,000 after them).
 */
export async function sequentialWorkload(ctx: BenchContext): Promise<WorkloadResult> {
  const file = join(ctx.dir, 'sequential.yaml');
  writeFileSync(file, sequentialSuite(ctx.server.url, SEQUENTIAL_STEPS));
  const ours: SequentialRun[] = [];
  const floor: SequentialRun[] = [];
  const libs: SequentialRun[] = [];
  const card: SequentialRun[] = [];
  const longFile = join(ctx.dir, 'sequential-long.yaml');
  writeFileSync(longFile, sequentialSuite(ctx.server.url, LONG_SEQUENTIAL_STEPS));
  const oursLong: SequentialRun[] = [];
  const libsLong: SequentialRun[] = [];
  const cardLong: SequentialRun[] = [];
  /** In-process ms of `yaml` parsing the 1,000-step file, one fresh process a run (bench/floor/parse-suite.mjs). */
  const parse: number[] = [];
  const bundle = cardBundle(ctx.dir, ctx.server.url);
  const long = ` (sequential, ${LONG_SEQUENTIAL_STEPS} steps)`;
  for (let i = 0; i < ctx.runs; i++) {
    const sides = [
      async () => ours.push(await counted(ctx, () => ctx.ours(['run', '-f', file]), 'rocketship run (sequential)')),
      async () =>
        floor.push(await counted(ctx, () => ctx.floor('sequential.mjs', [ctx.server.url, String(SEQUENTIAL_STEPS)]), 'floor (sequential)')),
      async () => libs.push(await counted(ctx, () => ctx.floor('sequential-libs.mjs', [file]), 'yaml + axios only (sequential)')),
      async () =>
        card.push(await counted(ctx, () => ctx.floor('card-start.cjs', [bundle, file]), "the card's pipeline alone (sequential)")),
      async () =>
        oursLong.push(await counted(ctx, () => ctx.ours(['run', '-f', longFile]), `rocketship run${long}`, LONG_SEQUENTIAL_STEPS)),
      async () =>
        libsLong.push(
          await counted(ctx, () => ctx.floor('sequential-libs.mjs', [longFile]), `yaml + axios only${long}`, LONG_SEQUENTIAL_STEPS),
        ),
      async () =>
        cardLong.push(
          await counted(
            ctx,
            () => ctx.floor('card-start.cjs', [bundle, longFile]),
            `the card's pipeline alone${long}`,
            LONG_SEQUENTIAL_STEPS,
          ),
        ),
      async () => parse.push(await parseAlone(ctx, file)),
    ];
    await inTurn(i, sides);
  }
  const wall = (s: ProcessSample[]) => median(s.map((x) => x.wallMs));
  const cpu = (s: ProcessSample[]) => median(s.map((x) => x.cpuMs ?? NaN));
  const rss = (s: ProcessSample[]) => median(s.map((x) => x.peakRssMb ?? NaN));
  ctx.log(
    `sequential: ours ${wall(ours).toFixed(1)} ms, floor ${wall(floor).toFixed(1)} ms, yaml + axios only ${wall(libs).toFixed(1)} ms, the card alone ${wall(card).toFixed(1)} ms; ${LONG_SEQUENTIAL_STEPS} steps: ours ${wall(oursLong).toFixed(1)} ms, yaml + axios only ${wall(libsLong).toFixed(1)} ms, the card alone ${wall(cardLong).toFixed(1)} ms`,
  );
  const row = rowsOf('sequential 1,000 GETs');
  const perStep = (a: ProcessSample[], b: ProcessSample[], of: (s: ProcessSample[]) => number) => (of(a) - of(b)) / SEQUENTIAL_STEPS;
  /** What a step beyond the first 1,000 adds to `a`'s wall time over `b`'s (ms). */
  const beyond = (a: ProcessSample[], aLong: ProcessSample[], b: ProcessSample[], bLong: ProcessSample[]) =>
    (wall(aLong) - wall(a) - (wall(bLong) - wall(b))) / (LONG_SEQUENTIAL_STEPS - SEQUENTIAL_STEPS);
  /** What `a` pays over `b` once per process, whatever the steps: the 1,000-step gap less 1,000 steps at {@link beyond}'s cost (ms). */
  const once = (a: ProcessSample[], aLong: ProcessSample[], b: ProcessSample[], bLong: ProcessSample[]) =>
    wall(a) - wall(b) - SEQUENTIAL_STEPS * beyond(a, aLong, b, bLong);
  /** What a step adds to `a` over `b` as the first 1,000 run (ms): the spans between their first and 1,000th requests. */
  const runningFirst = (a: SequentialRun[], b: SequentialRun[]) =>
    (median(a.map((r) => r.running.firstMs)) - median(b.map((r) => r.running.firstMs))) / (SEQUENTIAL_STEPS - 1);
  /** What a step adds to `a` over `b` as steps 1,001 to 4,000 run (ms), from the long runs. */
  const runningRest = (a: SequentialRun[], b: SequentialRun[]) =>
    (median(a.map((r) => r.running.restMs ?? NaN)) - median(b.map((r) => r.running.restMs ?? NaN))) /
    (LONG_SEQUENTIAL_STEPS - SEQUENTIAL_STEPS);
  return {
    rows: [
      row('wall time', 'ms', wall(ours), wall(floor), { kind: 'ratio', max: MAX_WALL_RATIO }),
      row('CPU time (user+sys)', 'ms', cpu(ours), cpu(floor)),
      row('peak RSS', 'MB', rss(ours), rss(floor)),
      row('wall, yaml + axios alone', 'ms', wall(libs), wall(floor)),
      row('CPU, yaml + axios alone', 'ms', cpu(libs), cpu(floor)),
      // Paid by every side but the floor before its first request: what the card's parser alone
      // takes of the time the target allows.
      row('yaml parsing the suite alone (in a fresh process, start and exit aside)', 'ms', median(parse), wall(floor)),
      row('our code per step (wall, ours - yaml + axios alone)', 'ms', perStep(ours, libs, wall), undefined, {
        kind: 'atMost',
        max: MAX_OWN_MS_PER_STEP,
      }),
      row("wall, the card's pipeline alone", 'ms', wall(card), wall(floor)),
      row("CPU, the card's pipeline alone", 'ms', cpu(card), cpu(floor)),
      row("our code per step (wall, ours - the card's pipeline alone)", 'ms', perStep(ours, card, wall), undefined),
      // CPU time moves less than wall time on a busy machine.
      row('our code per step (CPU, ours - yaml + axios alone)', 'ms', perStep(ours, libs, cpu), undefined),
      row(`wall, ours, ${LONG_SEQUENTIAL_STEPS} steps`, 'ms', wall(oursLong), undefined),
      row(`wall, yaml + axios alone, ${LONG_SEQUENTIAL_STEPS} steps`, 'ms', wall(libsLong), undefined),
      row(`wall, the card's pipeline alone, ${LONG_SEQUENTIAL_STEPS} steps`, 'ms', wall(cardLong), undefined),
      row(
        'our code per step beyond the first 1,000 (wall, ours - yaml + axios alone)',
        'ms',
        beyond(ours, oursLong, libs, libsLong),
        undefined,
      ),
      row(
        "our code per step beyond the first 1,000 (wall, ours - the card's pipeline alone)",
        'ms',
        beyond(ours, oursLong, card, cardLong),
        undefined,
      ),
      row('our code paid once per process (wall, ours - yaml + axios alone)', 'ms', once(ours, oursLong, libs, libsLong), undefined),
      row("our code paid once per process (wall, ours - the card's pipeline alone)", 'ms', once(ours, oursLong, card, cardLong), undefined),
      row(
        'our code per step as the first 1,000 run (wall between requests, ours - yaml + axios alone)',
        'ms',
        runningFirst(ours, libs),
        undefined,
      ),
      row(
        "our code per step as the first 1,000 run (wall between requests, ours - the card's pipeline alone)",
        'ms',
        runningFirst(ours, card),
        undefined,
      ),
      row(
        'our code per step as steps 1,001-4,000 run (wall between requests, ours - yaml + axios alone)',
        'ms',
        runningRest(oursLong, libsLong),
        undefined,
      ),
      row(
        "our code per step as steps 1,001-4,000 run (wall between requests, ours - the card's pipeline alone)",
        'ms',
        runningRest(oursLong, cardLong),
        undefined,
      ),
    ],
    raw: {
      ours,
      floor,
      libs,
      card,
      parseMs: parse,
      long: { steps: LONG_SEQUENTIAL_STEPS, ours: oursLong, libs: libsLong, card: cardLong },
    },
  };
}

/** `yaml` parsing `file` in a fresh process (bench/floor/parse-suite.mjs): the ms it reports. */
async function parseAlone(ctx: BenchContext, file: string): Promise<number> {
  const sample = await ctx.floor('parse-suite.mjs', [file]);
  expectSuccess(sample, 'yaml parsing the suite alone');
  const result = lastJsonLine(sample) as { parseMs?: unknown; steps?: unknown } | undefined;
  if (typeof result?.parseMs !== 'number' || result.steps !== SEQUENTIAL_STEPS)
    throw new Error(`yaml parsing the suite alone: unexpected output ${sample.stdoutTail}`);
  return result.parseMs;
}

/** One run of a side: its process, and its steps as they ran. */
interface SequentialRun extends ProcessSample {
  /**
   * As the server saw the steps' requests arrive (ms, its clock): from the first to the 1,000th
   * (`firstMs`), and in a long run from the 1,000th to the last (`restMs`). Start-up, decoding
   * and exit are outside both.
   */
  readonly running: { readonly firstMs: number; readonly restMs: number | undefined };
}

async function counted(
  ctx: BenchContext,
  run: () => Promise<ProcessSample>,
  what: string,
  steps: number = SEQUENTIAL_STEPS,
): Promise<SequentialRun> {
  await ctx.server.reset();
  const sample = await run();
  expectSuccess(sample, what);
  const { requests, okArrivals } = await ctx.server.records();
  if (requests !== steps || okArrivals.length !== steps)
    throw new Error(`${what}: the server saw ${requests} requests (${okArrivals.length} of /ok/), expected ${steps}`);
  const at = (i: number) => okArrivals[i] as number;
  const mark = SEQUENTIAL_STEPS - 1;
  return { ...sample, running: { firstMs: at(mark) - at(0), restMs: steps > SEQUENTIAL_STEPS ? at(steps - 1) - at(mark) : undefined } };
}
