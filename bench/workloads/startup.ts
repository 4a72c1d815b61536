import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, inTurn, type BenchContext, type WorkloadResult } from '../context.js';
import type { ProcessSample } from '../measure-process.js';
import type { Row } from '../row.js';
import { median } from '../stats.js';
import { startupJsonSuite, startupSuite } from '../suites.js';
import { cardBundle } from '../card-bundle.js';

/**
 * Start-up: a suite of one GET with a status assertion, as a whole process, against the floor
 * doing the same GET with bare `node:http`. Runs `3 * runs` times per side, in a turning order;
 * also `runs` times from dist/ instead of the bundle (`ROCKETSHIP_NO_BUNDLE=1`) for reference.
 *
 * A third side is the design card's pipeline alone (bench/floor/card.mjs: `yaml`, io-ts, RxJS,
 * axios and jsonpath doing the same run, nothing of ours), bundled and started with a code cache
 * as our CLI is: what any program built as the card says pays to start, so the table tells
 * that share of the gap from ours.
 *
 * The same three sides run a second suite, the same GET with a `json_path` check too (the floor
 * parses the body and checks the field; the card's pipeline has its own bundle, whose cache holds
 * jsonpath's code): the check most suites make, which costs the card's pipeline more at start
 * than it costs ours.
 */
export async function startupWorkload(ctx: BenchContext): Promise<WorkloadResult> {
  const file = join(ctx.dir, 'startup.yaml');
  writeFileSync(file, startupSuite(ctx.server.url));
  const ours: ProcessSample[] = [];
  const floor: ProcessSample[] = [];
  const fromDist: ProcessSample[] = [];
  const card: ProcessSample[] = [];
  const bundle = cardBundle(ctx.dir, ctx.server.url);
  const jsonFile = join(ctx.dir, 'startup-json.yaml');
  writeFileSync(jsonFile, startupJsonSuite(ctx.server.url));
  const oursJson: ProcessSample[] = [];
  const floorJson: ProcessSample[] = [];
  const cardJson: ProcessSample[] = [];
  const jsonBundle = cardBundle(ctx.dir, ctx.server.url, 'json');
  const n = ctx.runs * 3;
  for (let i = 0; i < n; i++) {
    const sides = [
      async () => ours.push(check(await ctx.ours(['run', '-f', file]), 'rocketship run (start-up)')),
      async () => floor.push(check(await ctx.floor('startup.mjs', [`${ctx.server.url}/ok/1`]), 'floor (start-up)')),
      async () => card.push(check(await ctx.floor('card-start.cjs', [bundle, file]), "the card's pipeline alone (start-up)")),
      async () => oursJson.push(check(await ctx.ours(['run', '-f', jsonFile]), 'rocketship run (start-up, json_path)')),
      async () =>
        floorJson.push(check(await ctx.floor('startup.mjs', [`${ctx.server.url}/ok/1`, '--json-n', '1']), 'floor (start-up, json_path)')),
      async () =>
        cardJson.push(check(await ctx.floor('card-start.cjs', [jsonBundle, jsonFile]), "the card's pipeline alone (start-up, json_path)")),
    ];
    await inTurn(i, sides);
    if (i % 3 === 0) fromDist.push(check(await ctx.ours(['run', '-f', file], { ROCKETSHIP_NO_BUNDLE: '1' }), 'rocketship run from dist/'));
  }
  const cpu = (s: ProcessSample[]) => median(s.map((x) => x.cpuMs ?? NaN));
  const rss = (s: ProcessSample[]) => median(s.map((x) => x.peakRssMb ?? NaN));
  ctx.log(
    `start-up: ours ${wall(ours).toFixed(1)} ms, floor ${wall(floor).toFixed(1)} ms, the card alone ${wall(card).toFixed(1)} ms; a json_path check too: ours ${wall(oursJson).toFixed(1)} ms, floor ${wall(floorJson).toFixed(1)} ms, the card alone ${wall(cardJson).toFixed(1)} ms; from dist/ ${wall(fromDist).toFixed(1)} ms`,
  );
  return {
    rows: [
      { workload: 'start-up', metric: 'wall time', unit: 'ms', ours: wall(ours), floor: wall(floor), target: { kind: 'ratio', max: 1.3 } },
      { workload: 'start-up', metric: 'CPU time (user+sys)', unit: 'ms', ours: cpu(ours), floor: cpu(floor), target: { kind: 'none' } },
      { workload: 'start-up', metric: 'peak RSS', unit: 'MB', ours: rss(ours), floor: rss(floor), target: { kind: 'none' } },
      ...cardRows(
        { ours, floor, card },
        {
          card: "wall time, the card's pipeline alone (bundled, code cache)",
          ours: "our code at start (wall, ours - the card's pipeline alone)",
        },
      ),
      {
        workload: 'start-up',
        metric: 'wall time, a json_path check too',
        unit: 'ms',
        ours: wall(oursJson),
        floor: wall(floorJson),
        target: { kind: 'none' },
      },
      ...cardRows(
        { ours: oursJson, floor: floorJson, card: cardJson },
        {
          card: "wall time, a json_path check too, the card's pipeline alone",
          ours: "our code at start, a json_path check too (wall, ours - the card's pipeline alone)",
        },
      ),
      {
        workload: 'start-up',
        metric: 'wall time, from dist/ (no bundle)',
        unit: 'ms',
        ours: wall(fromDist),
        floor: wall(floor),
        target: { kind: 'none' },
      },
    ],
    raw: { ours, floor, card, oursJson, floorJson, cardJson, fromDist },
  };
}

/** The card's pipeline against the floor, and our code at start over it (ours - the card's), for one suite's samples, under `metrics`. */
function cardRows(sides: Record<'ours' | 'floor' | 'card', ProcessSample[]>, metrics: Record<'card' | 'ours', string>): Row[] {
  return [
    {
      workload: 'start-up',
      metric: metrics.card,
      unit: 'ms',
      ours: wall(sides.card),
      floor: wall(sides.floor),
      target: { kind: 'none' },
    },
    {
      workload: 'start-up',
      metric: metrics.ours,
      unit: 'ms',
      ours: wall(sides.ours) - wall(sides.card),
      floor: undefined,
      target: { kind: 'none' },
    },
  ];
}

function wall(samples: readonly ProcessSample[]): number {
  return median(samples.map((x) => x.wallMs));
}

function check(sample: ProcessSample, what: string): ProcessSample {
  expectSuccess(sample, what);
  return sample;
}
