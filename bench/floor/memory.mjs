/**
 * The floor of the memory workload (bench/workloads/memory.ts): N bare polling loops with
 * `node:http` and a keep-alive agent, each GETting BASE_URL/wait/m-<i>?hold=HOLD_MS and then
 * sleeping 10 minutes, with the IPC protocol of bench/memory-probe.mjs.
 * `node --expose-gc bench/floor/memory.mjs BASE_URL N HOLD_MS`
 */
import http from 'node:http';

const [base, count, hold] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const agent = new http.Agent({ keepAlive: true });

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

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
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

process.on('message', async (message) => {
  if (message.type === 'start') for (let i = 0; i < count; i++) void pollOne(i);
  else if (message.type === 'measure') process.send({ type: 'heap', heap: await heap() });
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
