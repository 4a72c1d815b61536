/**
 * The floor of the poll-precision workload: GET until the JSON body says `done`, waiting with
 * `setTimeout` after each response for `round(interval * coefficient^(k-1))` ms after attempt k
 * (the schedule of our `poll`). `node bench/floor/poll.mjs URL INTERVAL_MS COEFFICIENT`
 */
import { get } from './get.mjs';

const [url, interval, coefficient] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
for (let attempt = 1; ; attempt++) {
  const r = await get(url);
  if (r.status === 200 && JSON.parse(r.body).status === 'done') {
    process.stdout.write(`1 passed after ${attempt} attempts\n`);
    process.exit(0);
  }
  await sleep(Math.round(interval * coefficient ** (attempt - 1)));
}
