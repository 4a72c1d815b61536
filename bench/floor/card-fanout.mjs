/**
 * The fan-out workload done by the design card's pipeline alone (bench/floor/card-poll.mjs), from
 * the same suite files our CLI runs (bench/suites.ts `fanOutSuites`):
 *
 *   node bench/floor/card-fanout.mjs SUITE_FILE [SUITE_FILE ...]
 *
 * reads each file, parses it with `yaml` (`parseDocument` with a LineCounter, as our decoder and
 * bench/floor/card.mjs do) and decodes it with an io-ts codec of just the keys those suites use
 * (exact: unknown keys fail). Then every test's poll runs at once in one process: a GET of its
 * `url` through axios with its own Node adapter (configured as bench/floor/axios-client.mjs),
 * `interval` after each response, until its `json_path` conditions hold (evaluated by `jsonpath`),
 * at most `max_attempts` attempts, the first within `timeout`. A failed request is "not yet", as
 * in our poll. No templates, events, checks of ours, reports, interrupt or retry.
 *
 * It tells how much of our peak RSS and lateness the design itself costs. Until 2026-12-05 the
 * card's side built its polls from the floor's arguments and read no suite: its peak RSS then
 * left out what reading the suites costs (at 1,000 polls: 156-168 MB then, 206-207 MB since).
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import jsonpath from 'jsonpath';
import { catchError, defer, lastValueFrom, map, of, reduce } from 'rxjs';
import { createFloorAxios } from './axios-client.mjs';
import { cardPoll, cardTests } from './card-poll.mjs';
import { readSuiteYaml } from './read-suite-yaml.mjs';

const Condition = t.strict({ type: t.literal('json_path'), path: t.string, expected: t.unknown });
const Step = t.strict({
  name: t.string,
  plugin: t.literal('http'),
  config: t.strict({
    method: t.string,
    url: t.string,
    polling: t.strict({ interval: t.string, timeout: t.string, max_attempts: t.number, conditions: t.array(Condition) }),
  }),
});
const Suite = t.strict({ name: t.string, tests: t.array(t.strict({ name: t.string, steps: t.array(Step) })) });

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: node bench/floor/card-fanout.mjs SUITE_FILE [SUITE_FILE ...]');
const steps = [];
for (const file of files) {
  const decoded = Suite.decode(readSuiteYaml(file));
  if (isLeft(decoded)) throw new Error(`${file} does not decode (${decoded.left.length} errors)`);
  for (const test of decoded.right.tests) {
    if (test.steps.length !== 1) throw new Error(`${file}: test ${test.name} has ${test.steps.length} steps; the fan-out suites have one`);
    steps.push(test.steps[0]);
  }
}
const client = createFloorAxios();

/** One attempt of `step`'s poll: whether its conditions hold; a failed request is "not yet". */
const attempt = (step) => () =>
  defer(() => client.request({ method: step.config.method, url: step.config.url })).pipe(
    map((r) => r.status === 200 && holds(step.config.polling.conditions, JSON.parse(Buffer.from(r.data).toString('utf8')))),
    catchError(() => of(false)),
  );

const passed = await lastValueFrom(
  cardTests(steps.length, (i) => {
    const { polling } = steps[i].config;
    return cardPoll(attempt(steps[i]), {
      intervalMs: durationMs(polling.interval),
      maxAttempts: polling.max_attempts,
      timeoutMs: durationMs(polling.timeout),
    });
  }).pipe(reduce((n, vars) => (vars.isDone ? n + 1 : n), 0)),
);
process.stdout.write(`${passed} passed, ${steps.length - passed} failed\n`);
process.exit(passed === steps.length ? 0 : 1);

function holds(conditions, body) {
  for (const c of conditions) {
    // jq-style `.status` is `$.status` to jsonpath.
    const [value] = jsonpath.query(body, c.path.startsWith('$') ? c.path : `$${c.path}`);
    if (value !== c.expected) return false;
  }
  return true;
}

/** `500ms`, `5s`, `2m` in ms (the units the fan-out suites use). */
function durationMs(text) {
  const match = /^(\d+)(ms|s|m)$/.exec(text);
  if (match === null) throw new Error(`not a duration the card's side reads: ${text}`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2]];
}
