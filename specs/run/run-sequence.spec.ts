import { expect } from 'chai';
import { map, type Observable } from 'rxjs';
import { runSequence, type PlacedStep, type SequenceState } from '../../lib/run/run-sequence.js';
import type { PluginContext, PluginEvent } from '../../lib/step/plugin.js';
import type { Json } from '../../lib/json.js';
import { fakeResponse, suite } from '../helpers/fake-http.js';
import { inVirtualTime } from '../helpers/marbles.js';
import { runVirtual } from '../helpers/run-virtual.js';
import { lines } from '../helpers/event-line.js';
import { probeSteps, stepEnv, stepRef, probeByStep as probe, doneSaving as done } from '../helpers/step-env.js';

/** Probe steps named `names`, placed at indexes 0, 1, ... of test `t`. */
function placed(...names: string[]): PlacedStep[] {
  return probeSteps(...names.map((name) => `{ name: ${name}, plugin: probe, config: {} }`)).map((step, index) => ({
    step,
    ref: stepRef(step.name, index),
  }));
}

/** A state on one line: `<event> <step> <result>|saved=<json>|failure=<step>[!]` (`!`: interrupted). */
function summary(s: SequenceState): string {
  const e = s.event;
  const what =
    e === undefined
      ? 'seed'
      : e._tag === 'StepEnded'
        ? `StepEnded ${e.ref.step} ${e.result._tag}`
        : e._tag === 'StepStarted'
          ? `StepStarted ${e.ref.step}`
          : e._tag;
  const failure = s.failure === undefined ? '-' : `${s.failure.step}${s.failure.result._tag === 'Interrupted' ? '!' : ''}`;
  return `${what}|saved=${JSON.stringify(s.saved)}|failure=${failure}`;
}

const summaries = (states$: Observable<SequenceState>) => states$.pipe(map(summary));

