/**
 * Our side of the memory workload (bench/workloads/memory.ts), run by the harness as
 * `node --expose-gc bench/memory-probe.mjs BASE_URL N HOLD_MS` with an IPC channel: N tests, each
 * one poll of BASE_URL/wait/m-<i>?hold=HOLD_MS (the server answers "pending" after HOLD_MS, and
 * never "done"), every 10 minutes, all at once through `runSuite` of dist/ with the CLI's HTTP
 * client and plugins (one connection per poll allowed, as the floor's agent allows). It measures
 * the heap (`heapUsed` after full collections):
 *
 *   -> { type: 'ready', heap }           the suites decoded, nothing running yet (the baseline)
 *   <- { type: 'start' }                 start the polls
 *   <- { type: 'measure' }               (the harness saw all N requests arrive) -> { type: 'heap', heap }
 *   -> { type: 'waiting', heap, heapNoSockets }  every poll judged its first attempt and waits;
 *                                        then again with the idle connections closed; then exits
 */
import { writeHeapSnapshot } from 'node:v8';
import { merge } from 'rxjs';
import { builtinPlugins, createAxiosClient, decodeSuiteText, runSuite } from '../dist/index.js';

const [base, count, hold] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const PER_FILE = 2500;

function suiteText(from, to) {
  const lines = [`name: memory ${from}`, 'tests:'];
  for (let i = from; i < to; i++) {
    lines.push(
      `  - name: wait ${i}`,
      '    steps:',
      '      - name: poll',
      '        plugin: http',
      '        config:',
      '          method: GET',
      `          url: "${base}/wait/m-${i}?hold=${hold}"`,
      '          polling:',
      '            interval: 10m',
      '            timeout: 1h',
      '            max_attempts: 3',
      '            conditions:',
      '              - { type: json_path, path: .status, expected: done }',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** heapUsed after collecting until it stops shrinking. */
async function heap() {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setImmediate(r));
    global.gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= last * 0.999) return used;
    last = used;
  }
  return last;
}

const suites = [];
for (let from = 0; from < count; from += PER_FILE) {
  const decoded = decodeSuiteText(suiteText(from, Math.min(count, from + PER_FILE)), `memory-${from}.yaml`);
  if (decoded._tag === 'Left') throw new Error(JSON.stringify(decoded.left[0]));
  suites.push(decoded.right);
}
const http = createAxiosClient({ maxSocketsPerHost: count });
const plugins = builtinPlugins();
let attempts = 0;
let done;
const allWaiting = new Promise((resolve) => (done = resolve));
const run$ = merge(...suites.map((s) => runSuite(s, { http, plugins, concurrency: PER_FILE })));

process.on('message', async (message) => {
  if (message.type === 'start') {
    run$.subscribe({
      next: (event) => {
        if (event._tag === 'AttemptMade' && ++attempts === count) done();
      },
      error: (error) => {
        process.stderr.write(`${error?.stack ?? error}\n`);
        process.exit(1);
      },
    });
  } else if (message.type === 'measure') {
    process.send({ type: 'heap', heap: await heap() });
  }
});
// The least of a few readings a moment apart: right after decoding, one collection does not
// always free everything (some runs read ~7 MB more, which came off every poll's figure).
let baseline = Infinity;
for (let i = 0; i < 4; i++) {
  await new Promise((r) => setTimeout(r, 100));
  baseline = Math.min(baseline, await heap());
}
process.send({ type: 'ready', heap: baseline });
await allWaiting;
// Let the last attempts' work after their event (scheduling the wait) finish.
await new Promise((r) => setTimeout(r, 500));
const waiting = await heap();
// BENCH_HEAP_SNAPSHOT=file.heapsnapshot: what holds the bytes of the waiting polls (open it in Chrome's DevTools).
if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
http.closeIdleConnections();
await new Promise((r) => setTimeout(r, 200));
process.send({ type: 'waiting', heap: waiting, heapNoSockets: await heap() }, () => process.exit(0));
