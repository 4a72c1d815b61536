import { lastJsonLine, type BenchContext, type WorkloadResult } from '../context.js';
import type { Row } from '../row.js';
import { median } from '../stats.js';

/** GETs per measured block, one after another. */
export const PER_REQUEST_GETS = 2000;
/** GETs each side's process sends before its measured block (connection opened, code optimized). */
const WARM_UP_GETS = 10_000;

const SIDES = ['floor', 'plugin', 'ours', 'axios', 'axiosMinimal', 'axiosLean'] as const;
type Side = (typeof SIDES)[number];

/**
 * Per request: the CPU time one warm GET costs the process that sends it, so start-up, YAML and
 * reporters are out of it. Six ways to send (`bench/floor/per-request.mjs` says what each is):
 * the floor (a bare `http.get` loop), the http plugin without polling (the issue 17 target is
 * this at most 1.3x the floor), our client alone, axios with its default adapter, axios with a
 * minimal adapter over `http.request`, and that again with axios's defaults trimmed as our client
 * trims them (these two: the least a client built on axios costs; which reads lower moves from
 * run to run).
 *
 * Each run measures each side once, in a process of its own (as a CLI run has, with no other
 * client's calls shaping the code they share), in an order that turns each run so that drift
 * in the machine's load falls on all of them: {@link WARM_UP_GETS} GETs, then a block of
 * {@link PER_REQUEST_GETS} whose CPU (user+system) per GET is the sample. The figure is the
 * median over runs. The server must have seen exactly the GETs the side's process sent.
 */
export async function perRequestWorkload(ctx: BenchContext): Promise<WorkloadResult> {
  const samples: Record<Side, number[]> = { floor: [], plugin: [], ours: [], axios: [], axiosMinimal: [], axiosLean: [] };
  for (let run = 0; run < ctx.runs; run++) {
    for (let k = 0; k < SIDES.length; k++) {
      const side = SIDES[(run + k) % SIDES.length] as Side;
      await ctx.server.reset();
      const sample = await ctx.floor('per-request.mjs', [side, ctx.server.url, String(WARM_UP_GETS), String(PER_REQUEST_GETS)]);
      const result = sample.code === 0 ? (lastJsonLine(sample) as { side?: unknown; cpuMsPerRequest?: unknown } | undefined) : undefined;
      if (result?.side !== side || typeof result.cpuMsPerRequest !== 'number')
        throw new Error(
          `per-request (${side}) exited with ${sample.code}\n--- stdout (tail)\n${sample.stdoutTail}\n--- stderr (tail)\n${sample.stderrTail}`,
        );
      const { requests } = await ctx.server.records();
      if (requests !== WARM_UP_GETS + PER_REQUEST_GETS)
        throw new Error(`per-request (${side}): the server saw ${requests} requests, expected ${WARM_UP_GETS + PER_REQUEST_GETS}`);
      samples[side].push(result.cpuMsPerRequest);
    }
  }
  const m = (side: Side) => median(samples[side]);
  ctx.log(
    `per-request: CPU per GET through the http plugin ${m('plugin').toFixed(3)} ms, our client ${m('ours').toFixed(3)} ms, axios default ${m('axios').toFixed(3)} ms, axios with a minimal adapter ${m('axiosMinimal').toFixed(3)} ms (its defaults trimmed ${m('axiosLean').toFixed(3)} ms), floor ${m('floor').toFixed(3)} ms`,
  );
  const workload = 'per-request GET (in-process, warm)';
  const row = (metric: string, side: Side, target: Row['target']): Row => ({
    workload,
    metric,
    unit: 'ms',
    ours: m(side),
    floor: m('floor'),
    target,
  });
  return {
    rows: [
      row('CPU per request, http plugin', 'plugin', { kind: 'ratio', max: 1.3 }),
      row('CPU per request, our client', 'ours', { kind: 'none' }),
      row('CPU per request, axios default adapter', 'axios', { kind: 'none' }),
      row('CPU per request, axios with a minimal adapter over node:http', 'axiosMinimal', { kind: 'none' }),
      row("CPU per request, axios with a minimal adapter, its defaults trimmed as our client's", 'axiosLean', { kind: 'none' }),
    ],
    raw: { getsPerBlock: PER_REQUEST_GETS, warmUpGets: WARM_UP_GETS, processPerSide: true, cpuMsPerRequest: samples },
  };
}
