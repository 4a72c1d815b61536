/**
 * The fan-out workload done by the design card's pipeline alone (bench/floor/card-poll.mjs): N
 * polls at once in one process, each GETting BASE_URL/poll/fan-<i>?done=DONE through axios with
 * its own Node adapter (configured as bench/floor/axios-client.mjs), INTERVAL_MS after each
 * response, until the JSON body's `status` is `done`, at most 2 x DONE attempts, as the fan-out
 * suites say. It tells how much of our peak RSS and lateness the design itself costs. The suites
 * are not parsed: the polls are built from the arguments, as the floor's are.
 * `node bench/floor/card-fanout.mjs BASE_URL N INTERVAL_MS DONE`
 */
import { catchError, defer, lastValueFrom, map, of, reduce } from 'rxjs';
import { createFloorAxios } from './axios-client.mjs';
import { cardPoll, cardTests } from './card-poll.mjs';

const [base, count, interval, done] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const client = createFloorAxios();

/** One attempt of poll `i`: done or not; a failed request is "not yet", as in our poll. */
const attempt = (i) => () =>
  defer(() => client.request({ method: 'GET', url: `${base}/poll/fan-${i}?done=${done}` })).pipe(
    map((r) => r.status === 200 && JSON.parse(Buffer.from(r.data).toString('utf8')).status === 'done'),
    catchError(() => of(false)),
  );

const passed = await lastValueFrom(
  cardTests(count, (i) => cardPoll(attempt(i), { intervalMs: interval, maxAttempts: 2 * done, timeoutMs: 120_000 })).pipe(
    reduce((n, vars) => (vars.isDone ? n + 1 : n), 0),
  ),
);
process.stdout.write(`${passed} passed, ${count - passed} failed\n`);
process.exit(passed === count ? 0 : 1);
