import { expect } from 'chai';
import { map, of, ReplaySubject, type Observable } from 'rxjs';
import { placeSteps, runTest, type Placement } from '../../lib/run/run-test.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import type { PluginContext, PluginEvent } from '../../lib/step/plugin.js';
import { fakeResponse, suite } from '../helpers/fake-http.js';
import { inVirtualTime } from '../helpers/marbles.js';
import { runVirtual } from '../helpers/run-virtual.js';
import { line } from '../helpers/event-line.js';
import { FILE, probeSteps, probeTest, stepEnv, probeByStep as probe, doneSaving as done } from '../helpers/step-env.js';

/** Lines are 100 + the length of the key path: 104 for `['tests', 0, 'steps', 0]`. */
const PLACEMENT: Placement = { suite: 'S', file: FILE, lineOf: (path) => 100 + path.length };

const step = (name: string) => `{ name: ${name}, plugin: probe, config: {} }`;

/** {@link line} of each event, as it comes. */
const lines$ = (events$: Observable<RunEvent>) => events$.pipe(map(line));

describe('runTest', () => {
  describe('placeSteps', () => {
    it('gives each step its suite, file, test (name and position), phase, index, name and line', () => {
      const steps = probeSteps(step('a'), step('b'));
      expect(
        placeSteps({
          steps,
          phase: 'cleanup_always',
          test: { name: 'T', index: 3 },
          path: ['tests', 3, 'cleanup', 'always'],
          placement: { ...PLACEMENT, lineOf: (p) => (p.at(-1) === 1 ? 42 : undefined) },
        }),
      ).to.deep.equal([
        {
          step: steps[0],
          ref: { suite: 'S', file: FILE, test: 'T', testIndex: 3, phase: 'cleanup_always', index: 0, step: 'a', line: undefined },
        },
        {
          step: steps[1],
          ref: { suite: 'S', file: FILE, test: 'T', testIndex: 3, phase: 'cleanup_always', index: 1, step: 'b', line: 42 },
        },
      ]);
    });

    it('asks for the line of each step by its key path; suite steps have no test', () => {
      const asked: Array<ReadonlyArray<string | number>> = [];
      const [placed] = placeSteps({
        steps: probeSteps(step('login')),
        phase: 'suite_init',
        test: undefined,
        path: ['init'],
        placement: { ...PLACEMENT, lineOf: (p) => (asked.push(p), 7) },
      });
      expect(asked).to.deep.equal([['init', 0]]);
      expect(placed?.ref).to.deep.include({ test: undefined, testIndex: undefined, phase: 'suite_init', line: 7 });
    });

    it('places nothing when the list is absent', () => {
      expect(
        placeSteps({ steps: undefined, phase: 'init', test: { name: 'T', index: 0 }, path: ['tests', 0, 'init'], placement: PLACEMENT }),
      ).to.deep.equal([]);
    });
  });

  it('runs init then steps, each after the one before, between TestStarted and TestEnded Passed (many values)', () => {
    const test = probeTest(`  - name: t\n    init: [${step('i')}]\n    steps: [${step('a')}, ${step('b')}]\n`);
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const env = stepEnv(
        scheduler,
        probe({
          i: () => cold('----(d|)', { d: done() }),
          a: () => cold('------(d|)', { d: done() }),
          b: () => cold('(d|)', { d: done() }),
        }),
      );
      // i runs 0-4, a 4-10, b (synchronous) at 10; a group (...) takes as many frames as characters
      expectObservable(lines$(runTest(test, 0, {}, env, PLACEMENT))).toBe('(ts)(ua) 2ms (vbwx|)', {
        t: '0 TestStarted t',
        s: '0 StepStarted t/init/i',
        u: '4 StepEnded t/init/i Passed',
        a: '4 StepStarted t/steps/a',
        v: '10 StepEnded t/steps/a Passed',
        b: '10 StepStarted t/steps/b',
        w: '10 StepEnded t/steps/b Passed',
        x: '10 TestEnded t Passed',
      });
    });
  });

  it("ends with TestEnded, carrying the test's position and its duration", () => {
    const test = probeTest(`  - name: t\n    steps: [${step('a')}]\n`);
    const events: RunEvent[] = [];
    inVirtualTime(({ cold }, scheduler) => {
      runTest(test, 4, {}, stepEnv(scheduler, probe({ a: () => cold('-----(d|)', { d: done() }) })), PLACEMENT).subscribe((e) =>
        events.push(e),
      );
    });
    expect(events[0]).to.deep.equal({ _tag: 'TestStarted', ref: { suite: 'S', file: FILE, test: 't', testIndex: 4 }, at: 0 });
    expect(events.at(-1)).to.deep.equal({
      _tag: 'TestEnded',
      ref: { suite: 'S', file: FILE, test: 't', testIndex: 4 },
      result: { _tag: 'Passed', durationMs: 5 },
      at: 5,
    });
    expect(events.flatMap((e) => ('line' in e.ref ? [[e.ref.test, e.ref.testIndex, e.ref.line]] : []))).to.deep.equal([
      ['t', 4, 104],
      ['t', 4, 104],
    ]);
  });

  it("seeds the steps with the suite init's saves, and gives cleanup what was saved up to the failure", () => {
    const test = probeTest(
      `  - name: t\n    steps: [${step('save')}, ${step('fail')}]\n    cleanup:\n      on_failure: [${step('dump')}]\n      always: [${step('tidy')}]\n`,
    );
    const seen: Record<string, unknown> = {};
    const record = (events$: Observable<PluginEvent>) => (context: PluginContext) => (
      (seen[context.ref.step] = context.variables.saved),
      events$
    );
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const env = stepEnv(
        scheduler,
        probe({
          save: record(of(done({ job: 'j-1' }))),
          fail: record(cold('------#', undefined, new Error('boom'))),
          dump: record(of(done({ dumped: true }))),
          tidy: record(of(done())),
        }),
      );
      // fail ends at 6, where the 6-character group (tabc) ends
      expectObservable(lines$(runTest(test, 0, { token: 'T' }, env, PLACEMENT))).toBe('(tabc)(defghi|)', {
        t: '0 TestStarted t',
        a: '0 StepStarted t/steps/save',
        b: '0 StepEnded t/steps/save Passed',
        c: '0 StepStarted t/steps/fail',
        d: '6 StepEnded t/steps/fail Errored',
        e: '6 StepStarted t/cleanup_on_failure/dump',
        f: '6 StepEnded t/cleanup_on_failure/dump Passed',
        g: '6 StepStarted t/cleanup_always/tidy',
        h: '6 StepEnded t/cleanup_always/tidy Passed',
        i: '6 TestEnded t Failed',
      });
    });
    // on_failure's saves are not seen by always: both cleanups start from the state at the failure
    expect(seen).to.deep.equal({
      save: { token: 'T' },
      fail: { token: 'T', job: 'j-1' },
      dump: { token: 'T', job: 'j-1' },
      tidy: { token: 'T', job: 'j-1' },
    });
  });

  it("after a failed init step, skips the test's steps and fails the test at that init step", () => {
    const test = probeTest(`  - name: t\n    init: [${step('login')}]\n    steps: [${step('a')}]\n`);
    const events: RunEvent[] = [];
    inVirtualTime(({ cold }, scheduler) => {
      runTest(
        test,
        0,
        {},
        stepEnv(scheduler, probe({ login: () => cold('-#', undefined, new Error('401')), a: () => of(done()) })),
        PLACEMENT,
      ).subscribe((e) => events.push(e));
    });
    expect(events.map(line)).to.deep.equal([
      '0 TestStarted t',
      '0 StepStarted t/init/login',
      '1 StepEnded t/init/login Errored',
      '1 StepEnded t/steps/a Skipped',
      '1 TestEnded t Failed',
    ]);
    expect(events.at(-1)).to.deep.include({
      result: {
        _tag: 'Failed',
        durationMs: 1,
        cause: { _tag: 'Internal', message: '401' },
        step: 'login',
        stepPhase: 'init',
        stepIndex: 0,
      },
    });
  });

  it('on interrupt: the step in flight ends Interrupted, the rest are skipped, cleanup runs to its end anyway', () => {
    const test = probeTest(`  - name: t\n    steps: [${step('slow')}, ${step('after')}]\n    cleanup:\n      always: [${step('tidy')}]\n`);
    const events: RunEvent[] = [];
    inVirtualTime(({ cold }, scheduler) => {
      // replays to late subscribers, as runSuite requires of its interrupt$
      const interrupt$ = new ReplaySubject<string>(1);
      cold('--i').subscribe(() => interrupt$.next('SIGINT'));
      const env = stepEnv(
        scheduler,
        probe({ slow: () => cold('-----(d|)', { d: done() }), after: () => of(done()), tidy: () => cold('----(d|)', { d: done() }) }),
        { interrupt$ },
      );
      runTest(test, 0, {}, env, PLACEMENT).subscribe((e) => events.push(e));
    });
    // interrupted at 2; the cleanup step takes its 4 frames (2-6) although interrupt$ has fired
    expect(events.map(line)).to.deep.equal([
      '0 TestStarted t',
      '0 StepStarted t/steps/slow',
      '2 StepEnded t/steps/slow Interrupted',
      '2 StepEnded t/steps/after Skipped',
      '2 StepStarted t/cleanup_always/tidy',
      '6 StepEnded t/cleanup_always/tidy Passed',
      '6 TestEnded t Interrupted',
    ]);
    expect(events.at(-1)).to.deep.include({ result: { _tag: 'Interrupted', durationMs: 6, reason: 'interrupted' } });
  });

  it('never errors: a plugin that throws when called fails the test with an internal error (a callback that throws)', () => {
    const test = probeTest(`  - name: t\n    steps: [${step('throws')}]\n`);
    const events: RunEvent[] = [];
    inVirtualTime((_helpers, scheduler) => {
      const env = stepEnv(
        scheduler,
        probe({
          throws: () => {
            throw new Error('kaput');
          },
        }),
      );
      runTest(test, 0, {}, env, PLACEMENT).subscribe({ next: (e) => events.push(e), error: (e: unknown) => expect.fail(String(e)) });
    });
    expect(events.at(-1)).to.deep.include({
      result: {
        _tag: 'Failed',
        durationMs: 0,
        cause: { _tag: 'Internal', message: 'kaput' },
        step: 'throws',
        stepPhase: 'steps',
        stepIndex: 0,
      },
    });
  });

  it('unsubscribing cancels the step in flight: no cleanup, no TestEnded (early unsubscription)', () => {
    const test = probeTest(`  - name: t\n    steps: [${step('slow')}]\n    cleanup:\n      always: [${step('tidy')}]\n`);
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const slow$ = cold<PluginEvent>('-----(d|)', { d: done() });
      const tidy$ = cold<PluginEvent>('(d|)', { d: done() });
      expectObservable(
        lines$(runTest(test, 0, {}, stepEnv(scheduler, probe({ slow: () => slow$, tidy: () => tidy$ })), PLACEMENT)),
        '^--!',
      ).toBe('(ts)', {
        t: '0 TestStarted t',
        s: '0 StepStarted t/steps/slow',
      });
      expectSubscriptions(slow$.subscriptions).toBe('^--!');
      expectSubscriptions(tidy$.subscriptions).toBe([]);
    });
  });

  it('skips the steps after a failed one, with the reason, and runs on_failure then always cleanup', () => {
    const loaded = suite(`
name: lifecycle
tests:
  - name: t
    init:
      - { name: i1, plugin: log, config: { message: init } }
    steps:
      - name: bad
        plugin: http
        config: { method: GET, url: "http://api/x" }
        assertions: [{ type: status_code, expected: 200 }]
      - { name: never, plugin: log, config: { message: never } }
    cleanup:
      on_failure:
        - { name: f1, plugin: log, config: { message: "{{ missing }}" } }
        - { name: f2, plugin: log, config: { message: on-failure } }
      always:
        - { name: a1, plugin: log, config: { message: always } }
`);
    const { events } = runVirtual(loaded, (_r, _n, cold) => cold('-r|', { r: fakeResponse(500) }));
    const ended = events.filter((e): e is Extract<RunEvent, { _tag: 'StepEnded' }> => e._tag === 'StepEnded');
    expect(ended.map((e) => `${e.ref.phase}/${e.ref.step} ${e.result._tag}`)).to.deep.equal([
      'init/i1 Passed',
      'steps/bad Failed',
      'steps/never Skipped',
      // a cleanup step's own error does not stop the cleanup, nor change the test's result
      'cleanup_on_failure/f1 Errored',
      'cleanup_on_failure/f2 Passed',
      'cleanup_always/a1 Passed',
    ]);
    const skipped = ended[2]?.result;
    expect(skipped).to.deep.equal({ _tag: 'Skipped', reason: 'step "bad" did not pass' });
    const testEnded = events.find((e) => e._tag === 'TestEnded');
    expect(testEnded?._tag === 'TestEnded' && testEnded.result).to.deep.include({ _tag: 'Failed', step: 'bad' });
    const bad = ended[1]?.result;
    expect(bad?._tag === 'Failed' && bad.cause).to.deep.equal({
      _tag: 'Assertions',
      failed: [{ _tag: 'Failed', label: 'status_code', matcher: 'expected', expected: 200, actual: 500 }],
    });
  });

  it('runs no on_failure cleanup when everything passed', () => {
    const loaded = suite(`
name: s
tests:
  - name: t
    steps: [{ name: ok, plugin: log, config: { message: hi } }]
    cleanup:
      on_failure: [{ name: f, plugin: log, config: { message: f } }]
      always: [{ name: a, plugin: log, config: { message: a } }]
`);
    const { events } = runVirtual(loaded, () => of());
    expect(events.filter((e) => e._tag === 'LogEmitted').map(line)).to.deep.equal(['0 Log hi', '0 Log a']);
  });

  describe('resume (a test another process started)', () => {
    it('runs no step that ended, continues the step in progress with its poll, and counts the duration from the first start', () => {
      const test = probeTest(`  - name: t\n    steps: [${step('a')}, ${step('b')}, ${step('c')}]\n`);
      const seen: Record<string, unknown> = {};
      inVirtualTime(({ cold, expectObservable }, scheduler) => {
        const env = stepEnv(
          scheduler,
          probe({
            a: () => {
              throw new Error('a ended before the resume: never run again');
            },
            b: (context) => ((seen['b'] = context.resumePoll), cold('--(d|)', { d: done({ y: 2 }) })),
            c: (context) => ((seen['c'] = context.variables.saved), of(done())),
          }),
        );
        const resume = {
          startedAt: -10,
          stepsEnded: 1,
          saved: { x: 1 },
          failure: undefined,
          step: { startedAt: -4, poll: { attempts: 3, elapsedMs: 4 } },
        };
        // no TestStarted, no StepStarted for b (both were emitted by the process that stopped)
        expectObservable(lines$(runTest(test, 0, {}, env, PLACEMENT, resume))).toBe('--(bcde|)', {
          b: '2 StepEnded t/steps/b Passed',
          c: '2 StepStarted t/steps/c',
          d: '2 StepEnded t/steps/c Passed',
          e: '2 TestEnded t Passed',
        });
      });
      expect(seen).to.deep.equal({ b: { attempts: 3, elapsedMs: 4 }, c: { x: 1, y: 2 } });
      const events: RunEvent[] = [];
      inVirtualTime(({ cold }, scheduler) => {
        const env = stepEnv(scheduler, probe({ b: () => cold('--(d|)', { d: done() }), c: () => of(done()) }));
        const resume = { startedAt: -10, stepsEnded: 1, saved: {}, failure: undefined, step: { startedAt: -4 } };
        runTest(test, 0, {}, env, PLACEMENT, resume).subscribe((e) => events.push(e));
      });
      const b = events.find((e) => e._tag === 'StepEnded' && e.ref.step === 'b');
      expect(b?._tag === 'StepEnded' && b.result._tag === 'Passed' && b.result.durationMs).to.equal(6); // from -4 to 2
      const ended = events.at(-1);
      expect(ended?._tag === 'TestEnded' && ended.result).to.deep.equal({ _tag: 'Passed', durationMs: 12 }); // from -10 to 2
    });

    it('after a failure, skips the steps left and resumes inside the cleanup, where it was', () => {
      const test = probeTest(
        `  - name: t\n    steps: [${step('bad')}, ${step('never')}]\n    cleanup:\n      on_failure: [${step('f1')}, ${step('f2')}]\n      always: [${step('a1')}]\n`,
      );
      const failure = {
        step: 'bad',
        ref: { suite: 'S', file: FILE, test: 't', testIndex: 0, phase: 'steps' as const, index: 0, step: 'bad', line: 104 },
        result: { _tag: 'Errored' as const, durationMs: 1, cause: { _tag: 'Internal' as const, message: 'boom' } },
      };
      const events: RunEvent[] = [];
      inVirtualTime((_helpers, scheduler) => {
        const env = stepEnv(scheduler, probe({ f2: () => of(done()), a1: () => of(done()) }));
        // bad, never and f1 had ended: f2 was in progress
        const resume = { startedAt: 0, stepsEnded: 3, saved: {}, failure, step: { startedAt: 0 } };
        runTest(test, 0, {}, env, PLACEMENT, resume).subscribe((e) => events.push(e));
      });
      expect(events.map(line)).to.deep.equal([
        '0 StepEnded t/cleanup_on_failure/f2 Passed',
        '0 StepStarted t/cleanup_always/a1',
        '0 StepEnded t/cleanup_always/a1 Passed',
        '0 TestEnded t Failed',
      ]);
      const ended = events.at(-1);
      expect(ended?._tag === 'TestEnded' && ended.result).to.deep.include({ _tag: 'Failed', step: 'bad', stepIndex: 0 });
    });

    it('skips the main steps left after a failure that came before the resume', () => {
      const test = probeTest(`  - name: t\n    steps: [${step('bad')}, ${step('never')}]\n    cleanup:\n      always: [${step('a1')}]\n`);
      const failure = {
        step: 'bad',
        ref: { suite: 'S', file: FILE, test: 't', testIndex: 0, phase: 'steps' as const, index: 0, step: 'bad', line: 104 },
        result: { _tag: 'Errored' as const, durationMs: 1, cause: { _tag: 'Internal' as const, message: 'boom' } },
      };
      const events: RunEvent[] = [];
      inVirtualTime((_helpers, scheduler) => {
        const env = stepEnv(scheduler, probe({ a1: () => of(done()) }));
        runTest(test, 0, {}, env, PLACEMENT, { startedAt: 0, stepsEnded: 1, saved: {}, failure }).subscribe((e) => events.push(e));
      });
      expect(events.map(line)).to.deep.equal([
        '0 StepEnded t/steps/never Skipped',
        '0 StepStarted t/cleanup_always/a1',
        '0 StepEnded t/cleanup_always/a1 Passed',
        '0 TestEnded t Failed',
      ]);
    });
  });

  describe('identity of steps', () => {
    const failingCall = (name: string) =>
      `{ name: ${name}, plugin: http, config: { method: GET, url: "http://api/fail" }, assertions: [{ type: status_code, expected: 200 }] }`;
    const passingCall = (name: string) =>
      `{ name: ${name}, plugin: http, config: { method: GET, url: "http://api/ok" }, assertions: [{ type: status_code, expected: 200 }] }`;
    const route: Parameters<typeof runVirtual>[1] = (req, _n, cold) =>
      cold('-r|', { r: fakeResponse(req.url.endsWith('/fail') ? 500 : 200) });

    it('names the failing step of a test by phase and index, not only by name', () => {
      const loaded = suite(`
name: same-steps
tests:
  - name: t
    steps:
      - ${passingCall('get')}
      - ${failingCall('get')}
`);
      const { events } = runVirtual(loaded, route);
      const ended = events.find((e) => e._tag === 'TestEnded');
      expect(ended?._tag === 'TestEnded' && ended.result).to.deep.include({
        _tag: 'Failed',
        step: 'get',
        stepPhase: 'steps',
        stepIndex: 1,
      });
    });
  });
});
