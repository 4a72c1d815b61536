import { expect } from 'chai';
import { merge, Observable, of, ReplaySubject } from 'rxjs';
import { runSuite } from '../../lib/run/run-suite.js';
import { localExecutor } from '../../lib/run/test-executor.js';
import type { SequenceState } from '../../lib/run/run-sequence.js';
import { createSlotPool } from '../../lib/run/slot-pool.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { fakeHttp, fakeResponse, suite } from '../helpers/fake-http.js';
import { createTestScheduler } from '../helpers/marbles.js';
import { runVirtual, type VirtualRoute } from '../helpers/run-virtual.js';
import { line } from '../helpers/event-line.js';

describe('runSuite', () => {
  it('gives every test its own variables, seeded with the suite init saves', () => {
    const loaded = suite(`
name: iso
init:
  - name: token
    plugin: http
    config: { method: POST, url: "http://api/token" }
    save: [{ json_path: .token, as: token }]
tests:
  - name: a
    steps:
      - { name: save-a, plugin: http, config: { method: GET, url: "http://api/a?t={{ token }}" }, save: [{ json_path: .v, as: mine }] }
      - { name: use-a, plugin: http, config: { method: GET, url: "http://api/check/{{ mine }}" } }
  - name: b
    steps:
      - { name: save-b, plugin: http, config: { method: GET, url: "http://api/b?t={{ token }}" }, save: [{ json_path: .v, as: mine }] }
      - { name: use-b, plugin: http, config: { method: GET, url: "http://api/check/{{ mine }}" } }
cleanup:
  always:
    - { name: logout, plugin: http, config: { method: DELETE, url: "http://api/token/{{ token }}" } }
`);
    const { requests } = runVirtual(loaded, (req, _n, cold) => {
      const body: Record<string, string> = req.url.endsWith('/token')
        ? { token: 'T' }
        : req.url.includes('/a?')
          ? { v: 'from-a' }
          : req.url.includes('/b?')
            ? { v: 'from-b' }
            : {};
      // b answers faster than a, so a's save lands after b's: isolation must still hold
      return cold(req.url.includes('/a?') ? '---r|' : '-r|', { r: fakeResponse(200, body) });
    });
    expect(requests.map((r) => `${r.method} ${r.url}`).sort()).to.deep.equal(
      [
        'POST http://api/token',
        'GET http://api/a?t=T',
        'GET http://api/b?t=T',
        'GET http://api/check/from-a',
        'GET http://api/check/from-b',
        'DELETE http://api/token/T',
      ].sort(),
    );
    expect(requests.at(-1)?.url).to.equal('http://api/token/T');
  });

  it('runs at most `concurrency` tests at once', () => {
    const loaded = suite(`
name: conc
tests:
  - { name: t1, steps: [{ name: d, plugin: delay, config: { duration: 10ms } }] }
  - { name: t2, steps: [{ name: d, plugin: delay, config: { duration: 10ms } }] }
  - { name: t3, steps: [{ name: d, plugin: delay, config: { duration: 10ms } }] }
`);
    const { events } = runVirtual(loaded, () => of(), { concurrency: 2 });
    // t1 and t2 start at 0 and end at 10; t3 starts when a slot frees, at 10, and ends at 20
    expect(events.filter((e) => e._tag === 'TestStarted' || e._tag === 'TestEnded').map(line)).to.deep.equal([
      '0 TestStarted t1',
      '0 TestStarted t2',
      '10 TestEnded t1 Passed',
      '10 TestStarted t3',
      '10 TestEnded t2 Passed',
      '20 TestEnded t3 Passed',
    ]);
  });

  it('skips every test when suite init fails, and still runs suite cleanup', () => {
    const loaded = suite(`
name: init-fails
init:
  - { name: boom, plugin: http, config: { method: GET, url: "http://api/x" }, assertions: [{ type: status_code, expected: 200 }] }
tests:
  - { name: t1, steps: [{ name: s, plugin: log, config: { message: x } }] }
cleanup:
  on_failure: [{ name: report, plugin: log, config: { message: init failed } }]
  always: [{ name: bye, plugin: log, config: { message: bye } }]
`);
    const { events } = runVirtual(loaded, (_r, _n, cold) => cold('r|', { r: fakeResponse(503) }));
    expect(events.map(line).filter((l) => !l.includes('Attempt'))).to.deep.equal([
      '0 SuiteStarted',
      '0 StepStarted -/suite_init/boom',
      '0 StepEnded -/suite_init/boom Failed',
      '0 TestEnded t1 Skipped',
      '0 StepStarted -/suite_cleanup_on_failure/report',
      '0 Log init failed',
      '0 StepEnded -/suite_cleanup_on_failure/report Passed',
      '0 StepStarted -/suite_cleanup_always/bye',
      '0 Log bye',
      '0 StepEnded -/suite_cleanup_always/bye Passed',
      '0 SuiteEnded Failed p0 f0 s1 i0',
    ]);
  });

  it('on interrupt: the step in flight ends Interrupted, later steps are skipped, cleanup still runs', () => {
    const loaded = suite(`
name: interrupt
tests:
  - name: t
    steps:
      - { name: wait, plugin: delay, config: { duration: 100ms } }
      - { name: after, plugin: log, config: { message: after } }
    cleanup:
      always: [{ name: tidy, plugin: delay, config: { duration: 20ms } }]
`);
    const { events } = runVirtual(
      loaded,
      () => of(),
      {},
      ({ cold }) => {
        const interrupt$ = new ReplaySubject<string>(1);
        cold('30ms a').subscribe(() => interrupt$.next('SIGINT'));
        return { interrupt$ };
      },
    );
    expect(events.map(line)).to.deep.equal([
      '0 SuiteStarted',
      '0 TestStarted t',
      '0 StepStarted t/steps/wait',
      '30 StepEnded t/steps/wait Interrupted',
      '30 StepEnded t/steps/after Skipped',
      '30 StepStarted t/cleanup_always/tidy',
      '50 StepEnded t/cleanup_always/tidy Passed',
      '50 TestEnded t Interrupted',
      '50 SuiteEnded Interrupted p0 f0 s0 i1',
    ]);
  });

  it("subscribes to the run's interrupt$ as often whatever the number of steps, and lets go of it when the suite ends", () => {
    // Each step's `takeUntil` listens to one subject of the suite: a subscription per step held a
    // merge state and its subscribers for as long as the step ran (most of a waiting poll's heap).
    const subscriptions = (steps: number) => {
      const step = '{ name: wait, plugin: delay, config: { duration: 10ms } }';
      const loaded = suite(`
name: steps
tests:
  - { name: a, steps: [${Array(steps).fill(step).join(', ')}] }
  - { name: b, steps: [${Array(steps).fill(step).join(', ')}] }
`);
      let subscribed = 0;
      let active = 0;
      const { events } = runVirtual(
        loaded,
        () => of(),
        {},
        () => {
          const requested = new ReplaySubject<string>(1);
          const interrupt$ = new Observable<string>((subscriber) => {
            subscribed += 1;
            active += 1;
            const inner = requested.subscribe(subscriber);
            return () => {
              active -= 1;
              inner.unsubscribe();
            };
          });
          return { interrupt$ };
        },
      );
      expect(events.map(line).at(-1)).to.equal(`${steps * 10} SuiteEnded Passed p2 f0 s0 i0`);
      expect(active, 'subscriptions left open').to.equal(0);
      return subscribed;
    };
    expect(subscriptions(6)).to.equal(subscriptions(1));
  });

  it('unsubscribing cancels the request in flight', () => {
    const loaded = suite(`
name: cancel
tests:
  - { name: t, steps: [{ name: slow, plugin: http, config: { method: GET, url: "http://api/slow" } }] }
`);
    const scheduler = createTestScheduler();
    scheduler.run(({ cold, expectSubscriptions }) => {
      const response = cold('-----r|', { r: fakeResponse(200) });
      const http = fakeHttp(() => response);
      const sub = runSuite(loaded, { http, plugins: builtinPlugins(), scheduler }).subscribe();
      cold('--a').subscribe(() => sub.unsubscribe());
      expectSubscriptions(response.subscriptions).toBe('^-!');
    });
  });

  it('with bail, stops starting tests after the first failure and interrupts the ones in flight', () => {
    const loaded = suite(`
name: bail
tests:
  - { name: fails, steps: [{ name: s, plugin: http, config: { method: GET, url: "http://api/x" }, assertions: [{ type: status_code, expected: 200 }] }] }
  - { name: long, steps: [{ name: d, plugin: delay, config: { duration: 1s } }] }
  - { name: later, steps: [{ name: d, plugin: delay, config: { duration: 1s } }] }
`);
    const { events } = runVirtual(loaded, (_r, _n, cold) => cold('-----r|', { r: fakeResponse(500) }), { concurrency: 2, bail: true });
    expect(events.filter((e) => e._tag === 'TestEnded').map(line)).to.deep.equal([
      '5 TestEnded fails Failed',
      '5 TestEnded long Interrupted',
      '5 TestEnded later Skipped',
    ]);
  });

  it('polls an HTTP step in virtual time and saves from the winning attempt only', () => {
    const loaded = suite(`
name: poll
tests:
  - name: t
    steps:
      - name: wait
        plugin: http
        config:
          method: GET
          url: "http://api/jobs/1"
          polling:
            interval: 1s
            timeout: 1m
            backoff_coefficient: 2
            conditions: [{ type: json_path, path: .status, expected: completed }]
        save: [{ json_path: .result, as: result }]
      - { name: show, plugin: log, config: { message: "result={{ result }}" } }
`);
    const bodies = [
      { status: 'queued', result: 'wrong-1' },
      { status: 'running', result: 'wrong-2' },
      { status: 'completed', result: 'right' },
    ];
    const { events } = runVirtual(loaded, (_r, n, cold) => cold('-r|', { r: fakeResponse(200, bodies[n - 1] ?? {}) }));
    // attempt 1 ends at 1; wait 1s -> attempt 2 sent at 1001, ends 1002; wait 2s -> sent 3002, ends 3003
    expect(events.filter((e) => e._tag === 'AttemptMade').map((e) => e.at)).to.deep.equal([1, 1002, 3003]);
    expect(events.map(line)).to.include('3003 Log result=right');
  });

  it('with testSlots shared by several suites, never runs more tests at once than the pool has slots', () => {
    // Three suites of four tests, each test one 10ms request; each suite allows 8 at once. With
    // a pool of 2 shared by the three, 12 tests run two at a time: 6 rounds of 10ms, ending at 60.
    // Without it, all 12 would run at once and end at 10.
    const scheduler = createTestScheduler();
    const events: RunEvent[] = [];
    scheduler.run(({ cold }) => {
      const http = fakeHttp(() => cold('----------r|', { r: fakeResponse(200) }));
      const testSlots = createSlotPool(2);
      const suites = ['a', 'b', 'c'].map((name) =>
        suite(
          `name: ${name}\ntests:\n${[1, 2, 3, 4].map((n) => `  - { name: ${name}${n}, steps: [{ name: get, plugin: http, config: { method: GET, url: "http://api/${name}${n}" } }] }\n`).join('')}`,
          `/specs/${name}.yaml`,
        ),
      );
      merge(
        ...suites.map((loaded) => runSuite(loaded, { http, plugins: builtinPlugins(), scheduler, concurrency: 8, testSlots })),
      ).subscribe((e) => events.push(e));
    });
    let running = 0;
    let most = 0;
    for (const e of events) {
      if (e._tag === 'TestStarted') most = Math.max(most, ++running);
      if (e._tag === 'TestEnded') running--;
    }
    expect(most).to.equal(2);
    expect(events.filter((e) => e._tag === 'TestEnded' && e.result._tag === 'Passed')).to.have.length(12);
    // First come first served: suite a's tests ask first, then b's, then c's.
    expect(
      events.filter((e) => e._tag === 'TestStarted').map((e) => `${e.at} ${e._tag === 'TestStarted' ? e.ref.test : ''}`),
    ).to.deep.equal(['0 a1', '0 a2', '10 a3', '10 a4', '20 b1', '20 b2', '30 b3', '30 b4', '40 c1', '40 c2', '50 c3', '50 c4']);
    expect(events.filter((e) => e._tag === 'SuiteEnded').map((e) => e.at)).to.deep.equal([20, 40, 60]);
  });
});