describe('runSequence', () => {
  it('emits nothing and completes at once when there are no steps (empty)', () => {
    inVirtualTime(({ expectObservable }, scheduler) => {
      expectObservable(runSequence([], { a: 1 }, stepEnv(scheduler, probe({})), { continueAfterFailure: false })).toBe('|');
    });
  });

  it('runs one step: a state per event, the last holding what it saved over the seed (one value)', () => {
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const env = stepEnv(scheduler, probe({ a: () => cold('--(d|)', { d: done({ token: 't' }) }) }));
      expectObservable(summaries(runSequence(placed('a'), { seed: 1 }, env, { continueAfterFailure: false }))).toBe('s-(e|)', {
        s: 'StepStarted a|saved={"seed":1}|failure=-',
        e: 'StepEnded a Passed|saved={"seed":1,"token":"t"}|failure=-',
      });
    });
  });

  it('starts each step when the one before it ended, with the variables saved so far (many values)', () => {
    const seen: Array<Readonly<Record<string, Json>>> = [];
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const a$ = cold('----(d|)', { d: done({ x: 1 }) });
      const b$ = cold('------(d|)', { d: done({ x: 2, y: 2 }) });
      const c$ = cold('(d|)', { d: done() });
      const record = (step$: Observable<PluginEvent>) => (context: PluginContext) => (seen.push(context.variables.saved), step$);
      const env = stepEnv(scheduler, probe({ a: record(a$), b: record(b$), c: record(c$) }));
      // a runs 0-4, b 4-10, c (synchronous) at 10; a group (...) takes as many frames as characters
      expectObservable(summaries(runSequence(placed('a', 'b', 'c'), { x: 0 }, env, { continueAfterFailure: false }))).toBe(
        's 3ms (ut) 2ms (vwx|)',
        {
          s: 'StepStarted a|saved={"x":0}|failure=-',
          u: 'StepEnded a Passed|saved={"x":1}|failure=-',
          t: 'StepStarted b|saved={"x":1}|failure=-',
          v: 'StepEnded b Passed|saved={"x":2,"y":2}|failure=-',
          w: 'StepStarted c|saved={"x":2,"y":2}|failure=-',
          x: 'StepEnded c Passed|saved={"x":2,"y":2}|failure=-',
        },
      );
      expectSubscriptions(a$.subscriptions).toBe('^---!');
      expectSubscriptions(b$.subscriptions).toBe('4ms ^-----!');
      expectSubscriptions(c$.subscriptions).toBe('10ms (^!)');
    });
    expect(seen).to.deep.equal([{ x: 0 }, { x: 1 }, { x: 2, y: 2 }]);
  });

  it('after a step that did not pass, skips the rest at that moment, naming it, and keeps the first failure', () => {
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const never$ = cold<PluginEvent>('(d|)', { d: done({ never: true }) });
      const env = stepEnv(
        scheduler,
        probe({ bad: () => cold('-#', undefined, new Error('boom')), later: () => never$, last: () => never$ }),
      );
      const states$ = runSequence(placed('bad', 'later', 'last'), { x: 0 }, env, { continueAfterFailure: false });
      expectObservable(summaries(states$)).toBe('s(fkl|)', {
        s: 'StepStarted bad|saved={"x":0}|failure=-',
        f: 'StepEnded bad Errored|saved={"x":0}|failure=bad',
        k: 'StepEnded later Skipped|saved={"x":0}|failure=bad',
        l: 'StepEnded last Skipped|saved={"x":0}|failure=bad',
      });
      expectObservable(
        states$.pipe(
          map((s) => (s.event?._tag === 'StepEnded' && s.event.result._tag === 'Skipped' ? `${s.event.at} ${s.event.result.reason}` : '')),
        ),
      ).toBe('a(bcd|)', { a: '', b: '', c: '1 step "bad" did not pass', d: '1 step "bad" did not pass' });
      expectObservable(states$.pipe(map((s) => s.failure))).toBe('a(bbb|)', {
        a: undefined,
        b: {
          step: 'bad',
          ref: stepRef('bad', 0),
          result: { _tag: 'Errored', durationMs: 1, cause: { _tag: 'Internal', message: 'boom' } },
        },
      });
      expectSubscriptions(never$.subscriptions).toBe([]);
    });
  });

  it('with continueAfterFailure (cleanup), runs every step whatever happened, and keeps the first failure', () => {
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const env = stepEnv(
        scheduler,
        probe({
          first: () => cold('-----#', undefined, new Error('first')),
          second: () => cold('-----#', undefined, new Error('second')),
          third: () => cold('-----(d|)', { d: done({ tidy: true }) }),
        }),
      );
      // each step takes 5 frames: first ends at 5, second at 10, third at 15
      expectObservable(summaries(runSequence(placed('first', 'second', 'third'), {}, env, { continueAfterFailure: true }))).toBe(
        's 4ms (ft) 1ms (uv) 1ms (w|)',
        {
          s: 'StepStarted first|saved={}|failure=-',
          f: 'StepEnded first Errored|saved={}|failure=first',
          t: 'StepStarted second|saved={}|failure=first',
          u: 'StepEnded second Errored|saved={}|failure=first',
          v: 'StepStarted third|saved={}|failure=first',
          w: 'StepEnded third Passed|saved={"tidy":true}|failure=first',
        },
      );
    });
  });

  it('skips the rest after an interrupted step, saying the run was interrupted', () => {
    inVirtualTime(({ cold, hot, expectObservable }, scheduler) => {
      const env = stepEnv(scheduler, probe({ slow: () => cold('-----(d|)', { d: done() }), after: () => cold('(d|)', { d: done() }) }), {
        interrupt$: hot('--i', { i: 'SIGINT' }),
      });
      const states$ = runSequence(placed('slow', 'after'), {}, env, { continueAfterFailure: false });
      expectObservable(summaries(states$)).toBe('s-(ik|)', {
        s: 'StepStarted slow|saved={}|failure=-',
        i: 'StepEnded slow Interrupted|saved={}|failure=slow!',
        k: 'StepEnded after Skipped|saved={}|failure=slow!',
      });
      expectObservable(
        states$.pipe(map((s) => (s.event?._tag === 'StepEnded' && s.event.result._tag === 'Skipped' ? s.event.result.reason : '-'))),
      ).toBe('a-(ab|)', {
        a: '-',
        b: 'the run was interrupted',
      });
    });
  });

  it('never errors: a plugin that throws when called ends its step Errored, and the sequence goes on (a callback that throws)', () => {
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const env = stepEnv(
        scheduler,
        probe({
          throws: () => {
            throw new Error('kaput');
          },
          cleanup: () => cold('-----(d|)', { d: done() }),
        }),
      );
      // cleanup starts at 0 and ends 5 frames later, where the 5-character group (sft) ends
      expectObservable(summaries(runSequence(placed('throws', 'cleanup'), {}, env, { continueAfterFailure: true }))).toBe('(sft)(u|)', {
        s: 'StepStarted throws|saved={}|failure=-',
        f: 'StepEnded throws Errored|saved={}|failure=throws',
        t: 'StepStarted cleanup|saved={}|failure=throws',
        u: 'StepEnded cleanup Passed|saved={}|failure=throws',
      });
    });
  });

  it('unsubscribing cancels the step in flight and starts no other (early unsubscription)', () => {
    inVirtualTime(({ cold, expectObservable, expectSubscriptions }, scheduler) => {
      const slow$ = cold<PluginEvent>('-----(d|)', { d: done() });
      const next$ = cold<PluginEvent>('(d|)', { d: done() });
      const env = stepEnv(scheduler, probe({ slow: () => slow$, next: () => next$ }));
      expectObservable(summaries(runSequence(placed('slow', 'next'), {}, env, { continueAfterFailure: true })), '^--!').toBe('s--', {
        s: 'StepStarted slow|saved={}|failure=-',
      });
      expectSubscriptions(slow$.subscriptions).toBe('^--!');
      expectSubscriptions(next$.subscriptions).toBe([]);
    });
  });

  it('does not change the seed it was given', () => {
    const seed = { x: 0 };
    inVirtualTime(({ cold, expectObservable }, scheduler) => {
      const env = stepEnv(scheduler, probe({ a: () => cold('(d|)', { d: done({ x: 1 }) }) }));
      expectObservable(summaries(runSequence(placed('a'), seed, env, { continueAfterFailure: false }))).toBe('(se|)', {
        s: 'StepStarted a|saved={"x":0}|failure=-',
        e: 'StepEnded a Passed|saved={"x":1}|failure=-',
      });
    });
    expect(seed).to.deep.equal({ x: 0 });
  });

  it('runs steps in order, each seeing what the steps before it saved', () => {
    const loaded = suite(`
name: chain
tests:
  - name: t
    steps:
      - name: create
        plugin: http
        config: { method: POST, url: "http://api/jobs" }
        save: [{ json_path: .id, as: job_id }]
      - name: read
        plugin: http
        config: { method: GET, url: "http://api/jobs/{{ job_id }}" }
        assertions: [{ type: status_code, expected: 200 }]
`);
    const { events, requests } = runVirtual(loaded, (req, n, cold) =>
      cold('--r|', { r: fakeResponse(200, n === 1 ? { id: 'j-7' } : { ok: true }) }),
    );
    expect(requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal(['POST http://api/jobs', 'GET http://api/jobs/j-7']);
    expect(lines(events)).to.deep.equal([
      '0 SuiteStarted',
      '0 TestStarted t',
      '0 StepStarted t/steps/create',
      '2 Attempt create #1',
      '2 StepEnded t/steps/create Passed',
      '2 StepStarted t/steps/read',
      '4 Attempt read #1',
      '4 StepEnded t/steps/read Passed',
      '4 TestEnded t Passed',
      '4 SuiteEnded Passed p1 f0 s0 i0',
    ]);
  });
});
