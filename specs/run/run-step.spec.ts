import { expect } from 'chai';
import { NEVER } from 'rxjs';
import { runStep } from '../../lib/run/run-step.js';
import type { AttemptRecord, RunEvent, StepResult } from '../../lib/event/run-event.js';
import type { PluginContext, PluginEvent } from '../../lib/step/plugin.js';
import { StepConfigError, StepFailedError } from '../../lib/step/step-error.js';
import type { StepFailure } from '../../lib/step/step-failure.js';
import { fakeResponse, suite } from '../helpers/fake-http.js';
import { inVirtualTime } from '../helpers/marbles.js';
import { runVirtual } from '../helpers/run-virtual.js';
import { line } from '../helpers/event-line.js';
import { DONE, probeSteps, stepEnv, stepRef, type ProbeRun } from '../helpers/step-env.js';

const REF = stepRef('p');
const started = (at: number): RunEvent => ({ _tag: 'StepStarted', ref: REF, plugin: 'probe', at });
const ended = (result: StepResult, at: number): RunEvent => ({ _tag: 'StepEnded', ref: REF, result, at });
const passed = (durationMs: number, more: Partial<Extract<StepResult, { _tag: 'Passed' }>> = {}): StepResult => ({
  _tag: 'Passed',
  durationMs,
  attempts: 1,
  checks: [],
  saved: {},
  ...more,
});

/** A probe step with `extra` keys (`retry`, `save`, `assertions`) in YAML flow syntax. */
/** A poll that used up its 3 attempts, as the http plugin reports it. */
const EXHAUSTED: StepFailure = {
  _tag: 'PollExhausted',
  maxAttempts: 3,
  attempts: 3,
  elapsedMs: 2,
  last: { _tag: 'NoResponse', number: 3 },
};

const probeStep = (extra = '') => probeSteps(`{ name: p, plugin: probe, config: {}${extra === '' ? '' : `, ${extra}`} }`)[0]!;

const ATTEMPT: AttemptRecord = {
  number: 1,
  maxAttempts: 3,
  elapsedMs: 0,
  timeoutMs: 1000,
  request: { method: 'GET', url: 'http://api/job', headers: {} },
  outcome: { _tag: 'Response', status: 200, headers: {}, bodyExcerpt: '', durationMs: 1 },
  conditions: [],
  nextDelayMs: 10,
};