describe('runSuite: an executor that replays suite init (TestExecutor.suiteInit)', () => {
  const yaml = `
name: replayed
init:
  - name: login
    plugin: http
    config: { method: POST, url: "http://api/login" }
    save: [{ json_path: .token, as: token }]
tests:
  - name: a
    steps:
      - { name: use, plugin: http, config: { method: GET, url: "http://api/a?t={{ token }}" } }
cleanup:
  always:
    - { name: logout, plugin: http, config: { method: DELETE, url: "http://api/login/{{ token }}" } }
`;
  const ok: VirtualRoute = (_req, _n, cold) => cold('-r|', { r: fakeResponse(200, { token: 'LIVE' }) });

  it('is given init as it would run; what it returns decides: init is not sent, its events are emitted, its saves reach tests and cleanup', () => {
    const recorded: RunEvent = {
      _tag: 'StepEnded',
      ref: {
        suite: 'replayed',
        file: 'suite.yaml',
        test: undefined,
        testIndex: undefined,
        phase: 'suite_init',
        index: 0,
        step: 'login',
        line: 4,
      },
      result: { _tag: 'Passed', durationMs: 5, attempts: 1, checks: [], saved: { token: 'RECORDED' } },
      at: 1,
    };
    // Never subscribed to: init is not run.
    const executor = {
      ...localExecutor,
      suiteInit: () => of<SequenceState>({ saved: { token: 'RECORDED' }, failure: undefined, event: recorded }),
    };
    const { events, requests } = runVirtual(suite(yaml), ok, { executor });
    expect(requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal(['GET http://api/a?t=RECORDED', 'DELETE http://api/login/RECORDED']);
    // Emitted as given, and masked as init's own events are (a saved token is a credential).
    expect(events.filter((e) => e._tag === 'StepEnded' && e.ref.phase === 'suite_init')).to.deep.equal([
      { ...recorded, result: { _tag: 'Passed', durationMs: 5, attempts: 1, checks: [], saved: { token: '***' } } },
    ]);
    expect(events.at(-1)).to.deep.include({ _tag: 'SuiteEnded' });
  });

  it('returning init$ as it is runs init here, as without the hook', () => {
    const executor = { ...localExecutor, suiteInit: (_loaded: unknown, init$: Observable<SequenceState>) => init$ };
    const { requests } = runVirtual(suite(yaml), ok, { executor });
    expect(requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
      'POST http://api/login',
      'GET http://api/a?t=LIVE',
      'DELETE http://api/login/LIVE',
    ]);
  });
});

