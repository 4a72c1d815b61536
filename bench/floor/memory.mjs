/**
 * The floor of the memory workload (bench/workloads/memory.ts): N bare polling loops with
 * `node:http` and a keep-alive agent, each GETting BASE_URL/wait/m-<i>?hold=HOLD_MS and then
 * sleeping 10 minutes, with the IPC protocol of bench/memory-probe.mjs.
 * `node --expose-gc bench/floor/memory.mjs BASE_URL N HOLD_MS [card]`
 *
 * With `card`, the same requests go through the design card's pipeline and nothing else
 * (bench/floor/card-poll.mjs): what any program built on that design holds per waiting poll
 * before it does any of our work.
 */
import { catchError, defer, map, Observable, of } from 'rxjs';
import { cardPoll, cardTests } from './card-poll.mjs';
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

/** Attempt `i` of the card's poll: a failed attempt or one not done counts as "not yet". */
const cardAttempt = (i) => () =>
  defer(() => get$(`${base}/wait/m-${i}?hold=${hold}`)).pipe(
    map((r) => r.status === 200 && JSON.parse(r.body).status === 'done'),
    catchError(() => of(false)),
    // each attempt's end is counted, done or not (the same point the floor's loop counts)
    map((isDone) => {
      if (++answered === count) done();
      return isDone;
    }),
  );

function cardRun() {
  cardTests(count, (i) => cardPoll(cardAttempt(i), { intervalMs: 600_000, maxAttempts: 3, timeoutMs: 3_600_000 })).subscribe({
    error: (error) => process.stderr.write(`${error?.stack ?? error}\n`),
  });
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
