/**
 * The floor of the fan-out workload: N polls at once in one process with bare `node:http` and a
 * keep-alive agent, each GETting BASE_URL/poll/fan-<i>?done=DONE every INTERVAL_MS (after each
 * response) until the JSON body says `done`. With PREFIX `big/big-`, the large-bodies workload:
 * the same polls of BASE_URL/big/big-<i>?done=DONE, each body 9.9 MiB of JSON.
 * `node bench/floor/fanout.mjs BASE_URL N INTERVAL_MS DONE [PREFIX]`
 */
import { get } from './get.mjs';

const [base, count, interval, done] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const prefix = process.argv[6] ?? 'poll/fan-';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function pollOne(i) {
  for (let attempt = 1; attempt <= 10 * done; attempt++) {
    try {
      const r = await get(`${base}/${prefix}${i}?done=${done}`);
      if (r.status === 200 && JSON.parse(r.body).status === 'done') return true;
    } catch {
      // a failed attempt is "not yet", as in our poll
    }
    await sleep(interval);
  }
  return false;
}

const results = await Promise.all(Array.from({ length: count }, (_, i) => pollOne(i)));
const passed = results.filter(Boolean).length;
process.stdout.write(`${passed} passed, ${count - passed} failed\n`);
process.exit(passed === count ? 0 : 1);