describe('runSuite: identity of tests and steps', () => {
  const failingCall = (name: string) =>
    `{ name: ${name}, plugin: http, config: { method: GET, url: "http://api/fail" }, assertions: [{ type: status_code, expected: 200 }] }`;
  const passingCall = (name: string) =>
    `{ name: ${name}, plugin: http, config: { method: GET, url: "http://api/ok" }, assertions: [{ type: status_code, expected: 200 }] }`;
  const route: Parameters<typeof runVirtual>[1] = (req, _n, cold) =>
    cold('-r|', { r: fakeResponse(req.url.endsWith('/fail') ? 500 : 200) });

  it('gives suite cleanup on_failure and always steps phases of their own, each indexed from 0', () => {
    const loaded = suite(`
name: cleanup-phases
tests:
  - { name: t, steps: [${failingCall('bad')}] }
cleanup:
  on_failure: [${failingCall('dump')}]
  always: [${passingCall('drop')}]
`);
    const { events } = runVirtual(loaded, route);
    const ended = events.filter((e): e is Extract<RunEvent, { _tag: 'StepEnded' }> => e._tag === 'StepEnded' && e.ref.test === undefined);
    expect(ended.map((e) => [e.ref.phase, e.ref.index, e.ref.step, e.result._tag])).to.deep.equal([
      ['suite_cleanup_on_failure', 0, 'dump', 'Failed'],
      ['suite_cleanup_always', 0, 'drop', 'Passed'],
    ]);
  });

  it("`only` sees each test's position too: one of two tests of the same name can be chosen (as --rerun-failed does)", () => {
    const loaded = suite(`
name: same-names
tests:
  - { name: same, steps: [${passingCall('get')}] }
  - { name: same, steps: [${failingCall('get')}] }
`);
    const { events } = runVirtual(loaded, route, { only: (name, index) => name === 'same' && index === 1 });
    const started = events.find((e) => e._tag === 'SuiteStarted');
    expect(started?._tag === 'SuiteStarted' && started.tests).to.deep.equal([{ index: 1, name: 'same', line: 5 }]);
    expect(
      events.filter((e) => e._tag === 'TestEnded').map((e) => e._tag === 'TestEnded' && [e.ref.testIndex, e.result._tag]),
    ).to.deep.equal([[1, 'Failed']]);
  });

  it('tells two tests of the same name apart by their position in the file, in every test and step event', () => {
    const loaded = suite(`
name: same-names
tests:
  - { name: same, steps: [${passingCall('get')}] }
  - { name: other, steps: [${passingCall('get')}] }
  - { name: same, steps: [${failingCall('get')}] }
`);
    const { events } = runVirtual(loaded, route, { only: (name) => name === 'same' });
    const started = events.find((e) => e._tag === 'SuiteStarted');
    expect(started?._tag === 'SuiteStarted' && started.tests).to.deep.equal([
      { index: 0, name: 'same', line: 4 },
      { index: 2, name: 'same', line: 6 },
    ]);
    const summary = events.flatMap((e) => {
      if (e._tag === 'TestStarted') return [`started ${e.ref.test}#${e.ref.testIndex}`];
      if (e._tag === 'TestEnded') return [`ended ${e.ref.test}#${e.ref.testIndex} ${e.result._tag}`];
      if (e._tag === 'StepEnded') return [`step ${e.ref.test}#${e.ref.testIndex} ${e.ref.phase}[${e.ref.index}] ${e.result._tag}`];
      return [];
    });
    // both run at once (concurrency 8) and end at the same virtual time
    expect(summary).to.deep.equal([
      'started same#0',
      'started same#2',
      'step same#0 steps[0] Passed',
      'ended same#0 Passed',
      'step same#2 steps[0] Failed',
      'ended same#2 Failed',
    ]);
    const suiteEnded = events.at(-1);
    expect(suiteEnded?._tag === 'SuiteEnded' && suiteEnded.result).to.deep.include({ passed: 1, failed: 1 });
  });

  it('gives the tests skipped after a failed suite init their positions', () => {
    const loaded = suite(`
name: init-fails
init: [${failingCall('login')}]
tests:
  - { name: same, steps: [${passingCall('a')}] }
  - { name: same, steps: [${passingCall('b')}] }
`);
    const { events } = runVirtual(loaded, route);
    expect(
      events
        .filter((e) => e._tag === 'TestEnded')
        .map((e) => e._tag === 'TestEnded' && `${e.ref.test}#${e.ref.testIndex} ${e.result._tag}`),
    ).to.deep.equal(['same#0 Skipped', 'same#1 Skipped']);
  });
});
