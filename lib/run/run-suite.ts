import {
  asyncScheduler,
  combineLatest,
  concat,
  concatMap,
  connect,
  defer,
  EMPTY,
  filter,
  finalize,
  from,
  ignoreElements,
  last,
  map,
  merge,
  mergeMap,
  NEVER,
  of,
  queueScheduler,
  race,
  reduce,
  ReplaySubject,
  subscribeOn,
  take,
  tap,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { dirname } from 'node:path';
import type { Json } from '../json.js';
import type { LoadedSuite } from '../dsl/index.js';
import type { HttpClient } from '../http/http-client.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { RunEvent, SuiteRef, SuiteResult, TestEnded } from '../event/run-event.js';
import { runSequence, seedState, sequenceEvents, type SequenceState } from './run-sequence.js';
import type { StepEnv } from './run-step.js';
import { placeSteps, type Placement } from './run-test.js';
import { localExecutor, type TestExecutor } from './test-executor.js';
import { mergeVars } from './merge-vars.js';
import { redactEvents } from '../secrets/redact-events.js';
import { sensitiveSaves, suiteSecrets } from '../secrets/suite-secrets.js';
import type { SlotPool } from './slot-pool.js';
import { createRunResources } from '../step/run-resources.js';

/** Options of {@link runSuite}. Every effect is passed in. */
export interface RunSuiteConfig {
  /** The HTTP client (see `createAxiosClient`); specs pass local or marble clients. */
  readonly http: HttpClient;
  /** Step kinds by name (see `builtinPlugins`). */
  readonly plugins: PluginRegistry;
  /** Clock and timers for delays, polls and retries. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike | undefined;
  /** Values merged over the file's `vars` (deeply: `{ a: { b: 1 } }` keeps `a`'s other keys). */
  readonly vars?: Readonly<Record<string, Json>> | undefined;
  /** What `{{ .env.X }}` reads. Default: none (the CLI passes the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** What `{{ .secrets.X }}` reads. Every value is masked as `***` in the emitted events. */
  readonly secrets?: Readonly<Record<string, string>> | undefined;
  /** How many tests of this suite run at once. Default 8. */
  readonly concurrency?: number | undefined;
  /**
   * Slots shared with other runs (see `createSlotPool`): each test also waits for one, so that
   * several suites run together never have more tests running at once than the pool's size.
   * The CLI gives one pool of `--concurrency` slots to every suite. Default: none (only
   * `concurrency` limits this suite).
   */
  readonly testSlots?: SlotPool | undefined;
  /**
   * Emits when the run should stop gracefully: steps in flight end `Interrupted`, later steps
   * are skipped, cleanup steps still run. It must replay to late subscribers (a
   * `ReplaySubject(1)` or `BehaviorSubject` filtered). Unsubscribing instead stops everything
   * at once, cleanup included.
   */
  readonly interrupt$?: Observable<string>;
  /** Which tests to run, by name and position in the file's `tests` (0-based). Default: all. */
  readonly only?: ((testName: string, testIndex: number) => boolean) | undefined;
  /** Stop starting tests after the first failed one; the ones in flight are interrupted. */
  readonly bail?: boolean | undefined;
  /** Largest response body accepted, in bytes. */
  readonly maxBodyBytes?: number | undefined;
  /** The wall clock for dates servers send (`Retry-After: <HTTP date>`), in epoch ms. Default `Date.now`; timings use `scheduler`. */
  readonly wallClock?: (() => number) | undefined;
  /**
   * Called with each value the run learns is a secret from how it used it (a credential it sent,
   * a value saved under a credential's name; see `RedactorConfig.onSecret`). Events emitted
   * before that use were masked without it: a program that keeps events and prints them later
   * (a report) masks them again with these values, as the CLI does with its reports.
   */
  readonly onSecret?: ((value: string) => void) | undefined;
  /**
   * Where the tests run: in this process (default, {@link localExecutor}) or on queue workers
   * (`queueExecutor`). Suite `cleanup` always runs here, and `init` too unless the executor
   * replays it (see `TestExecutor.suiteInit`); the events are the same.
   */
  readonly executor?: TestExecutor | undefined;
}

/**
 * Runs a decoded suite as a cold Observable of {@link RunEvent}s, Rocketship's lifecycle:
 * suite `init` (its saves visible to every test and to suite cleanup; if it fails, the tests are
 * skipped), then the tests, `concurrency` at a time, each with its own variables, then suite
 * `cleanup` (`on_failure` when something failed, then `always`). Nothing starts before
 * subscription; unsubscribing aborts every request and timer in flight.
 *
 * Secrets never leave it: `secrets` values, secret-named environment variables the suite reads
 * and credential headers (learned as the run goes) are replaced with `***` in every event it
 * emits (see `createRedactor`); steps and plugins still work with the real values.
 *
 * runSuite(loaded, { http: createAxiosClient(), plugins: builtinPlugins() })
 *   .pipe(filter((e) => e._tag === 'TestEnded'))
 *   .subscribe((e) => console.log(e.test, e.result._tag));
 */
export function runSuite(loaded: LoadedSuite, config: RunSuiteConfig): Observable<RunEvent> {
  return defer(() => {
    const suite = loaded.suite;
    const scheduler = config.scheduler ?? asyncScheduler;
    const startedAt = scheduler.now();
    const suiteRef: SuiteRef = { suite: suite.name, file: loaded.file };
    const placement: Placement = {
      suite: suite.name,
      file: loaded.file,
      lineOf: (path) => loaded.locate(path)?.line,
    };
    const requested$ = config.interrupt$ ?? NEVER;
    // Connection pools and the like, kept across steps: closed after the suite's last event, or at
    // once when the run is unsubscribed (the CLI's second Ctrl-C) or errors.
    const resources = createRunResources();
    const executor = config.executor ?? localExecutor;
    // `--bail`: emits (once, replayed to later tests) after the first failed test.
    const bail$ = new ReplaySubject<string>(1);
    // What interrupts the steps: the run's interrupt or `--bail`, whichever comes first, through
    // one replaying subject fed once for the whole suite. Each step (`runStep`) subscribes to it
    // alone: a `merge` of the two per step kept a merge state, three subscribers and their
    // closures for as long as the step ran, most of it while a poll waits.
    const interrupted$ = new ReplaySubject<string>(1);
    const feedInterrupted = merge(requested$, bail$)
      .pipe(take(1))
      .subscribe((reason) => interrupted$.next(reason));
    const env: StepEnv = {
      plugins: config.plugins,
      http: config.http,
      scheduler,
      suiteDir: dirname(loaded.file),
      vars: mergeVars(suite.vars ?? {}, config.vars ?? {}),
      env: config.env ?? {},
      secrets: config.secrets ?? {},
      interrupt$: interrupted$,
      maxBodyBytes: config.maxBodyBytes,
      wallClock: config.wallClock,
      openapi: suite.openapi,
      resources,
    };
    const cleanupEnv: StepEnv = { ...env, interrupt$: NEVER };
    const tests = suite.tests.map((test, index) => ({ test, index })).filter(({ test, index }) => config.only?.(test.name, index) ?? true);
    const skipTest = (name: string, testIndex: number, reason: string): RunEvent => ({
      _tag: 'TestEnded',
      ref: { suite: suite.name, file: loaded.file, test: name, testIndex },
      result: { _tag: 'Skipped', reason },
      at: scheduler.now(),
    });
    // Why a test that gets its slot now is not run: `--bail` fired, or the run was interrupted.
    // Both replay, so a test that waited long for its slot still sees them.
    const notRun$ = merge(
      bail$.pipe(map(() => 'not run: --bail after a failed test')),
      requested$.pipe(map(() => 'not run: the run was interrupted')),
    );

    const runTests = (init: SequenceState): Observable<RunEvent> => {
      if (init.failure !== undefined) {
        const reason = `suite init step "${init.failure.step}" did not pass`;
        return from(tests.map(({ test, index }) => skipTest(test.name, index, reason)));
      }
      return from(tests).pipe(
        mergeMap(({ test, index }) => {
          // Whichever comes first when the test has its slot: a reason not to run it (already
          // given, so it answers at once), or the test itself.
          const run = race(
            notRun$.pipe(
              take(1),
              map((reason) => skipTest(test.name, index, reason)),
            ),
            executor.runTest({ loaded, test, testIndex: index, saved: init.saved, env, placement }),
          );
          return (config.testSlots === undefined ? run : config.testSlots.withSlot(run)).pipe(subscribeOn(queueScheduler)); // trampolined: see `trampoline` in run-sequence.ts
        }, config.concurrency ?? 8),
      );
    };

    const suiteCleanup = (key: 'always' | 'on_failure', saved: Readonly<Record<string, Json>>) =>
      sequenceEvents(
        runSequence(
          placeSteps({ steps: suite.cleanup?.[key], phase: `suite_cleanup_${key}`, test: undefined, path: ['cleanup', key], placement }),
          saved,
          cleanupEnv,
          { continueAfterFailure: true },
        ),
      );

    // After the tests: the suite cleanup (`on_failure` first when something failed), then `SuiteEnded`.
    const afterTests = (init: SequenceState, counts: TestCounts): Observable<RunEvent> => {
      const anyFailure = init.failure !== undefined || counts.failed > 0 || counts.interrupted > 0;
      return concat(
        anyFailure ? suiteCleanup('on_failure', init.saved) : EMPTY,
        suiteCleanup('always', init.saved),
        combineLatest([hasEmitted(requested$), hasEmitted(bail$)]).pipe(
          map(([interrupted, bailed]): RunEvent => {
            const initFailure = init.failure;
            const result: SuiteResult = {
              _tag: counts.interrupted > 0 || (interrupted && !bailed) ? 'Interrupted' : anyFailure ? 'Failed' : 'Passed',
              durationMs: scheduler.now() - startedAt,
              ...counts,
              ...(initFailure === undefined
                ? {}
                : { initFailure: { step: initFailure.step, stepIndex: initFailure.ref.index, result: initFailure.result } }),
            };
            return { _tag: 'SuiteEnded', ref: suiteRef, result, at: scheduler.now() };
          }),
        ),
      );
    };

    // The tests' events go out as they come; their tally, once they all ended, feeds what follows.
    const testsAndAfter = (init: SequenceState): Observable<RunEvent> =>
      runTests(init).pipe(
        connect((events$) => {
          const ended$ = events$.pipe(filter((e): e is TestEnded => e._tag === 'TestEnded'));
          return merge(
            events$,
            // After the failed test's event went downstream, so reporters see the cause first.
            config.bail
              ? ended$.pipe(
                  filter((e) => e.result._tag === 'Failed'),
                  take(1),
                  tap(() => bail$.next('--bail: a test failed')),
                  ignoreElements(),
                )
              : EMPTY,
            ended$.pipe(
              reduce(tally, NO_TESTS),
              concatMap((counts) => afterTests(init, counts)),
            ),
          );
        }),
      );

    // Secrets (--secret values, secret-named env vars the suite reads, credentials it sends or
    // saves, credential headers it receives) are masked in everything emitted; steps and plugins
    // still see the real values.
    const redact = redactEvents({
      secrets: suiteSecrets(suite, { env: env.env, secrets: env.secrets, vars: env.vars }),
      sensitiveSaves: sensitiveSaves(suite),
      scheduler,
      onSecret: config.onSecret,
    });
    const suiteStarted: RunEvent = {
      _tag: 'SuiteStarted',
      ref: suiteRef,
      tests: tests.map(({ test, index }) => ({ index, name: test.name, line: placement.lineOf(['tests', index]) })),
      at: startedAt,
    };
    const localInit$ = runSequence(
      placeSteps({ steps: suite.init, phase: 'suite_init', test: undefined, path: ['init'], placement }),
      {},
      env,
      {
        continueAfterFailure: false,
      },
    );
    // The executor may record init's outcome, or replay one recorded by another process.
    const init$ = executor.suiteInit === undefined ? localInit$ : executor.suiteInit(loaded, localInit$);
    return concat(
      of(suiteStarted),
      init$.pipe(connect((states$) => merge(sequenceEvents(states$), states$.pipe(last(null, seedState({})), concatMap(testsAndAfter))))),
      // Only when something was opened: a run without (a marble spec) completes in the same frame.
      defer(() => (resources.size === 0 ? EMPTY : from(resources.closeAll()).pipe(ignoreElements()))),
    ).pipe(
      finalize(() => {
        feedInterrupted.unsubscribe();
        void resources.closeAll();
      }),
      redact,
    );
  });
}

/** How many tests ended each way. */
type TestCounts = Pick<SuiteResult, 'passed' | 'failed' | 'skipped' | 'interrupted'>;

const NO_TESTS: TestCounts = { passed: 0, failed: 0, skipped: 0, interrupted: 0 };

function tally(counts: TestCounts, e: TestEnded): TestCounts {
  switch (e.result._tag) {
    case 'Passed':
      return { ...counts, passed: counts.passed + 1 };
    case 'Failed':
      return { ...counts, failed: counts.failed + 1 };
    case 'Skipped':
      return { ...counts, skipped: counts.skipped + 1 };
    case 'Interrupted':
      return { ...counts, interrupted: counts.interrupted + 1 };
  }
}

/**
 * Whether a replaying Observable (a `ReplaySubject`, `interrupt$` by its contract) has emitted
 * already: its replay answers at once, or `false` does.
 */
function hasEmitted(replaying$: Observable<unknown>): Observable<boolean> {
  return race(
    replaying$.pipe(
      take(1),
      map(() => true),
    ),
    of(false),
  );
}
