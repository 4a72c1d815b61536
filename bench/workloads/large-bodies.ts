import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, type BenchContext, type WorkloadResult } from '../context.js';
import type { ProcessSample } from '../measure-process.js';
import type { Row } from '../row.js';
import { median } from '../stats.js';
import { fanOutSuites } from '../suites.js';

/** Issue 17, point 4: 50 polls at once of a 10 MB JSON body... */
const POLLS = 50;
/** ...each done on its 5th attempt, 50 ms apart... */
const ATTEMPTS = 5;
const INTERVAL_MS = 50;
/** ...under 1.2 GB of peak RSS. */
const MAX_PEAK_RSS_MB = 1200;

/** One run of either side, as the server saw it. */
interface LargeBodiesRun {
  readonly sample: ProcessSample;
  /** Every poll completed and the server saw exactly 5 requests per poll. */
  readonly exact: boolean;
  readonly requests: number;
}

/**
 * Large bodies (issue 17, point 4): 50 tests polling at once, each GETting a 9.9 MiB JSON body
 * (bench/server.mjs's /big/) until its `status` is `done` on the 5th attempt, as a whole process
 * (`--concurrency 50`), against the floor (bench/floor/fanout.mjs: bare `node:http` loops that
 * read each body whole and `JSON.parse` it). Checks that all pass with exactly 5 requests per
 * poll; the target is our peak RSS under 1.2 GB, the floor's shown beside it. `runs` per side.
 */
export async function largeBodiesWorkload(ctx: BenchContext, runs: number): Promise<WorkloadResult> {
  const [text] = fanOutSuites(ctx.server.url, POLLS, { intervalMs: INTERVAL_MS, attempts: ATTEMPTS, perFile: POLLS, prefix: 'big/big-' });
  const file = join(ctx.dir, 'large-bodies.yaml');
  writeFileSync(file, text ?? '');
  const ours: LargeBodiesRun[] = [];
  const floor: LargeBodiesRun[] = [];
  for (let i = 0; i < runs; i++) {
    const pair = [
      async () =>
        ours.push(await measure(ctx, () => ctx.ours(['run', '-f', file, '--concurrency', String(POLLS)]), 'rocketship run (large bodies)')),
      async () =>
        floor.push(
          await measure(
            ctx,
            () => ctx.floor('fanout.mjs', [ctx.server.url, String(POLLS), String(INTERVAL_MS), String(ATTEMPTS), 'big/big-']),
            'floor (large bodies)',
          ),
        ),
    ];
    for (const run of i % 2 === 0 ? pair : pair.reverse()) await run();
    const [o, f] = [ours.at(-1)?.sample, floor.at(-1)?.sample];
    ctx.log(
      `large bodies, run ${i + 1}/${runs}: ours ${o?.wallMs.toFixed(0)} ms, ${o?.peakRssMb?.toFixed(0)} MB; floor ${f?.wallMs.toFixed(0)} ms, ${f?.peakRssMb?.toFixed(0)} MB`,
    );
  }
  const med = (side: LargeBodiesRun[], f: (r: LargeBodiesRun) => number) => median(side.map(f));
  const workload = `large bodies, ${POLLS} polls of 9.9 MiB`;
  const figure = (metric: string, unit: string, f: (r: LargeBodiesRun) => number, target: Row['target']): Row => ({
    workload,
    metric,
    unit,
    ours: med(ours, f),
    floor: med(floor, f),
    target,
  });
  return {
    rows: [
      {
        workload,
        metric: 'all passed, requests exact',
        unit: '',
        ours: ours.every((r) => r.exact),
        floor: floor.every((r) => r.exact),
        target: { kind: 'holds' },
      },
      figure('wall time', 'ms', (r) => r.sample.wallMs, { kind: 'none' }),
      figure('CPU time (user+sys)', 'ms', (r) => r.sample.cpuMs ?? NaN, { kind: 'none' }),
      figure('peak RSS', 'MB', (r) => r.sample.peakRssMb ?? NaN, { kind: 'below', max: MAX_PEAK_RSS_MB }),
    ],
    raw: { polls: POLLS, attempts: ATTEMPTS, intervalMs: INTERVAL_MS, ours, floor },
  };
}

async function measure(ctx: BenchContext, run: () => Promise<ProcessSample>, what: string): Promise<LargeBodiesRun> {
  await ctx.server.reset();
  const sample = await run();
  expectSuccess(sample, what);
  const { requests, polls } = await ctx.server.records();
  const exact =
    requests === POLLS * ATTEMPTS && Array.from({ length: POLLS }, (_, i) => polls[`big-${i}`]?.length).every((n) => n === ATTEMPTS);
  return { sample, exact, requests };
}
