/**
 * The design card's pipeline alone, for the start-up and sequential workloads: what any program
 * built as the card says pays, before it does any of our work. It reads a suite of `http` GET
 * steps with `status_code` and `json_path` assertions (bench/suites.ts), parses it with `yaml`
 * (`parseDocument` with a LineCounter, as our decoder does), decodes it with an io-ts codec of
 * just those keys (exact: unknown keys fail), and runs it with RxJS as the card composes a run:
 * the tests a `mergeMap`, each test's steps a `mergeScan(fn, seed, 1)` threading the saved
 * values, each step `defer(request)`. Requests go through `axios` with its own Node adapter,
 * configured as sequential-libs.mjs configures it; `json_path` paths are evaluated by
 * `jsonpath`. No templates, events, reporters, masking, retries or interrupt: those are ours.
 *
 * Bundled by bench/card-bundle.ts as our CLI is bundled (scripts/bundle-plugin.mjs) and started
 * by bench/floor/card-start.cjs with a V8 code cache of its own, so that start-up compares alike.
 * `main(argv)` prints `N passed, M failed` and resolves to the exit code (0 when all passed).
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import jsonpath from 'jsonpath';
import { defer, from, lastValueFrom, map, mergeMap, mergeScan, reduce } from 'rxjs';
import { createFloorAxios } from './axios-client.mjs';
import { readSuiteYaml } from './read-suite-yaml.mjs';

const Assertion = t.union([
  t.strict({ type: t.literal('status_code'), expected: t.number }),
  t.strict({ type: t.literal('json_path'), path: t.string, expected: t.unknown }),
]);
const Step = t.strict({
  name: t.string,
  plugin: t.literal('http'),
  config: t.strict({ method: t.string, url: t.string }),
  assertions: t.array(Assertion),
});
const Suite = t.strict({ name: t.string, tests: t.array(t.strict({ name: t.string, steps: t.array(Step) })) });

/** `main(['SUITE_FILE'])`: runs the suite, prints the count, resolves to the exit code. */
export async function main(argv) {
  const decoded = Suite.decode(readSuiteYaml(argv[0]));
  if (isLeft(decoded)) throw new Error(`the suite does not decode (${decoded.left.length} errors)`);

  const client = createFloorAxios();

  /** One step: its request, judged by its assertions; the state threads through unchanged. */
  const step = (state, s) =>
    defer(() => client.request({ method: s.config.method, url: s.config.url })).pipe(
      map((response) => ({ ...state, failed: state.failed || !holds(s.assertions, response) })),
    );
  const test = (tc) =>
    from(tc.steps).pipe(
      mergeScan(step, { vars: {}, failed: false }, 1),
      reduce((_, state) => state.failed, false),
    );
  const counts = await lastValueFrom(
    from(decoded.right.tests).pipe(
      mergeMap(test),
      reduce((c, failed) => (failed ? { ...c, failed: c.failed + 1 } : { ...c, passed: c.passed + 1 }), { passed: 0, failed: 0 }),
    ),
  );
  process.stdout.write(`${counts.passed} passed, ${counts.failed} failed\n`);
  return counts.failed === 0 ? 0 : 1;
}

function holds(assertions, response) {
  let body;
  for (const a of assertions) {
    if (a.type === 'status_code') {
      if (response.status !== a.expected) return false;
      continue;
    }
    body ??= JSON.parse(Buffer.from(response.data).toString('utf8'));
    // jq-style `.n` is `$.n` to jsonpath.
    const [value] = jsonpath.query(body, a.path.startsWith('$') ? a.path : `$${a.path}`);
    if (value !== a.expected) return false;
  }
  return true;
}
