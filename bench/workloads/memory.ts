import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inTurn, type BenchContext, type WorkloadResult } from '../context.js';
import { median } from '../stats.js';

/** Options of {@link memoryWorkload}. */
export interface MemoryOptions {
  /** Polls at once. Issue 17: 10,000. */
  readonly polls: number;
  /** Runs per side. */
  readonly runs: number;
}

/** Issue 17: a waiting poll holds at most 8 KB of heap, its connection aside. */
const MAX_KB_PER_WAITING_POLL = 8;
/** How long the server holds each first response, so that the harness can measure them all in flight. */
const HOLD_MS = 20_000;
/** How long all polls may take to send their first request (10,000 tests take a while to start). */
const START_LIMIT_MS = 120_000;

/** What one side's process measured, in bytes of `heapUsed` after full collections. */
interface MemoryRun {
  /** Before any poll started (the suites decoded, the modules loaded). */
  readonly base: number;
  /** Every poll's first request in flight (the server holds the responses). */
  readonly inFlight: number;
  /** Every poll judged its first attempt and waits for the next (10 minutes). */
  readonly waiting: number;
  /** The same, after closing the idle keep-alive connections. */
  readonly waitingNoSockets: number;
}

/**
 * Memory: `polls` polls at once, all of them waiting, in one process started with `--expose-gc`,
 * measured as the heap they add (`heapUsed` after full collections, minus the heap before they
 * started), per poll: ours through `runSuite` of dist/ with the CLI's HTTP client and plugins
 * (bench/memory-probe.mjs), the floor as bare `node:http` polling loops (bench/floor/memory.mjs).
 * Each poll GETs /wait/m-<i>, which the server answers "pending" after holding it 20 s (so all
 * are in flight at once, and measured so), then waits 10 minutes before its next attempt, and is
 * measured waiting, then again with the idle connections closed ("sockets aside": the sockets are
 * the transport's, one per poll here because every poll sent at once). Target (issue 17): at
 * most 8 KB per waiting poll, sockets aside.
 *
 * A third side, "the card's pipeline alone" (bench/floor/memory.mjs with `card`), sends the same
 * requests through the design card's pipeline and nothing else (`expand` + `takeWhile` +
 * `timeout` + `take` per poll, `mergeScan` per test, `mergeMap` over the tests): what that
 * design holds per waiting poll before any of our work (events, checks, reports, interrupt).
 */
export async function memoryWorkload(ctx: BenchContext, options: MemoryOptions): Promise<WorkloadResult> {
  const ours: MemoryRun[] = [];
  const floor: MemoryRun[] = [];
  const card: MemoryRun[] = [];
  const probe = fileURLToPath(new URL('../memory-probe.mjs', import.meta.url));
  const floorProbe = fileURLToPath(new URL('../floor/memory.mjs', import.meta.url));
  for (let i = 0; i < options.runs; i++) {
    const sides = [
      async () => ours.push(await measure(ctx, [probe], options.polls, 'ours')),
      async () => floor.push(await measure(ctx, [floorProbe], options.polls, 'floor')),
      async () => card.push(await measure(ctx, [floorProbe, 'card'], options.polls, 'the card alone')),
    ];
    await inTurn(i, sides);
    const kb = (runs: MemoryRun[]) => {
      const r = runs.at(-1);
      const one = (k: keyof MemoryRun) => (r === undefined ? '?' : ((r[k] - r.base) / 1024 / options.polls).toFixed(1));
      return `${one('inFlight')} / ${one('waiting')} / ${one('waitingNoSockets')} KB`;
    };
    ctx.log(
      `memory run ${i + 1}/${options.runs}: per poll in flight / waiting / waiting without sockets: ours ${kb(ours)}, floor ${kb(floor)}, the card's pipeline alone ${kb(card)}`,
    );
  }
  const perPoll = (runs: MemoryRun[], k: keyof MemoryRun) => median(runs.map((r) => (r[k] - r.base) / 1024 / options.polls));
  const label = `memory, ${options.polls.toLocaleString('en-US')} polls`;
  return {
    rows: [
      {
        workload: label,
        metric: 'heap per poll in flight',
        unit: 'KB',
        ours: perPoll(ours, 'inFlight'),
        floor: perPoll(floor, 'inFlight'),
        target: { kind: 'none' },
      },
      {
        workload: label,
        metric: 'heap per waiting poll',
        unit: 'KB',
        ours: perPoll(ours, 'waiting'),
        floor: perPoll(floor, 'waiting'),
        target: { kind: 'none' },
      },
      {
        workload: label,
        metric: 'heap per waiting poll, sockets aside',
        unit: 'KB',
        ours: perPoll(ours, 'waitingNoSockets'),
        floor: perPoll(floor, 'waitingNoSockets'),
        target: { kind: 'atMost', max: MAX_KB_PER_WAITING_POLL },
      },
      {
        workload: label,
        metric: "heap per waiting poll, sockets aside, the card's pipeline alone",
        unit: 'KB',
        ours: perPoll(card, 'waitingNoSockets'),
        floor: perPoll(floor, 'waitingNoSockets'),
        target: { kind: 'none' },
      },
    ],
    raw: { polls: options.polls, holdMs: HOLD_MS, ours, floor, card },
  };
}

/** Runs one probe (its script, then its mode, if any) through the protocol of bench/memory-probe.mjs. */
async function measure(
  ctx: BenchContext,
  [script, ...mode]: readonly [string, ...string[]],
  polls: number,
  what: string,
): Promise<MemoryRun> {
  await ctx.server.reset();
  const child = fork(script, [ctx.server.url, String(polls), String(HOLD_MS), ...mode], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: Array<{ type: string; heap: number; heapNoSockets?: number }> = [];
  let wake: (() => void) | undefined;
  child.on('message', (m: { type: string; heap: number }) => {
    messages.push(m);
    wake?.();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const next = async (type: string) => {
    for (;;) {
      const i = messages.findIndex((m) => m.type === type);
      if (i >= 0) return messages.splice(i, 1)[0] as { type: string; heap: number; heapNoSockets?: number };
      if (child.exitCode !== null) throw new Error(`memory (${what}): the probe exited with ${child.exitCode} before '${type}'`);
      await Promise.race([new Promise<void>((r) => (wake = r)), exited]);
    }
  };
  try {
    const ready = await next('ready');
    child.send({ type: 'start' });
    const started = performance.now();
    for (;;) {
      const { requests } = await ctx.server.records();
      if (requests >= polls) break;
      if (performance.now() - started > START_LIMIT_MS)
        throw new Error(`memory (${what}): only ${requests} of ${polls} requests arrived within ${START_LIMIT_MS} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.send({ type: 'measure' });
    const inFlight = await next('heap');
    // Measured in flight only if no response had left the server yet.
    const { polls: records } = await ctx.server.records();
    if (Object.values(records).some((list) => list.some(([arrived, finished]) => finished !== arrived)))
      throw new Error(`memory (${what}): responses left the server before the heap in flight was measured`);
    // Bounded too: a probe that never gets all its polls waiting (one broke) fails the bench
    // instead of holding it forever.
    const waiting = await Promise.race([
      next('waiting'),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`memory (${what}): the polls were not all waiting within ${HOLD_MS + START_LIMIT_MS} ms`)),
          HOLD_MS + START_LIMIT_MS,
        ).unref(),
      ),
    ]);
    await exited;
    return { base: ready.heap, inFlight: inFlight.heap, waiting: waiting.heap, waitingNoSockets: waiting.heapNoSockets ?? NaN };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
