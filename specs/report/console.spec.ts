import { expect } from 'chai';
import { from, tap } from 'rxjs';
import { consoleReporter, type ConsoleReporter, type ConsoleReporterConfig } from '../../lib/report/console.js';
import type { RunEvent, StepResult } from '../../lib/event/run-event.js';
import type { StepProblem } from '../../lib/step/step-failure.js';
import {
  attempt,
  attemptMade,
  check,
  concurrentSuite,
  failingSuite,
  inFile,
  initFailedSuite,
  interruptedSuite,
  logEmitted,
  passingSuite,
  ref,
  stepEnded,
  passed,
  stepStarted,
  suiteStarted,
  testEnded,
  testStarted,
  tests,
  failure,
  FILE,
  type TestId,
} from './fixtures.js';
import { Terminal, stripSgr } from './terminal.js';

const S = '[Async Operations]';
const ESC = '\x1b';
const SGR = /\x1b\[[0-9;]*m/;
const CURSOR = /\x1b\[\d*[A-HJKST]/;

/** Runs events through a console reporter; returns every write and the text as lines. */
function run(events: readonly RunEvent[], config: Partial<ConsoleReporterConfig>, end: 'none'): LiveRun;
function run(events: readonly RunEvent[], config?: Partial<ConsoleReporterConfig>, end?: 'complete' | Error): EndedRun;
function run(events: readonly RunEvent[], config: Partial<ConsoleReporterConfig> = {}, end: 'complete' | 'none' | Error = 'complete') {
  const terminal = new Terminal();
  const reporter = consoleReporter({ write: terminal.write, tty: false, color: false, verbose: false, ...config });
  for (const event of events) reporter.next(event);
  const textNow = () => terminal.writes.join('');
  const linesNow = () => textNow().split('\n').slice(0, -1);
  if (end === 'none') return { terminal, reporter, writes: terminal.writes, text: textNow, lines: linesNow };
  if (end === 'complete') reporter.complete();
  else reporter.error(end);
  return { terminal, reporter, writes: terminal.writes, text: textNow(), lines: linesNow() };
}

/** A run still going: `text()` and `lines()` as printed so far. */
interface LiveRun {
  readonly terminal: Terminal;
  readonly reporter: ConsoleReporter;
  readonly writes: string[];
  text(): string;
  lines(): string[];
}

interface EndedRun {
  readonly terminal: Terminal;
  readonly reporter: ConsoleReporter;
  readonly writes: string[];
  readonly text: string;
  readonly lines: string[];
}

describe('consoleReporter', () => {
  describe('plain lines (tty: false)', () => {
    it('prints a passing suite as [suite] [test] [step] lines, a poll folded into one line, then the summary', () => {
      expect(run(passingSuite()).lines).to.deep.equal([
        `${S} running 1 test from examples/async-operations/rocketship.yaml`,
        `${S} [Job Processing] [Create job] passed in 35ms`,
        `${S} [Job Processing] [Announce] log: job 42 created`,
        `${S} [Job Processing] [Announce] passed in 0s`,
        `${S} [Job Processing] [Wait for job completion] passed after 4 attempts in 1.2s`,
        `${S} [Job Processing] passed in 1.3s`,
        `${S} passed in 1.3s (1 passed, 0 failed, 0 skipped)`,
        '',
        '1 passed, 0 failed, 0 skipped',
        'finished in 1.3s',
      ]);
    });

    it('prints a failed poll with its message on indented lines, the skipped step with its reason, and cleanup by phase', () => {
      expect(run(failingSuite()).lines).to.deep.equal([
        `${S} running 2 tests from examples/async-operations/rocketship.yaml`,
        `${S} [Deployment] [Wait for rollout] failed after 3 attempts in 2s`,
        '    polling exceeded maximum attempts (3)',
        '      json_path .status: expected "ready", actual "rolling"',
        `${S} [Deployment] [Check version] skipped: step "Wait for rollout" failed`,
        `${S} [Deployment] [cleanup on failure] [Dump logs] log: deployment stuck`,
        '    see dashboard',
        `${S} [Deployment] [cleanup on failure] [Dump logs] passed in 0s`,
        `${S} [Deployment] [cleanup] [Delete deployment] passed in 50ms`,
        `${S} [Deployment] failed in 2.1s at step "Wait for rollout"`,
        `${S} [Health] [Ping] passed in 10ms`,
        `${S} [Health] passed in 10ms`,
        `${S} failed in 2.1s (1 passed, 1 failed, 0 skipped)`,
        '',
        '1 passed, 1 failed, 0 skipped',
        'finished in 2.1s',
        '',
        `FAILED examples/async-operations/rocketship.yaml:10 ${S} [Deployment] [Wait for rollout]`,
        '    polling exceeded maximum attempts (3)',
      ]);
    });

    it('prints an interrupted run: the step and test interrupted, cleanup run, interrupted counted on a line of its own', () => {
      expect(run(interruptedSuite()).lines).to.deep.equal([
        `${S} running 2 tests from examples/async-operations/rocketship.yaml`,
        `${S} [Long job] [Wait] interrupted after 1.5s: interrupted (SIGINT)`,
        `${S} [Long job] [cleanup] [Cancel job] passed in 20ms`,
        `${S} [Long job] interrupted after 1.5s: interrupted (SIGINT)`,
        `${S} [Never started] skipped: run interrupted`,
        `${S} interrupted in 1.5s (0 passed, 0 failed, 1 skipped, 1 interrupted)`,
        '',
        '0 passed, 0 failed, 1 skipped',
        '1 interrupted',
        'finished in 1.5s',
      ]);
    });

    it('prints a failed suite init under [suite init], the skipped tests, and the suite message', () => {
      expect(run(initFailedSuite()).lines).to.deep.equal([
        `${S} running 2 tests from examples/async-operations/rocketship.yaml`,
        `${S} [suite init] [Log in] failed in 30ms`,
        '    1 assertion failed:',
        '      status_code: expected 200, actual 401',
        `${S} [One] skipped: suite init step "Log in" did not pass`,
        `${S} [Two] skipped: suite init step "Log in" did not pass`,
        `${S} [suite cleanup] [Drop fixtures] passed in 5ms`,
        `${S} failed in 35ms (0 passed, 0 failed, 2 skipped)`,
        '    suite init step "Log in" did not pass: 1 assertion failed:',
        '      status_code: expected 200, actual 401',
        '',
        '0 passed, 0 failed, 2 skipped',
        'finished in 35ms',
        '',
        `FAILED examples/async-operations/rocketship.yaml:10 ${S} [suite init] [Log in]`,
        '    assertion failed: status_code: expected 200, actual 401',
      ]);
    });

    it('keeps the lines of concurrent tests whole: each write is whole lines, and a failure block is one write', () => {
      const { writes, lines } = run(concurrentSuite());
      expect(lines).to.deep.equal([
        `${S} running 2 tests from examples/async-operations/rocketship.yaml`,
        `${S} [B] [Poll B] log: b is waiting`,
        `${S} [A] [Poll A] passed after 2 attempts in 500ms`,
        `${S} [A] passed in 500ms`,
        `${S} [B] [Poll B] errored in 1s`,
        '    undefined variable "job_id"',
        '    available: api_url',
        `${S} [B] failed in 1s at step "Poll B"`,
        `${S} failed in 1s (1 passed, 1 failed, 0 skipped)`,
        '',
        '1 passed, 1 failed, 0 skipped',
        'finished in 1s',
        '',
        `ERRORED examples/async-operations/rocketship.yaml:10 ${S} [B] [Poll B]`,
        '    undefined variable "job_id"',
      ]);
      for (const chunk of writes) expect(chunk.endsWith('\n'), JSON.stringify(chunk)).to.equal(true);
      expect(writes).to.include(`${S} [B] [Poll B] errored in 1s\n    undefined variable "job_id"\n    available: api_url\n`);
    });

    it('puts the summary alone on its line, in exactly the form "N passed, N failed, N skipped"', () => {
      const { text } = run([...inFile(passingSuite(), 'other.yaml', 'Other'), ...failingSuite()]);
      expect(text.match(/^\d+ passed, \d+ failed, \d+ skipped$/gm)).to.deep.equal(['2 passed, 1 failed, 0 skipped']);
    });

    it('prints the summary of an empty run', () => {
      expect(run([]).lines).to.deep.equal(['', '0 passed, 0 failed, 0 skipped', 'finished in 0s']);
    });

    it('counts the tests that ended when the run stops before its suite does', () => {
      const { lines } = run(passingSuite().slice(0, -1), {}, new Error('boom\nsecond line'));
      expect(lines.slice(-6)).to.deep.equal([
        'run stopped:',
        '    boom',
        '    second line',
        '',
        '1 passed, 0 failed, 0 skipped',
        'finished in 1.3s',
      ]);
    });

    it('ignores events after the end and a second end', () => {
      const { reporter, writes } = run(passingSuite().slice(0, 2));
      const count = writes.length;
      reporter.next(passingSuite()[4]!);
      reporter.complete();
      reporter.error(new Error('late'));
      expect(writes.length).to.equal(count);
    });

    it('makes control characters in names and messages visible instead of passing them to the terminal', () => {
      const evil = ref({ name: 'T\x1b[2J', index: 0 }, 'S\rtep\nname', 0);
      const { text, lines } = run([logEmitted(evil, 'a\x1b[31mred\x07\r\nnext', 0)]);
      expect(text).not.to.include(ESC);
      expect(text).not.to.include('\x07');
      expect(lines.slice(0, 2)).to.deep.equal([`${S} [T\\x1b[2J] [S tep name] log: a\\x1b[31mred\\x07`, '    next']);
    });

    it('works as an Observer: subscribe(reporter) and tap(reporter) print the same lines', () => {
      const viaSubscribe = new Terminal();
      from(failingSuite()).subscribe(consoleReporter({ write: viaSubscribe.write, tty: false, color: false, verbose: false }));
      const viaTap = new Terminal();
      from(failingSuite())
        .pipe(tap(consoleReporter({ write: viaTap.write, tty: false, color: false, verbose: false })))
        .subscribe();
      expect(viaTap.writes.join('')).to.equal(viaSubscribe.writes.join(''));
      expect(viaSubscribe.writes.join('')).to.equal(run(failingSuite()).text);
    });
  });

  describe('verbose', () => {
    it('prints each attempt: attempt k/n, status, next in, elapsed of timeout, request, response and conditions', () => {
      const { lines } = run(passingSuite().slice(0, 10), { verbose: true });
      expect(lines).to.deep.equal([
        `${S} running 1 test from examples/async-operations/rocketship.yaml`,
        `${S} [Job Processing] started`,
        `${S} [Job Processing] [Create job] started (http)`,
        `${S} [Job Processing] [Create job] attempt 1 status 201`,
        '    > GET http://127.0.0.1:3000/jobs/42',
        '    > accept: application/json',
        '    > authorization: ***',
        '    < 201 (12ms)',
        '    < content-type: application/json',
        '    <',
        '    < {"id":42}',
        `${S} [Job Processing] [Create job] passed in 35ms`,
        `${S} [Job Processing] [Announce] started (log)`,
        `${S} [Job Processing] [Announce] log: job 42 created`,
        `${S} [Job Processing] [Announce] passed in 0s`,
        `${S} [Job Processing] [Wait for job completion] started (http)`,
        `${S} [Job Processing] [Wait for job completion] attempt 1/30 status 200 · next in 400ms · 0s of 5m0s`,
        '    > GET http://127.0.0.1:3000/jobs/42',
        '    > accept: application/json',
        '    > authorization: ***',
        '    < 200 (12ms)',
        '    < content-type: application/json',
        '    <',
        '    < {"status":"running"}',
        '    ✗ json_path .status: expected "completed", actual "running"',
        '',
        '0 passed, 0 failed, 0 skipped',
        'finished in 100ms',
      ]);
    });

    it('prints the format of the issue for a poll 7.2s into a 5m deadline', () => {
      const wait = ref({ name: 'Job Processing', index: 0 }, 'Wait for job completion', 0);
      const third = attempt(3, {
        max: 30,
        elapsed: 7200,
        timeout: 300_000,
        next: 2400,
        conditions: [check('Passed', 'status_code', 200, 200)],
      });
      const { lines } = run([attemptMade(wait, third, 0)], { verbose: true });
      expect(lines[0]).to.equal(`${S} [Job Processing] [Wait for job completion] attempt 3/30 status 200 · next in 2.4s · 7.2s of 5m0s`);
      expect(lines).to.include('    ✓ status_code: expected 200, actual 200');
    });

    it('prints a transport error, a request body, and the last attempt without "next in"', () => {
      const step = ref({ name: 'T', index: 0 }, 'Post', 0);
      const failed = attempt(2, { max: 3, elapsed: 1000, timeout: 10_000, transportError: 'ECONNREFUSED' });
      const withBody = { ...failed, request: { ...failed.request, method: 'POST', body: '{"a":1}\n{"b":2}' } };
      const { lines } = run([attemptMade(step, withBody, 0)], { verbose: true });
      expect(lines.slice(0, 8)).to.deep.equal([
        `${S} [T] [Post] attempt 2/3 ECONNREFUSED · 1s of 10s`,
        '    > POST http://127.0.0.1:3000/jobs/42',
        '    > accept: application/json',
        '    > authorization: ***',
        '    >',
        '    > {"a":1}',
        '    > {"b":2}',
        '    ! ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3000',
      ]);
    });

    it('prints the OpenAPI contract line of an attempt that was validated, with its violations', () => {
      const step = ref({ name: 'T', index: 0 }, 'Get job', 0);
      const validated = {
        ...attempt(1, { status: 200 }),
        contract: {
          operation: 'GET /jobs/{id} (getJob)',
          request: { _tag: 'Passed' as const, body: { _tag: 'None' as const } },
          response: {
            _tag: 'Failed' as const,
            violations: ['response body /id: must be string (schema at components.schemas.Job.properties.id.type)'],
            body: { _tag: 'Schema' as const, mediaType: 'application/json' },
          },
        },
      };
      const { lines } = run([attemptMade(step, validated, 0)], { verbose: true });
      expect(lines.filter((l) => l.includes('openapi') || l.includes('response body'))).to.deep.equal([
        '    ✗ openapi GET /jobs/{id} (getJob): request passed · response failed (application/json by schema)',
        '        response body /id: must be string (schema at components.schemas.Job.properties.id.type)',
      ]);
      expect(run([attemptMade(step, validated, 0)]).text).not.to.include('openapi');
    });

    it('default mode prints no attempt and no request', () => {
      const { text } = run(failingSuite());
      expect(text).not.to.match(/attempt \d/);
      expect(text).not.to.include('> GET');
    });
  });

  describe('colours and cursor', () => {
    const everything = [...passingSuite(), ...failingSuite(), ...interruptedSuite(), ...concurrentSuite(), ...initFailedSuite()];

    it('tty false, color false: no escape code of any kind', () => {
      expect(run(everything, { verbose: true }).text).not.to.include(ESC);
    });

    it('tty false, color true: colours, but never a cursor movement', () => {
      const { text } = run(everything, { color: true, verbose: true });
      expect(text).to.match(SGR);
      expect(text).not.to.match(CURSOR);
    });

    it('tty true, color false: cursor movements for the live block, but no colour code', () => {
      const { text } = run(everything, { tty: true, color: false, verbose: true });
      expect(text).to.match(CURSOR);
      expect(text).not.to.match(SGR);
    });

    it('colours passed green, failed and errored red, skipped and interrupted yellow', () => {
      const { text } = run(everything, { color: true });
      expect(text).to.include(`${S} [Job Processing] [Create job] \x1b[32mpassed\x1b[39m`);
      expect(text).to.include(`${S} [Deployment] [Wait for rollout] \x1b[31mfailed\x1b[39m`);
      expect(text).to.include(`${S} [B] [Poll B] \x1b[31merrored\x1b[39m`);
      expect(text).to.include(`${S} [Deployment] [Check version] \x1b[33mskipped\x1b[39m`);
      expect(text).to.include(`${S} [Long job] \x1b[33minterrupted\x1b[39m`);
      expect(text).to.include('\x1b[2m in 35ms\x1b[22m');
    });

    it('with colours stripped, prints the same lines as without colours', () => {
      expect(stripSgr(run(everything, { color: true, verbose: true }).text)).to.equal(run(everything, { verbose: true }).text);
    });
  });

  describe('live block (tty: true)', () => {
    it('shows each running test with its poll progress, redrawn in place; the end leaves only the lines and the summary', () => {
      const events = concurrentSuite();
      const terminal = new Terminal();
      const reporter = consoleReporter({ write: terminal.write, tty: true, color: true, verbose: false, columns: 120 });
      events.slice(0, 7).forEach(reporter.next); // both tests have made their first attempt
      expect(terminal.screen()).to.deep.equal([
        `${S} running 2 tests from examples/async-operations/rocketship.yaml`,
        `${S} [A] [Poll A] attempt 1/5 · 200 · next in 500ms · 0s of 5s`,
        `${S} [B] [Poll B] attempt 1/5 · 200 · next in 500ms · 0s of 5s`,
      ]);
      events.slice(7, 12).forEach(reporter.next); // A passed at 500ms; B made its 2nd attempt
      expect(terminal.screen()).to.deep.equal([
        `${S} running 2 tests from examples/async-operations/rocketship.yaml`,
        `${S} [B] [Poll B] log: b is waiting`,
        `${S} [A] [Poll A] passed after 2 attempts in 500ms`,
        `${S} [A] passed in 500ms`,
        `${S} [B] [Poll B] attempt 2/5 · 200 · next in 500ms · 500ms of 5s`,
      ]);
      events.slice(12).forEach(reporter.next);
      reporter.complete();
      expect(terminal.screen()).to.deep.equal(run(events).lines);
      for (const chunk of terminal.writes) expect(chunk.endsWith('\n'), JSON.stringify(chunk)).to.equal(true);
    });

    it('tick(now) counts "next in" down and the elapsed time up between events', () => {
      const terminal = new Terminal();
      const reporter = consoleReporter({ write: terminal.write, tty: true, color: false, verbose: false });
      concurrentSuite().slice(0, 7).forEach(reporter.next); // first attempts at 0ms, next in 500ms
      reporter.tick(300); // 300ms later: 500 - 300 = 200ms to wait, 0 + 300 = 300ms elapsed
      expect(terminal.screen().slice(1)).to.deep.equal([
        `${S} [A] [Poll A] attempt 1/5 · 200 · next in 200ms · 300ms of 5s`,
        `${S} [B] [Poll B] attempt 1/5 · 200 · next in 200ms · 300ms of 5s`,
      ]);
      reporter.tick(800); // past the wait: "next in" stays at 0, never negative
      expect(terminal.screen()[1]).to.equal(`${S} [A] [Poll A] attempt 1/5 · 200 · next in 0s · 800ms of 5s`);
    });

    it('shows a running step without attempts, and a test between steps, with their elapsed time on tick', () => {
      const terminal = new Terminal();
      const reporter = consoleReporter({ write: terminal.write, tty: true, color: false, verbose: false });
      const [t, u] = tests('T', 'U') as [TestId, TestId];
      [suiteStarted([t, u], 0), testStarted(t, 0), stepStarted(ref(t, 'Sleep', 0), 100, 'delay'), testStarted(u, 200)].forEach(
        reporter.next,
      );
      reporter.tick(1300);
      expect(terminal.screen().slice(1)).to.deep.equal([`${S} [T] [Sleep] running · 1.2s`, `${S} [U] running · 1.1s`]);
    });

    it('shows suite init steps under [suite init]', () => {
      const terminal = new Terminal();
      const reporter = consoleReporter({ write: terminal.write, tty: true, color: false, verbose: false });
      initFailedSuite().slice(0, 3).forEach(reporter.next);
      expect(terminal.screen()[1]).to.equal(`${S} [suite init] [Log in] attempt 1 · 401`);
    });

    it('cuts live lines to the terminal width so that redraws stay exact', () => {
      const terminal = new Terminal();
      const reporter = consoleReporter({ write: terminal.write, tty: true, color: true, verbose: false, columns: 40 });
      concurrentSuite().slice(0, 7).forEach(reporter.next);
      const live = terminal.screen().slice(1);
      expect(live).to.deep.equal([`${S} [A] [Poll A] attemp…`, `${S} [B] [Poll B] attemp…`]);
      for (const line of live) expect([...line].length).to.be.at.most(39);
    });

    it('keeps the live block within the terminal height, naming how many more are running', () => {
      const terminal = new Terminal();
      const reporter = consoleReporter({ write: terminal.write, tty: true, color: false, verbose: false, rows: 5 });
      const all = tests('t1', 't2', 't3', 't4', 't5');
      [suiteStarted(all, 0), ...all.map((test) => testStarted(test, 0))].forEach(reporter.next);
      expect(terminal.screen().slice(1)).to.deep.equal([`${S} [t1] running`, `${S} [t2] running`, '… and 3 more running']);
    });

    it('keeps a line for each of two running tests of the same name, told apart by their position', () => {
      const terminal = new Terminal();
      const reporter = consoleReporter({ write: terminal.write, tty: true, color: false, verbose: false });
      const [first, second] = tests('same', 'same') as [TestId, TestId];
      const get1 = ref(first, 'get', 0);
      const get2 = ref(second, 'get', 0);
      [
        suiteStarted([first, second], 0),
        testStarted(first, 0),
        testStarted(second, 0),
        stepStarted(get1, 0, 'delay'),
        stepStarted(get2, 0, 'delay'),
      ].forEach(reporter.next);
      expect(terminal.screen().slice(1)).to.deep.equal([`${S} [same] [get] running`, `${S} [same (2)] [get] running`]);
      reporter.next(stepEnded(get1, passed(5, 0), 5));
      reporter.next(testEnded(first, { _tag: 'Passed', durationMs: 5 }, 5));
      expect(terminal.screen().slice(1)).to.deep.equal([
        `${S} [same] [get] passed in 5ms`,
        `${S} [same] passed in 5ms`,
        `${S} [same (2)] [get] running · 5ms`,
      ]);
    });

    it('does nothing on tick when not a tty', () => {
      const { reporter, writes } = run(concurrentSuite().slice(0, 7));
      const count = writes.length;
      (reporter as { tick(now: number): void }).tick(300);
      expect(writes.length).to.equal(count);
    });
  });

  describe('recap (after the summary)', () => {
    const pollFailure: StepResult = {
      _tag: 'Failed',
      durationMs: 2000,
      attempts: 3,
      checks: [],
      cause: {
        _tag: 'PollExhausted',
        maxAttempts: 3,
        attempts: 3,
        elapsedMs: 2000,
        last: { _tag: 'TransportError', number: 3, message: 'connect ECONNREFUSED 127.0.0.1:9' },
      },
    };
    /** A suite of `file` whose test `name` (at `index`) fails at its step `step` (at `line`). */
    const failedTest = (file: string, suite: string, name: string, index: number, step: string, line: number): RunEvent[] => {
      const t = { name, index };
      const r = { ...ref(t, step, 0), file, suite, line };
      const test = {
        ...testEnded(
          t,
          {
            _tag: 'Failed',
            durationMs: 2000,
            step,
            stepPhase: 'steps',
            stepIndex: 0,
            cause: (pollFailure as { cause: StepProblem }).cause,
          },
          2000,
        ),
        ref: { file, suite, test: name, testIndex: index },
      };
      return [stepStarted(r, 0), stepEnded(r, pollFailure, 2000), test];
    };

    it('lists every failed or errored test in file order, with file:line, [suite] [test] [step] and a one-line reason', () => {
      const started = (file: string, suite: string, names: string[]): RunEvent => ({
        ...suiteStarted(tests(...names), 0),
        ref: { file, suite },
      });
      const { lines } = run(
        [
          started('/work/a.yaml', 'A', ['a0', 'a1']),
          started('/work/b.yaml', 'B', ['b0']),
          ...failedTest('/work/b.yaml', 'B', 'b0', 0, 'Poll', 7),
          ...failedTest('/work/a.yaml', 'A', 'a1', 1, 'Wait', 21),
          ...failedTest('/work/a.yaml', 'A', 'a0', 0, 'Get', 9),
        ],
        { cwd: '/work', quiet: true },
      );
      const reason = '    polling exceeded maximum attempts (3); last attempt (3): connect ECONNREFUSED 127.0.0.1:9';
      expect(lines).to.deep.equal([
        '',
        '0 passed, 3 failed, 0 skipped',
        'finished in 2s',
        '',
        'FAILED a.yaml:9 [A] [a0] [Get]',
        reason,
        'FAILED a.yaml:21 [A] [a1] [Wait]',
        reason,
        'FAILED b.yaml:7 [B] [b0] [Poll]',
        reason,
      ]);
    });

    it('keeps a path outside the working directory as it is, and prints nothing after the summary when all passed', () => {
      expect(run(failingSuite(), { cwd: '/elsewhere' }).lines.at(-2)).to.equal(`FAILED ${FILE}:10 ${S} [Deployment] [Wait for rollout]`);
      expect(run(passingSuite()).lines.at(-1)).to.equal('finished in 1.3s');
      expect(run(interruptedSuite()).lines.at(-1)).to.equal('finished in 1.5s');
    });

    it('--quiet: prints only the summary and the recap', () => {
      expect(run(failingSuite(), { quiet: true, verbose: true }).lines).to.deep.equal([
        '',
        '1 passed, 1 failed, 0 skipped',
        'finished in 2.1s',
        '',
        `FAILED ${FILE}:10 ${S} [Deployment] [Wait for rollout]`,
        '    polling exceeded maximum attempts (3)',
      ]);
    });

    it('follows the summary when the run stops on an error too', () => {
      const { lines } = run(failingSuite().slice(0, -1), {}, new Error('boom'));
      expect(lines.slice(-7)).to.deep.equal([
        '    boom',
        '',
        '1 passed, 1 failed, 0 skipped',
        'finished in 2.1s',
        '',
        `FAILED ${FILE}:10 ${S} [Deployment] [Wait for rollout]`,
        '    polling exceeded maximum attempts (3)',
      ]);
    });

    it('colours FAILED and ERRORED red', () => {
      expect(run(concurrentSuite(), { color: true }).text).to.include(`\x1b[31mERRORED\x1b[39m ${FILE}:10 ${S} [B] [Poll B]\n`);
    });
  });

  describe('heartbeat (tty: false, heartbeatMs)', () => {
    const poll = (n: number, o: Parameters<typeof attempt>[1] = {}) => attempt(n, { max: 30, timeout: 300_000, ...o });
    const [t] = tests('T') as [TestId];
    const wait = ref(t, 'Wait', 0);
    const start = [suiteStarted([t], 0), testStarted(t, 0), stepStarted(wait, 0)];

    it('prints a line for a step still polling every heartbeatMs of its run, with attempt k/n, status, next in, elapsed of timeout', () => {
      const { reporter, lines } = run(
        [...start, attemptMade(wait, poll(1, { status: 503, next: 2000 }), 0)],
        { heartbeatMs: 10_000 },
        'none',
      );
      reporter.tick(9_999);
      expect(lines()).to.have.length(1);
      reporter.next(attemptMade(wait, poll(5, { status: 503, elapsed: 8_000, next: 2400 }), 8_000));
      reporter.tick(10_000); // 2s after attempt 5: 400ms left of its 2.4s wait, 10s of 5m0s
      reporter.tick(15_000); // not due before 20s
      reporter.next(attemptMade(wait, poll(6, { transportError: 'ECONNREFUSED', elapsed: 10_500, next: 2400 }), 10_500));
      reporter.tick(20_300); // a late tick: one line, the next one still due at 30s
      reporter.tick(29_000);
      reporter.tick(30_000);
      expect(lines().slice(1)).to.deep.equal([
        `${S} [T] [Wait] still polling: attempt 5/30 · 503 · next in 400ms · 10s of 5m0s`,
        `${S} [T] [Wait] still polling: attempt 6/30 · ECONNREFUSED · next in 0s · 20.3s of 5m0s`,
        `${S} [T] [Wait] still polling: attempt 6/30 · ECONNREFUSED · next in 0s · 30s of 5m0s`,
      ]);
    });

    it('says how long a step without an attempt has been running', () => {
      const { reporter, lines } = run([...start], { heartbeatMs: 5_000 }, 'none');
      reporter.tick(5_000);
      expect(lines().slice(1)).to.deep.equal([`${S} [T] [Wait] still running after 5s`]);
    });

    it('prints none once the step ended, with heartbeatMs 0, on a tty, or after the end', () => {
      const ended = run([...start, stepEnded(wait, passed(10), 10)], { heartbeatMs: 1_000 }, 'none');
      ended.reporter.tick(60_000);
      expect(ended.lines()).to.have.length(2);
      const off = run([...start], { heartbeatMs: 0 }, 'none');
      off.reporter.tick(60_000);
      expect(off.lines()).to.have.length(1);
      const tty = run([...start], { heartbeatMs: 1_000, tty: true }, 'none');
      tty.reporter.tick(60_000);
      expect(tty.text()).not.to.include('still');
      const done = run([...start], { heartbeatMs: 1_000 });
      const count = done.writes.length;
      done.reporter.tick(60_000);
      expect(done.writes.length).to.equal(count);
    });

    it('with quiet, heartbeats still print when asked for', () => {
      const { reporter, lines } = run([...start], { heartbeatMs: 1_000, quiet: true }, 'none');
      reporter.tick(1_000);
      expect(lines()).to.deep.equal([`${S} [T] [Wait] still running after 1s`]);
    });
  });

  describe('interruption', () => {
    it('says "interrupted after 1.5s" once per line, not "interrupted after 1.5s: interrupted"', () => {
      const events = interruptedSuite().map((e) =>
        e._tag === 'StepEnded' && e.result._tag === 'Interrupted'
          ? { ...e, result: { ...e.result, reason: 'interrupted' } }
          : e._tag === 'TestEnded' && e.result._tag === 'Interrupted'
            ? { ...e, result: { ...e.result, reason: 'interrupted' } }
            : e,
      );
      const { lines } = run(events);
      expect(lines).to.include(`${S} [Long job] [Wait] interrupted after 1.5s`);
      expect(lines).to.include(`${S} [Long job] interrupted after 1.5s`);
    });

    it('clearLive erases the live block at once, so that a notice written next is not drawn over; the next tick draws it below', () => {
      const terminal = new Terminal();
      const reporter = consoleReporter({ write: terminal.write, tty: true, color: false, verbose: false });
      concurrentSuite().slice(0, 7).forEach(reporter.next);
      expect(terminal.screen()).to.have.length(3);
      reporter.clearLive();
      reporter.clearLive(); // nothing left to erase: no write
      expect(terminal.screen()).to.deep.equal([`${S} running 2 tests from ${FILE}`]);
      terminal.write('\nSIGINT: stopping\n'); // what main writes on stderr
      reporter.tick(200);
      expect(terminal.screen()).to.deep.equal([
        `${S} running 2 tests from ${FILE}`,
        '',
        'SIGINT: stopping',
        `${S} [A] [Poll A] attempt 1/5 · 200 · next in 300ms · 200ms of 5s`,
        `${S} [B] [Poll B] attempt 1/5 · 200 · next in 300ms · 200ms of 5s`,
      ]);
    });
  });

  describe('step results', () => {
    it('prints one attempt as "passed in", several as "passed after N attempts in"', () => {
      const step = ref({ name: 'T', index: 0 }, 'S', 0);
      const { lines } = run([
        stepEnded(step, { _tag: 'Passed', durationMs: 90_000, attempts: 1, checks: [], saved: {} }, 0),
        stepEnded(
          step,
          { _tag: 'Failed', durationMs: 300_000, attempts: 30, checks: [], cause: failure('polling timed out after 5m0s') },
          0,
        ),
      ]);
      expect(lines.slice(0, 3)).to.deep.equal([
        `${S} [T] [S] passed in 1m30s`,
        `${S} [T] [S] failed after 30 attempts in 5m0s`,
        '    polling timed out after 5m0s',
      ]);
    });

    it('says on which run a retried step ended, of how many, and its requests in all runs', () => {
      const step = ref({ name: 'T', index: 0 }, 'S', 0);
      const cause = failure('status_code: expected 200, actual 500');
      const passedRuns = (
        durationMs: number,
        attempts: number,
        retry: { runs: number; maxRuns: number; requests: number },
      ): StepResult => ({
        _tag: 'Passed',
        durationMs,
        attempts,
        checks: [],
        saved: {},
        retry,
      });
      const { lines } = run([
        stepEnded(step, passedRuns(3200, 1, { runs: 2, maxRuns: 3, requests: 4 }), 0),
        stepEnded(step, passedRuns(35, 1, { runs: 1, maxRuns: 3, requests: 1 }), 0),
        stepEnded(
          step,
          { _tag: 'Failed', durationMs: 12_000, attempts: 3, checks: [], cause, retry: { runs: 3, maxRuns: 3, requests: 9 } },
          0,
        ),
        stepEnded(step, { _tag: 'Failed', durationMs: 20, attempts: 1, checks: [], cause, retry: { runs: 1, maxRuns: 3, requests: 1 } }, 0),
        stepEnded(step, passedRuns(2000, 0, { runs: 2, maxRuns: 2, requests: 0 }), 0),
      ]);
      expect(lines.slice(0, 7)).to.deep.equal([
        `${S} [T] [S] passed on run 2 of 3, 4 requests in 3.2s`,
        `${S} [T] [S] passed in 35ms`,
        `${S} [T] [S] failed on run 3 of 3, 9 requests in 12s`,
        '    status_code: expected 200, actual 500',
        `${S} [T] [S] failed on run 1 of 3 (not retryable), 1 request in 20ms`,
        '    status_code: expected 200, actual 500',
        `${S} [T] [S] passed on run 2 of 2 in 2s`,
      ]);
    });
  });
});
