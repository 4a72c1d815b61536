/**
 * The floor of the memory workload (bench/workloads/memory.ts): N bare polling loops with
 * `node:http` and a keep-alive agent, each GETting BASE_URL/wait/m-<i>?hold=HOLD_MS and then
 * sleeping 10 minutes, with the IPC protocol of bench/memory-probe.mjs.
 * `node --expose-gc bench/floor/memory.mjs BASE_URL N HOLD_MS [card]`
 *
 * With `card`, the same requests go through the design card's pipeline and nothing else: each
 * poll is `defer(request).pipe(expand(wait, then request), takeWhile(!done), timeout, take(max))`,
 * each test the `mergeScan(fn, seed, 1)` of its one step, the tests a `mergeMap` at concurrency N.
 * No events, checks, reports, interrupt or retry: what any program built on that design holds
 * per waiting poll before it does any of our work.
 */
import {
  catchError,
  concatMap,
  defer,
  expand,
  from,
  last,
  map,
  mergeMap,
  mergeScan,
  Observable,
  of,
  take,
  takeWhile,
  timeout,
  timer,
} from 'rxjs';
import { agent, get, send } from './get.mjs';

const [base, count, hold, mode] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];

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

let answered = 0;
let done;
const allWaiting = new Promise((resolve) => (done = resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function pollOne(i) {
  for (;;) {
    try {
      const r = await get(`${base}/wait/m-${i}?hold=${hold}`);
      if (r.status === 200 && JSON.parse(r.body).status === 'done') return;
    } catch {
      // a failed attempt is "not yet"
    }
    if (++answered === count) done();
    await sleep(600_000);
  }
}

/** One attempt as a cold Observable: `send`, cut off when unsubscribed. */
function get$(url) {
  return new Observable((subscriber) => {
    let ended = false;
    const request = send(url, (error, response) => {
      if (error !== undefined) return subscriber.error(error);
      ended = true;
      subscriber.next(response);
      subscriber.complete();
    });
    // Only a request still in flight is cut off: a finished one leaves its socket to the agent.
    return () => {
      if (!ended) request.destroy();
    };
  });
}

/** The card's poll of test `i`: a failed attempt or one not done counts as "not yet". */
function cardPoll(i) {
  const attempt = () =>
    defer(() => get$(`${base}/wait/m-${i}?hold=${hold}`)).pipe(
      map((r) => r.status === 200 && JSON.parse(r.body).status === 'done'),
      catchError(() => of(false)),
      // each attempt's end is counted, done or not (the same point the floor's loop counts)
      map((isDone) => {
        if (++answered === count) done();
        return isDone;
      }),
    );
  return attempt().pipe(
    expand((isDone) => (isDone ? [] : timer(600_000).pipe(concatMap(attempt)))),
    takeWhile((isDone) => !isDone, true),
    timeout({ first: 3_600_000 }),
    take(3),
  );
}

function cardRun() {
  const tests = Array.from({ length: count }, (_, i) => i);
  const runTest = (i) =>
    from([i]).pipe(
      mergeScan(
        (vars, step) =>
          cardPoll(step).pipe(
            last(),
            map((isDone) => ({ ...vars, isDone })),
          ),
        {},
        1,
      ),
    );
  from(tests)
    .pipe(mergeMap(runTest, count))
    .subscribe({ error: (error) => process.stderr.write(`${error?.stack ?? error}\n`) });
}

process.on('message', async (message) => {
  if (message.type === 'start') {
    if (mode === 'card') cardRun();
    else for (let i = 0; i < count; i++) void pollOne(i);
  } else if (message.type === 'measure') process.send({ type: 'heap', heap: await heap() });
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
await sleep(500);
const waiting = await heap();
agent.destroy();
await sleep(200);
process.send({ type: 'waiting', heap: waiting, heapNoSockets: await heap() }, () => process.exit(0));
