import { expect } from 'chai';
import { formatStepProblem, formatStepProblemLine } from '../../lib/step/format-step-problem.js';
import type { CheckRecord } from '../../lib/step/attempt-record.js';
import type { PollTimedOut, StepProblem } from '../../lib/step/step-failure.js';

const check = (tag: 'Passed' | 'Failed', label: string, expected: CheckRecord['expected'], actual: CheckRecord['actual']): CheckRecord => ({
  _tag: tag,
  label,
  matcher: 'expected',
  expected,
  actual,
});

const running: PollTimedOut['last'] = {
  _tag: 'Response',
  number: 12,
  status: 200,
  conditions: [check('Passed', 'status_code', 200, 200), check('Failed', 'json_path .status', 'completed', 'running')],
  body: '{"status":"running"}',
};

const gaveUp: PollTimedOut = {
  _tag: 'PollTimedOut',
  stoppedBy: 'NextWait',
  timeoutMs: 30_000,
  inFlight: false,
  unwaitedDelayMs: 5_123.456789,
  attempts: 12,
  elapsedMs: 27_312.345678,
  last: running,
};

describe('step/format-step-problem', () => {
  describe('formatStepProblem', () => {
    it('says a poll that gave up before its deadline did so, in its first line, with the time it took', () => {
      expect(formatStepProblem(gaveUp).split('\n')).to.deep.equal([
        'polling would exceed its timeout (30s) at the next wait; gave up after 27.3s',
        '  attempts: 12, elapsed: 27.3s',
        '  the next wait (5.1s) would have ended past the deadline',
        '  last attempt (12): status 200',
        '    ok   status_code: expected 200, actual 200',
        '    FAIL json_path .status: expected "completed", actual "running"',
        '  last body: {"status":"running"}',
      ]);
    });

    it("keeps Rocketship's words for a deadline that passed", () => {
      const deadline: PollTimedOut = { ...gaveUp, stoppedBy: 'Deadline', inFlight: true, unwaitedDelayMs: undefined, elapsedMs: 30_000 };
      expect(formatStepProblem(deadline).split('\n').slice(0, 3)).to.deep.equal([
        'polling timed out after 30s',
        '  attempts: 12, elapsed: 30s',
        '  the request in flight at the deadline was aborted',
      ]);
      expect(formatStepProblem({ ...deadline, timeoutMs: 300_000 }).split('\n')[0]).to.equal('polling timed out after 5m0s');
    });

    it('shows the value a fail condition matched', () => {
      const problem: StepProblem = {
        _tag: 'FailCondition',
        condition: 'json_path .status',
        held: [check('Passed', 'json_path .status', 'failed', 'failed')],
        attempts: 2,
        elapsedMs: 1000,
        last: undefined,
      };
      expect(formatStepProblem(problem).split('\n')[0]).to.equal('polling failed: fail condition holds: json_path .status == "failed"');
      expect(formatStepProblem({ ...problem, held: [] }).split('\n')[0]).to.equal(
        'polling failed: fail condition holds: json_path .status',
      );
    });

    it('joins the matchers of one fail condition with "and"', () => {
      const problem: StepProblem = {
        _tag: 'FailCondition',
        condition: 'json_path .errors',
        held: [
          { _tag: 'Passed', label: 'json_path .errors', matcher: 'exists', expected: true, actual: true },
          { _tag: 'Passed', label: 'json_path .errors', matcher: 'length', expected: 2, actual: 2 },
        ],
        attempts: 1,
        elapsedMs: 0,
        last: undefined,
      };
      expect(formatStepProblem(problem).split('\n')[0]).to.equal(
        'polling failed: fail condition holds: json_path .errors exists and json_path .errors length 2 (actual 2)',
      );
    });
  });

  describe('formatStepProblemLine', () => {
    it('puts a poll failure and what its last attempt saw on one line', () => {
      expect(formatStepProblemLine(gaveUp)).to.equal(
        'polling would exceed its timeout (30s) at the next wait; gave up after 27.3s; last attempt (12): status 200, json_path .status: expected "completed", actual "running"',
      );
    });

    it('tells a poll that met a transport error from one that saw a status', () => {
      const refused: StepProblem = {
        _tag: 'PollExhausted',
        maxAttempts: 3,
        attempts: 3,
        elapsedMs: 2000,
        last: { _tag: 'TransportError', number: 3, message: 'connect ECONNREFUSED 127.0.0.1:9' },
      };
      expect(formatStepProblemLine(refused)).to.equal(
        'polling exceeded maximum attempts (3); last attempt (3): connect ECONNREFUSED 127.0.0.1:9',
      );
      expect(formatStepProblemLine({ ...refused, last: undefined })).to.equal('polling exceeded maximum attempts (3); no attempt finished');
    });

    it('names the first failed assertion, and how many more', () => {
      const one: StepProblem = { _tag: 'Assertions', failed: [check('Failed', 'status_code', 200, 500)] };
      expect(formatStepProblemLine(one)).to.equal('assertion failed: status_code: expected 200, actual 500');
      const two: StepProblem = {
        _tag: 'Assertions',
        failed: [check('Failed', 'status_code', 200, 500), check('Failed', 'json_path .id', 1, 2)],
      };
      expect(formatStepProblemLine(two)).to.equal('2 assertions failed: status_code: expected 200, actual 500 (and 1 more)');
    });

    it('names the first OpenAPI violation, and how many more, after the headline (not the headline alone)', () => {
      const broken: StepProblem = {
        _tag: 'ContractViolation',
        side: 'response',
        operation: 'GET /jobs/{id} (getJob)',
        violations: ['response body /progress: must be <= 50 (schema at x)', 'response header X-A: must be integer (schema at y)'],
        attempt: 3,
      };
      expect(formatStepProblemLine(broken)).to.equal(
        'OpenAPI response validation failed on attempt 3 (GET /jobs/{id} (getJob)): response body /progress: must be <= 50 (schema at x) (and 1 more)',
      );
      expect(formatStepProblemLine({ ...broken, side: 'request', attempt: undefined, violations: ['request body: x'] })).to.equal(
        'OpenAPI request validation failed (GET /jobs/{id} (getJob)): request body: x',
      );
    });

    it('keeps the first line of any other problem', () => {
      expect(
        formatStepProblemLine({ _tag: 'ExitCode', exitCode: 2, signal: undefined, lastError: 'no such file', output: ['a', 'b'] }),
      ).to.equal('shell script exited with code 2: no such file');
      expect(formatStepProblemLine({ _tag: 'Config', message: 'undefined variable "x"\navailable: y' })).to.equal('undefined variable "x"');
    });
  });
});
