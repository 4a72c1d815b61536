import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, type BenchContext, type WorkloadResult } from '../context.js';
import type { ProcessSample } from '../measure-process.js';
import { median } from '../stats.js';
import type { Row, Target } from '../row.js';
import { sequentialSuite } from '../suites.js';
import { cardBundle } from '../card-bundle.js';

/** Steps of the sequential workload. */
export const SEQUENTIAL_STEPS = 1000;
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
 */
export async function sequentialWorkload(ctx: BenchContext): Promise<WorkloadResult> {
  const file = join(ctx.dir, 'sequential.yaml');
  writeFileSync(file, sequentialSuite(ctx.server.url, SEQUENTIAL_STEPS));
  const ours: ProcessSample[] = [];
  const floor: ProcessSample[] = [];
  const libs: ProcessSample[] = [];
  const card: ProcessSample[] = [];
  const bundle = cardBundle(ctx.dir, ctx.server.url);
  for (let i = 0; i < ctx.runs; i++) {
    const sides = [
      async () => ours.push(await counted(ctx, () => ctx.ours(['run', '-f', file]), 'rocketship run (sequential)')),
      async () =>
        floor.push(await counted(ctx, () => ctx.floor('sequential.mjs', [ctx.server.url, String(SEQUENTIAL_STEPS)]), 'floor (sequential)')),
      async () => libs.push(await counted(ctx, () => ctx.floor('sequential-libs.mjs', [file]), 'yaml + axios only (sequential)')),
      async () =>
        card.push(await counted(ctx, () => ctx.floor('card-start.cjs', [bundle, file]), "the card's pipeline alone (sequential)")),
    ];
    // Turn which side goes first, so that none always follows another.
    for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]!();
  }
  const wall = (s: ProcessSample[]) => median(s.map((x) => x.wallMs));
  const cpu = (s: ProcessSample[]) => median(s.map((x) => x.cpuMs ?? NaN));
  const rss = (s: ProcessSample[]) => median(s.map((x) => x.peakRssMb ?? NaN));
  ctx.log(
    `sequential: ours ${wall(ours).toFixed(1)} ms, floor ${wall(floor).toFixed(1)} ms, yaml + axios only ${wall(libs).toFixed(1)} ms, the card alone ${wall(card).toFixed(1)} ms`,
  );
  const none: Target = { kind: 'none' };
  const row = (metric: string, unit: string, o: number, f: number | undefined, target: Target = none): Row => ({
    workload: 'sequential 1,000 GETs',
    metric,
    unit,
    ours: o,
    floor: f,
    target,
  });
  const perStep = (a: ProcessSample[], b: ProcessSample[], of: (s: ProcessSample[]) => number) => (of(a) - of(b)) / SEQUENTIAL_STEPS;
  return {
    rows: [
      row('wall time', 'ms', wall(ours), wall(floor), { kind: 'ratio', max: MAX_WALL_RATIO }),
      row('CPU time (user+sys)', 'ms', cpu(ours), cpu(floor)),
      row('peak RSS', 'MB', rss(ours), rss(floor)),
      row('wall, yaml + axios alone', 'ms', wall(libs), wall(floor)),
      row('CPU, yaml + axios alone', 'ms', cpu(libs), cpu(floor)),
      row('our code per step (wall, ours - yaml + axios alone)', 'ms', perStep(ours, libs, wall), undefined, {
        kind: 'atMost',
        max: MAX_OWN_MS_PER_STEP,
      }),
      row("wall, the card's pipeline alone", 'ms', wall(card), wall(floor)),
      row("CPU, the card's pipeline alone", 'ms', cpu(card), cpu(floor)),
      row("our code per step (wall, ours - the card's pipeline alone)", 'ms', perStep(ours, card, wall), undefined),
      // CPU time moves less than wall time on a busy machine.
      row('our code per step (CPU, ours - yaml + axios alone)', 'ms', perStep(ours, libs, cpu), undefined),
    ],
    raw: { ours, floor, libs, card },
  };
}

async function counted(ctx: BenchContext, run: () => Promise<ProcessSample>, what: string): Promise<ProcessSample> {
  await ctx.server.reset();
  const sample = await run();
  expectSuccess(sample, what);
  const { requests } = await ctx.server.records();
  if (requests !== SEQUENTIAL_STEPS) throw new Error(`${what}: the server saw ${requests} requests, expected ${SEQUENTIAL_STEPS}`);
  return sample;
}
