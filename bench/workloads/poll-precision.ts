import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, type BenchContext, type WorkloadResult } from '../context.js';
import type { ProcessSample } from '../measure-process.js';
import { pollTiming, type PollTiming } from '../poll-timing.js';
import type { Row } from '../row.js';
import { median, percentile } from '../stats.js';
import { pollSuite } from '../suites.js';

/** A poll schedule to measure. */
export interface PollSchedule {
  readonly label: string;
  readonly intervalMs: number;
  readonly coefficient: number;
  /** The server answers `done` on this attempt. */
  readonly attempts: number;
}

/** The two schedules of issue 6: a constant 10 ms interval, and a backoff growing by 1.5 from 10 ms. */
export const POLL_SCHEDULES: readonly PollSchedule[] = [
  { label: 'poll 10 ms x 50', intervalMs: 10, coefficient: 1, attempts: 50 },
  // 12 attempts: the waits grow from 10 ms to 577 ms (1.7 s per poll); 50 would take days.
  { label: 'poll backoff 1.5 x 12', intervalMs: 10, coefficient: 1.5, attempts: 12 },
];

/**
 * Poll precision: one poll until the server says `done` on attempt N, our CLI (a suite with one
 * polling step) against the floor (a loop sleeping the same waits after each response). The
 * server records when each request arrived; the gaps between arrivals (pooled over every run)
 * are compared, median and p95. For the backoff schedule the gaps grow, so what is compared is
 * each gap minus its scheduled wait ("extra"); for the constant schedule that is the gap - 10 ms.
 */
export async function pollPrecisionWorkload(ctx: BenchContext): Promise<WorkloadResult> {
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  for (const schedule of POLL_SCHEDULES) {
    const ours: PollTiming[] = [];
    const floor: PollTiming[] = [];
    const samples: { ours: ProcessSample[]; floor: ProcessSample[] } = { ours: [], floor: [] };
    for (let i = 0; i < ctx.runs; i++) {
      const pair = [
        async () => {
          const key = `p-${schedule.coefficient}-ours-${i}`;
          const file = join(ctx.dir, `${key}.yaml`);
          writeFileSync(file, pollSuite(ctx.server.url, key, schedule));
          const { sample, timing } = await measurePoll(
            ctx,
            key,
            schedule,
            () => ctx.ours(['run', '-f', file]),
            `rocketship run (${schedule.label})`,
          );
          samples.ours.push(sample);
          ours.push(timing);
        },
        async () => {
          const key = `p-${schedule.coefficient}-floor-${i}`;
          const url = `${ctx.server.url}/poll/${key}?done=${schedule.attempts}`;
          const { sample, timing } = await measurePoll(
            ctx,
            key,
            schedule,
            () => ctx.floor('poll.mjs', [url, String(schedule.intervalMs), String(schedule.coefficient)]),
            `floor (${schedule.label})`,
          );
          samples.floor.push(sample);
          floor.push(timing);
        },
      ];
      for (const run of i % 2 === 0 ? pair : pair.reverse()) await run();
    }
    const pooled = (t: PollTiming[], f: (x: PollTiming) => readonly number[]) => t.flatMap(f);
    const constant = schedule.coefficient === 1;
    const pick = (x: PollTiming) => (constant ? x.gaps : x.extras);
    const what = constant ? 'gap between requests' : 'gap minus scheduled wait';
    const [o, f] = [pooled(ours, pick), pooled(floor, pick)];
    rows.push(
      {
        workload: schedule.label,
        metric: `median ${what}`,
        unit: 'ms',
        ours: median(o),
        floor: median(f),
        target: { kind: 'diff', max: 1 },
      },
      {
        workload: schedule.label,
        metric: `p95 ${what}`,
        unit: 'ms',
        ours: percentile(o, 95),
        floor: percentile(f, 95),
        target: { kind: 'diff', max: 3 },
      },
    );
    ctx.log(
      `${schedule.label}: ${what} median ours ${median(o).toFixed(2)} / floor ${median(f).toFixed(2)} ms, p95 ${percentile(o, 95).toFixed(2)} / ${percentile(f, 95).toFixed(2)} ms`,
    );
    raw[schedule.label] = { schedule, ours, floor, samples };
  }
  return { rows, raw };
}

async function measurePoll(
  ctx: BenchContext,
  key: string,
  schedule: PollSchedule,
  run: () => Promise<ProcessSample>,
  what: string,
): Promise<{ sample: ProcessSample; timing: PollTiming }> {
  await ctx.server.reset();
  const sample = await run();
  expectSuccess(sample, what);
  const records = (await ctx.server.records()).polls[key] ?? [];
  if (records.length !== schedule.attempts)
    throw new Error(`${what}: the server saw ${records.length} attempts, expected ${schedule.attempts}`);
  return { sample, timing: pollTiming(records, schedule.intervalMs, schedule.coefficient) };
}
