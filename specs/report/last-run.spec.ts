import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { RunEvent, TestResult } from '../../lib/event/run-event.js';
import { decodeLastRun, lastRunReporter, mergeLastRun, testPosition, type LastRunTest } from '../../lib/report/last-run.js';

const FILE = '/s/jobs.yaml';

function testEnded(testIndex: number, test: string, result: TestResult, file = FILE): RunEvent {
  return { _tag: 'TestEnded', ref: { suite: 'Jobs', file, test, testIndex }, result, at: 0 };
}

function suiteEnded(initFailed: boolean, file = FILE): RunEvent {
  return {
    _tag: 'SuiteEnded',
    ref: { suite: 'Jobs', file },
    result: {
      _tag: 'Failed',
      durationMs: 1,
      passed: 0,
      failed: 0,
      skipped: 2,
      interrupted: 0,
      ...(initFailed
        ? {
            initFailure: {
              step: 'boot',
              stepIndex: 0,
              result: { _tag: 'Errored', durationMs: 1, cause: { _tag: 'Config', message: 'x' } },
            },
          }
        : {}),
    },
    at: 0,
  };
}

const failed = (tag: 'Assertions' | 'Config'): TestResult => ({
  _tag: 'Failed',
  durationMs: 1,
  cause: tag === 'Config' ? { _tag: 'Config', message: 'undefined variable' } : { _tag: 'Assertions', failed: [] },
  step: 's',
  stepPhase: 'steps',
  stepIndex: 0,
});

const entry = (index: number, name: string, outcome: LastRunTest['outcome'], file = FILE): LastRunTest => ({
  file,
  suite: 'Jobs',
  index,
  name,
  outcome,
});

describe('report/last-run', () => {
  describe('lastRunReporter', () => {
    it('records passed, failed, and errored (a step that could not run as written) for each test that ran to an end', () => {
      const r = lastRunReporter();
      r.next(testEnded(0, 'a', { _tag: 'Passed', durationMs: 1 }));
      r.next(testEnded(1, 'b', failed('Assertions')));
      r.next(testEnded(2, 'c', failed('Config')));
      r.next(testEnded(3, 'd', { _tag: 'Interrupted', durationMs: 1, reason: 'Ctrl-C' }));
      r.next(testEnded(4, 'e', { _tag: 'Skipped', reason: 'not run: --bail after a failed test' }));
      r.next(suiteEnded(false));
      expect(r.outcomes()).to.deep.equal([entry(0, 'a', 'passed'), entry(1, 'b', 'failed'), entry(2, 'c', 'errored')]);
    });

    it('a test skipped because the suite init did not pass is errored: re-running it runs the init again', () => {
      const r = lastRunReporter();
      r.next(testEnded(0, 'a', { _tag: 'Skipped', reason: 'suite init step "boot" did not pass' }));
      r.next(testEnded(1, 'b', { _tag: 'Skipped', reason: 'suite init step "boot" did not pass' }));
      r.next(suiteEnded(true));
      expect(r.outcomes()).to.deep.equal([entry(0, 'a', 'errored'), entry(1, 'b', 'errored')]);
    });
  });

  describe('decodeLastRun', () => {
    it('reads a record; says what is wrong with anything else', () => {
      expect(decodeLastRun(JSON.stringify({ version: 1, tests: [entry(0, 'a', 'failed')] }))).to.deep.equal(
        E.right({ version: 1, tests: [entry(0, 'a', 'failed')] }),
      );
      const left = (text: string) => (E.isLeft(decodeLastRun(text)) ? (decodeLastRun(text) as E.Left<string>).left : 'decoded');
      expect(left('{')).to.match(/^it is not JSON \(/);
      expect(left('{"version":2,"tests":[]}')).to.equal('it is not a last-run record of this version: at version, expected 1');
      expect(left('{"version":1,"tests":[{"file":"a","suite":"s","index":0,"name":"t","outcome":"flaky"}]}')).to.equal(
        'it is not a last-run record of this version: at tests.0.outcome, expected passed, failed or errored',
      );
      expect(left('[]')).to.match(/at the top/);
    });
  });

  describe('testPosition', () => {
    it('at its place when the name there is its own; else the nearest place of its name; else nowhere', () => {
      expect(testPosition(['a', 'b'], { index: 1, name: 'b' })).to.equal(1);
      expect(testPosition(['new', 'a', 'b'], { index: 1, name: 'b' })).to.equal(2); // one inserted above
      expect(testPosition(['b'], { index: 1, name: 'b' })).to.equal(0); // one removed above
      expect(testPosition(['t', 'x', 'x', 't'], { index: 1, name: 't' })).to.equal(0); // a tie: the lower one
      expect(testPosition(['t', 'x', 'x', 'x', 't'], { index: 3, name: 't' })).to.equal(4);
      expect(testPosition(['a', 'c'], { index: 1, name: 'b' })).to.equal(undefined); // renamed or removed
    });
  });

  describe('mergeLastRun', () => {
    it('what ran replaces what was recorded of the same tests; the rest stays (a --test run forgets no failure)', () => {
      const before = {
        version: 1 as const,
        tests: [entry(0, 'a', 'failed'), entry(1, 'b', 'failed'), entry(0, 'x', 'failed', '/s/other.yaml')],
      };
      expect(mergeLastRun(before, [entry(0, 'a', 'passed')]).tests).to.deep.equal([
        entry(0, 'a', 'passed'),
        entry(1, 'b', 'failed'),
        entry(0, 'x', 'failed', '/s/other.yaml'),
      ]);
      expect(mergeLastRun(undefined, [entry(1, 'b', 'failed'), entry(0, 'a', 'passed')])).to.deep.equal({
        version: 1,
        tests: [entry(0, 'a', 'passed'), entry(1, 'b', 'failed')],
      });
    });

    it('entries of a file loaded now follow its tests: moved when the file was edited, dropped when their test is gone', () => {
      const before = { version: 1 as const, tests: [entry(0, 'a', 'failed'), entry(1, 'b', 'failed'), entry(2, 'c', 'failed')] };
      const now = new Map([[FILE, ['new', 'a', 'b']]]); // "new" inserted on top, "c" removed
      expect(mergeLastRun(before, [entry(0, 'new', 'passed')], now).tests).to.deep.equal([
        entry(0, 'new', 'passed'),
        entry(1, 'a', 'failed'),
        entry(2, 'b', 'failed'),
      ]);
    });

    it('entries of a file that is gone are dropped (asked once per file); a file loaded now is not asked about', () => {
      const gone = '/tmp/gone/suite.yaml';
      const before = {
        version: 1 as const,
        tests: [
          entry(0, 'a', 'failed'),
          entry(0, 'x', 'failed', gone),
          entry(1, 'y', 'passed', gone),
          entry(0, 'z', 'failed', '/s/other.yaml'),
        ],
      };
      const asked: string[] = [];
      const exists = (file: string) => (asked.push(file), file !== gone);
      expect(mergeLastRun(before, [], new Map([[FILE, ['a']]]), exists).tests).to.deep.equal([
        entry(0, 'a', 'failed'),
        entry(0, 'z', 'failed', '/s/other.yaml'),
      ]);
      expect(asked).to.deep.equal([gone, '/s/other.yaml']);
    });
  });
});