describe('runStep', () => {
  it('emits StepStarted, then one StepEnded Passed in the frame the plugin is done, and completes (one value)', () => {
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const plugin$ = cold('---(d|)', { d: DONE });
      const step$ = runStep(
        probeStep(),
        REF,
        {},
        stepEnv(scheduler, () => plugin$),
      );
      expectObservable(step$).toBe('s--(e|)', { s: started(0), e: ended(passed(3), 3) });
    });
  });

  it("passes the plugin's attempts and logs on as events, each at the time it came (many values)", () => {
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const plugin$ = cold<PluginEvent>('-a-l-(d|)', {
        a: { _tag: 'Attempt', attempt: ATTEMPT },
        l: { _tag: 'Log', message: 'hello' },
        d: { ...DONE, attempts: 2 },
      });
      expectObservable(
        runStep(
          probeStep(),
          REF,
          {},
          stepEnv(scheduler, () => plugin$),
        ),
      ).toBe('sa-l-(e|)', {
        s: started(0),
        a: { _tag: 'AttemptMade', ref: REF, attempt: ATTEMPT, at: 1 },
        l: { _tag: 'LogEmitted', ref: REF, message: 'hello', at: 3 },
        e: ended(passed(5, { attempts: 2 }), 5),
      });
    });
  });

  it('ends Failed with the attempts and checks of a StepFailedError, and completes: it never errors (error)', () => {
    const check = { _tag: 'Failed', label: 'status_code', matcher: 'expected', expected: 200, actual: 503 } as const;
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const plugin$ = cold<PluginEvent>('--#', undefined, new StepFailedError(EXHAUSTED, { checks: [check], attempts: 3 }));
      expectObservable(
        runStep(
          probeStep(),
          REF,
          {},
          stepEnv(scheduler, () => plugin$),
        ),
      ).toBe('s-(e|)', {
        s: started(0),
        e: ended({ _tag: 'Failed', durationMs: 2, attempts: 3, checks: [check], cause: EXHAUSTED }, 2),
      });
    });
  });

  it('ends Errored with the message of a StepConfigError, and "internal error: ..." for any other error', () => {
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const config$ = cold<PluginEvent>('-#', undefined, new StepConfigError('config.url: undefined variable "x"'));
      const other$ = cold<PluginEvent>('-#', undefined, new TypeError('x is not a function'));
      expectObservable(
        runStep(
          probeStep(),
          REF,
          {},
          stepEnv(scheduler, () => config$),
        ),
      ).toBe('s(e|)', {
        s: started(0),
        e: ended({ _tag: 'Errored', durationMs: 1, cause: { _tag: 'Config', message: 'config.url: undefined variable "x"' } }, 1),
      });
      expectObservable(
        runStep(
          probeStep(),
          REF,
          {},
          stepEnv(scheduler, () => other$),
        ),
      ).toBe('s(e|)', {
        s: started(0),
        e: ended({ _tag: 'Errored', durationMs: 1, cause: { _tag: 'Internal', message: 'x is not a function' } }, 1),
      });
    });
  });

  it('ends Errored when the plugin throws instead of returning an Observable (a callback that throws)', () => {
    inVirtualTime(({ expectObservable }, scheduler) => {
      const throwing: ProbeRun = () => {
        throw new Error('kaput');
      };
      expectObservable(runStep(probeStep(), REF, {}, stepEnv(scheduler, throwing))).toBe('(se|)', {
        s: started(0),
        e: ended({ _tag: 'Errored', durationMs: 0, cause: { _tag: 'Internal', message: 'kaput' } }, 0),
      });
    });
  });

  it('stays open while the plugin runs, and unsubscribing cancels the plugin (never-ending source, early unsubscription)', () => {
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const plugin$ = cold<PluginEvent>('-l', { l: { _tag: 'Log', message: 'still here' } });
      expectObservable(
        runStep(
          probeStep(),
          REF,
          {},
          stepEnv(scheduler, () => plugin$),
        ),
        '^--!',
      ).toBe('sl-', {
        s: started(0),
        l: { _tag: 'LogEmitted', ref: REF, message: 'still here', at: 1 },
      });
      expectSubscriptions(plugin$.subscriptions).toBe('^--!');
    });
  });

  it('on interrupt$, cancels the plugin and ends Interrupted at that moment', () => {
    inVirtualTime(({ cold, hot, expectObservable, expectSubscriptions }, scheduler) => {
      const plugin$ = cold<PluginEvent>('-----(d|)', { d: DONE });
      const interrupt$ = hot('---i', { i: 'SIGINT' });
      expectObservable(
        runStep(
          probeStep(),
          REF,
          {},
          stepEnv(scheduler, () => plugin$, { interrupt$ }),
        ),
      ).toBe('s--(e|)', {
        s: started(0),
        e: ended({ _tag: 'Interrupted', durationMs: 3, reason: 'interrupted' }, 3),
      });
      expectSubscriptions(plugin$.subscriptions).toBe('^--!');
    });
  });

  it("ends Errored at once, naming the supported plugins, when the step's plugin is not registered", () => {
    inVirtualTime(({ expectObservable }, scheduler) => {
      const env = stepEnv(scheduler, () => NEVER);
      const plugins = new Map(env.plugins);
      plugins.delete('probe');
      expectObservable(runStep(probeStep(), REF, {}, { ...env, plugins })).toBe('(se|)', {
        s: started(0),
        e: ended(
          {
            _tag: 'Errored',
            durationMs: 0,
            cause: { _tag: 'UnknownPlugin', plugin: 'probe', known: ['delay', 'http', 'log', 'script', 'sql'] },
          },
          0,
        ),
      });
    });
  });

  it('ends Errored before running the plugin when its retry policy does not render', () => {
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const plugin$ = cold<PluginEvent>('(d|)', { d: DONE });
      const step = probeStep('retry: { maximum_attempts: "{{ attempts }}" }');
      expectObservable(
        runStep(
          step,
          REF,
          {},
          stepEnv(scheduler, () => plugin$),
        ),
      ).toBe('(se|)', {
        s: started(0),
        e: ended(
          {
            _tag: 'Errored',
            durationMs: 0,
            cause: { _tag: 'Config', message: 'retry.maximum_attempts: undefined variable "attempts"; available: (none)' },
          },
          0,
        ),
      });
      expectSubscriptions(plugin$.subscriptions).toBe([]);
    });
  });

  it('runs the plugin again after a failure, on the retry schedule, until it passes', () => {
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const failure = new StepFailedError('1 assertion failed', { attempts: 1 });
      const runs = [
        cold<PluginEvent>('-#', undefined, failure),
        cold<PluginEvent>('-#', undefined, failure),
        cold<PluginEvent>('-(d|)', { d: DONE }),
      ];
      let calls = 0;
      const step = probeStep('retry: { initial_interval: 10ms, backoff_coefficient: 2, maximum_attempts: 3 }');
      // run 1 at 0 fails at 1; waits 10 -> run 2 at 11 fails at 12; waits 20 -> run 3 at 32, passes at 33
      expectObservable(
        runStep(
          step,
          REF,
          {},
          stepEnv(scheduler, () => runs[calls++]!),
        ),
      ).toBe('s 32ms (e|)', {
        s: started(0),
        // 3 runs of the policy's 3; the probe sends no request
        e: ended(passed(33, { retry: { runs: 3, maxRuns: 3, requests: 0 } }), 33),
      });
      expectSubscriptions(runs[0]!.subscriptions).toBe('^!');
      expectSubscriptions(runs[1]!.subscriptions).toBe('11ms ^!');
      expectSubscriptions(runs[2]!.subscriptions).toBe('32ms ^!');
    });
  });

  it('stops retrying after maximum_attempts runs, and ends with the last failure', () => {
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      let calls = 0;
      const plugin = () => cold<PluginEvent>('-#', undefined, new StepFailedError(`failure ${++calls}`, { attempts: 1 }));
      const step = probeStep('retry: { initial_interval: 10ms, backoff_coefficient: 1, maximum_attempts: 2 }');
      // run 1 at 0 fails at 1; waits 10 -> run 2 at 11 fails at 12: two runs, the second failure reported
      expectObservable(runStep(step, REF, {}, stepEnv(scheduler, plugin))).toBe('s 11ms (e|)', {
        s: started(0),
        e: ended(
          {
            _tag: 'Failed',
            durationMs: 12,
            attempts: 1,
            checks: [],
            cause: { _tag: 'PluginFailed', message: 'failure 2' },
            retry: { runs: 2, maxRuns: 2, requests: 0 },
          },
          12,
        ),
      });
    });
  });

  it('does not retry a failure whose kind or message is named in non_retryable_errors', () => {
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const plugin$ = cold<PluginEvent>(
        '-#',
        undefined,
        new StepFailedError({ _tag: 'SaveFailed', as: 'id', why: { _tag: 'NotJson', reason: 'empty' } }, { attempts: 1 }),
      );
      const step = probeStep('retry: { initial_interval: 10ms, maximum_attempts: 3, non_retryable_errors: [save] }');
      expectObservable(
        runStep(
          step,
          REF,
          {},
          stepEnv(scheduler, () => plugin$),
        ),
      ).toBe('s(e|)', {
        s: started(0),
        e: ended(
          {
            _tag: 'Failed',
            durationMs: 1,
            attempts: 1,
            checks: [],
            cause: { _tag: 'SaveFailed', as: 'id', why: { _tag: 'NotJson', reason: 'empty' } },
            // one run of the 3 allowed: the failure is not retryable
            retry: { runs: 1, maxRuns: 3, requests: 0 },
          },
          1,
        ),
      });
      expectSubscriptions(plugin$.subscriptions).toBe('^!');
    });
  });

  it('counts the runs and the requests of every run of a retried step (passed on run 2 of 3, 4 requests)', () => {
    const events: RunEvent[] = [];
    inVirtualTime(({ cold }, scheduler) => {
      const a: PluginEvent = { _tag: 'Attempt', attempt: ATTEMPT };
      const failure = new StepFailedError(EXHAUSTED, { attempts: 3 });
      const runs = [cold<PluginEvent>('aaa#', { a }, failure), cold<PluginEvent>('a(d|)', { a, d: DONE })];
      let calls = 0;
      const step = probeStep('retry: { initial_interval: 10ms, maximum_attempts: 3 }');
      runStep(
        step,
        REF,
        {},
        stepEnv(scheduler, () => runs[calls++]!),
      ).subscribe((e) => events.push(e));
    });
    // run 1: attempts at 0, 1, 2, fails at 3; waits 10 -> run 2 at 13: an attempt, then done at 14
    expect(events.map((e) => `${e.at} ${e._tag}`)).to.deep.equal([
      '0 StepStarted',
      '0 AttemptMade',
      '1 AttemptMade',
      '2 AttemptMade',
      '13 AttemptMade',
      '14 StepEnded',
    ]);
    expect(events.at(-1)).to.deep.equal(ended(passed(14, { retry: { runs: 2, maxRuns: 3, requests: 4 } }), 14));
  });

  it('a resumed step goes on with the run of its retry policy in progress: run 2 of 3 resumed, one more run, requests counted on', () => {
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const a: PluginEvent = { _tag: 'Attempt', attempt: ATTEMPT };
      const failure = new StepFailedError(EXHAUSTED, { attempts: 3 });
      const runs = [cold<PluginEvent>('a#', { a }, failure), cold<PluginEvent>('a#', { a }, failure)];
      const contexts: PluginContext[] = [];
      let calls = 0;
      const step = probeStep('retry: { initial_interval: 10ms, backoff_coefficient: 2, maximum_attempts: 3 }');
      const poll = { attempts: 2, elapsedMs: 5, nextDelayMs: 0 };
      const resume = { startedAt: -100, poll, retry: { runs: 2, requests: 5 } };
      // run 2 (resumed, its poll given) fails at 1; the wait before run 3 is the 2nd retry's, 20ms
      // -> run 3 at 21 (a fresh poll) fails at 22: three runs of three, 5 + 2 requests
      expectObservable(
        runStep(
          step,
          REF,
          {},
          stepEnv(scheduler, (_config, context) => {
            contexts.push(context);
            return runs[calls++]!;
          }),
          resume,
        ),
      ).toBe('a 20ms b (e|)', {
        a: { _tag: 'AttemptMade', ref: REF, attempt: ATTEMPT, at: 0 },
        b: { _tag: 'AttemptMade', ref: REF, attempt: ATTEMPT, at: 21 },
        e: ended(
          {
            _tag: 'Failed',
            durationMs: 122,
            attempts: 3,
            checks: [],
            cause: EXHAUSTED,
            retry: { runs: 3, maxRuns: 3, requests: 7 },
          },
          22,
        ),
      });
      expectSubscriptions(runs[0]!.subscriptions).toBe('^!');
      expectSubscriptions(runs[1]!.subscriptions).toBe('21ms ^!');
      scheduler.flush();
      expect(contexts.map((c) => c.resumePoll)).to.deep.equal([poll, undefined]);
    });
  });

  it('says nothing of runs for a step without retry, or with maximum_attempts: 1', () => {
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const plugin$ = cold<PluginEvent>('(d|)', { d: DONE });
      expectObservable(
        runStep(
          probeStep('retry: { maximum_attempts: 1 }'),
          REF,
          {},
          stepEnv(scheduler, () => plugin$),
        ),
      ).toBe('(se|)', {
        s: started(0),
        e: ended(passed(0), 0),
      });
    });
  });

  it('gives the plugin the variables saved before it, the vars, env and secrets, and ends with what the step saved', () => {
    const seen: PluginContext[] = [];
    const saved = { job_id: 'j-7' };
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const plugin: ProbeRun = (_config, context) => {
        seen.push(context);
        return cold<PluginEvent>('-(d|)', { d: { ...DONE, saved: { by_plugin: 1 }, subject: fakeResponse(200, { status: 'done' }) } });
      };
      const env = stepEnv(scheduler, plugin, { vars: { base: 'http://api' }, env: { HOME: '/root' }, secrets: { TOKEN: 't0k3n' } });
      const step = probeStep('save: [{ json_path: .status, as: state }]');
      expectObservable(runStep(step, REF, saved, env)).toBe('s(e|)', {
        s: started(0),
        e: ended(passed(1, { saved: { by_plugin: 1, state: 'done' } }), 1),
      });
    });
    expect(seen.map((c) => c.variables)).to.deep.equal([
      { saved: { job_id: 'j-7' }, vars: { base: 'http://api' }, env: { HOME: '/root' }, secrets: { TOKEN: 't0k3n' } },
    ]);
    expect(seen[0]?.ref).to.equal(REF);
    expect(seen[0]?.variables.saved, "a copy: the plugin cannot change the caller's variables").not.to.equal(saved);
  });

  it("fails the step when an assertion on the plugin's response fails, with the plugin's checks first", () => {
    const condition = { _tag: 'Passed', label: 'json_path .status', matcher: 'expected', expected: 'done', actual: 'done' } as const;
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const plugin$ = cold<PluginEvent>('-(d|)', { d: { ...DONE, checks: [condition], attempts: 4, subject: fakeResponse(500) } });
      const step = probeStep('assertions: [{ type: status_code, expected: 200 }]');
      expectObservable(
        runStep(
          step,
          REF,
          {},
          stepEnv(scheduler, () => plugin$),
        ),
      ).toBe('s(e|)', {
        s: started(0),
        e: ended(
          {
            _tag: 'Failed',
            durationMs: 1,
            attempts: 4,
            checks: [condition, { _tag: 'Failed', label: 'status_code', matcher: 'expected', expected: 200, actual: 500 }],
            cause: {
              _tag: 'Assertions',
              failed: [{ _tag: 'Failed', label: 'status_code', matcher: 'expected', expected: 200, actual: 500 }],
            },
          },
          1,
        ),
      });
    });
  });

  it('retries a failed step on the Temporal schedule: initial_interval * coefficient^(n-1), capped', () => {
    const loaded = suite(`
name: retry
tests:
  - name: t
    steps:
      - name: flaky
        plugin: http
        config: { method: GET, url: "http://api/flaky" }
        assertions: [{ type: status_code, expected: 200 }]
        retry: { initial_interval: 1s, backoff_coefficient: 3, maximum_interval: 5s, maximum_attempts: 4 }
`);
    const { events } = runVirtual(loaded, (_r, n, cold) => cold('r|', { r: fakeResponse(n < 4 ? 500 : 200) }));
    // run 1 at 0, waits 1s, run 2 at 1000, waits 3s, run 3 at 4000, waits min(9s, 5s), run 4 at 9000
    expect(events.filter((e) => e._tag === 'AttemptMade').map((e) => e.at)).to.deep.equal([0, 1000, 4000, 9000]);
    expect(events.map(line)).to.include('9000 StepEnded t/steps/flaky Passed');
  });

  it('does not retry a step that cannot run as written (a configuration error)', () => {
    const loaded = suite(`
name: retry-config
tests:
  - name: t
    steps:
      - name: undefined-var
        plugin: http
        config: { method: GET, url: "http://api/{{ nope }}" }
        retry: { initial_interval: 1s, maximum_attempts: 3 }
`);
    const { events, requests } = runVirtual(loaded, (_r, _n, cold) => cold('r|', { r: fakeResponse(200) }));
    expect(requests).to.have.length(0);
    const ended = events.find((e) => e._tag === 'StepEnded');
    expect(ended?._tag === 'StepEnded' && ended.result._tag).to.equal('Errored');
    expect(ended?._tag === 'StepEnded' && ended.result._tag === 'Errored' && ended.result.cause)
      .to.deep.include({ _tag: 'Config' })
      .and.have.property('message')
      .that.matches(/undefined variable "nope"/);
  });
});
