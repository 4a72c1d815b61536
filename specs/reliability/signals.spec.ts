import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, ReplaySubject, toArray } from 'rxjs';
import { stringify } from 'yaml';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { runSuite } from '../../lib/run/run-suite.js';
import type { JsonReport } from '../../lib/report/json.js';
import type { StepResult } from '../../lib/event/run-event.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { suite as inlineSuite } from '../helpers/fake-http.js';
import { junitProblems, parseXml } from '../helpers/junit-xml.js';
import { messageOf } from '../helpers/result-message.js';

/**
 * Signals and cleanup, issue 5: the CLI as a process (`npm run build` first), interrupted while a
 * step is in each kind of wait. specs/cli/cli.spec.ts covers a poll between attempts; here every
 * suite also has a test whose request is in flight (the server never answers it), and the
 * signal comes while the other test is polling with an attempt in flight, waiting to retry,
 * running a script, or running a cleanup step.
 *
 * In every case: the requests in flight are aborted (the server sees their connections close while
 * the CLI is still running, not when it exits), cleanup steps run (a cleanup step in progress is
 * not interrupted, only bounded by its own timeout), the JSON and JUnit reports are written with
 * the steps marked interrupted and the later ones skipped, and the exit code is 130 for SIGINT,
 * 143 for SIGTERM and 129 for SIGHUP (issue 11, item 12: SIGHUP, a closed terminal, used to kill
 * the runner outright, without cleanup or reports, leaving a shell step's children running).
 * A second signal exits at once, with the second signal's code, cleanup or not, but still
 * writes the reports (item 12: before, it wrote none), and leaves no script process behind.
 */

/** A line of a JavaScript stack trace. */
const STACK_TRACE = /^\s+at .*\.(js|ts|mjs):\d+/m;
const EXIT_CODE = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof EXIT_CODE;

/** Resolves once `condition` holds (checked every 10ms); rejects after `ms`, naming `what`. */
async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether a process is running: present and not a zombie. A script's grandchild whose parent was
 * killed is re-parented to PID 1, which in a container may never reap it; a zombie is dead.
 */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** One request the server received: when, and when its connection closed (if it did). */
interface Seen {
  readonly path: string;
  readonly at: number;
  closedAt: number | undefined;
}

describe('signals and cleanup (process)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  /** Every request, in order of arrival. */
  let seen: Seen[] = [];
  /** For `/cleanup/...?await=PATH`: whether PATH's requests had all closed when the cleanup came. */
  const abortedBeforeCleanup = new Map<string, boolean>();

  /**
   * Runs `script` (which waits for a moment and signals the CLI) beside the CLI process. If it
   * fails (the moment never came), the CLI is killed and the failure rethrown after it exited.
   */
  let triggerError: unknown;
  const signalWhen = (child: ChildProcess, script: () => Promise<void>) => {
    triggerError = undefined;
    script().catch((error: unknown) => {
      triggerError = error;
      child.kill('SIGKILL');
    });
  };
  const throwIfTriggerFailed = () => {
    if (triggerError !== undefined) throw triggerError;
  };

  const requests = (path: string) => seen.filter((s) => s.path === path);
  const allClosed = (path: string) => requests(path).length > 0 && requests(path).every((s) => s.closedAt !== undefined);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-signals-'));
    server = await startLocalServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const record: Seen = { path: url.pathname, at: performance.now(), closedAt: undefined };
      seen.push(record);
      res.on('close', () => (record.closedAt = performance.now()));
      const answer = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const [, kind] = url.pathname.split('/');
      switch (kind) {
        case 'hold': // never answers
          return;
        case 'poll-hold': // answers the first poll "running", holds the second
          if (requests(url.pathname).length >= 2) return;
          return answer(200, { status: 'running' });
        case 'fail':
          return answer(500, { status: 'broken' });
        case 'cleanup': {
          // Proves the abort: the process is alive (it waits for this answer), and the awaited
          // request's connection must close by itself, within 3s.
          const awaited = url.searchParams.getAll('await');
          const ok = await until(() => awaited.every(allClosed), `${awaited.join(', ')} to close`, 3_000).then(
            () => true,
            () => false,
          );
          for (const path of awaited) abortedBeforeCleanup.set(path, ok);
          return answer(ok ? 200 : 500, { aborted: ok });
        }
        default:
          return answer(200, { ok: true });
      }
    });
  });
  beforeEach(() => {
    seen = [];
    abortedBeforeCleanup.clear();
  });
  after(() => server.close());

  const cleanupStep = (name: string, awaitPaths: readonly string[] = []) => ({
    name,
    plugin: 'http',
    config: {
      method: 'DELETE',
      url: `${server.url}/cleanup/${name}${awaitPaths.length > 0 ? `?${awaitPaths.map((p) => `await=${encodeURIComponent(p)}`).join('&')}` : ''}`,
    },
    assertions: [{ type: 'status_code', expected: 200 }],
  });
  const get = (name: string, path: string, extra: Record<string, unknown> = {}) => ({
    name,
    plugin: 'http',
    config: { method: 'GET', url: `${server.url}${path}`, ...extra },
  });

  interface Run {
    readonly result: CliResult;
    readonly report: JsonReport;
    readonly junit: string;
    /** ms from the (first) signal to the process's exit. */
    readonly stopMs: number;
  }

  /**
   * Runs a suite of two tests, `held` (one request the server never answers, then a cleanup step
   * that checks it was aborted) and `subject` (the case at hand), concurrently; sends `signal`
   * once `ready()` says the subject is where the case wants it (and the held request arrived).
   */
  async function interrupt(
    tag: string,
    signal: Signal,
    subject: { readonly steps: readonly object[]; readonly cleanup?: readonly object[] },
    ready: () => boolean,
  ): Promise<Run> {
    const file = join(dir, `${tag}-${signal}.yaml`);
    writeFileSync(
      file,
      stringify({
        name: tag,
        tests: [
          { name: 'held', steps: [get('in flight', `/hold/${tag}`)], cleanup: { always: [cleanupStep(`held-${tag}`, [`/hold/${tag}`])] } },
          {
            name: 'subject',
            steps: [...subject.steps, { name: 'next', plugin: 'log', config: { message: 'runs unless interrupted' } }],
            cleanup: { always: [...(subject.cleanup ?? []), cleanupStep(`subject-${tag}`)] },
          },
        ],
      }),
    );
    const json = join(dir, `${tag}-${signal}.json`);
    const junit = join(dir, `${tag}-${signal}.xml`);
    let signalledAt = 0;
    const result = await runCli(['run', '-f', file, '--report', `json=${json}`, '--report', `junit=${junit}`], {
      onSpawn: (child) =>
        signalWhen(child, async () => {
          await until(() => requests(`/hold/${tag}`).length > 0 && ready(), `${tag}: the moment to signal`);
          signalledAt = performance.now();
          child.kill(signal);
        }),
    });
    const stopMs = performance.now() - signalledAt;
    throwIfTriggerFailed();
    expect(existsSync(json), `${json} written; stderr: ${result.stderr}`).to.equal(true);
    return { result, report: JSON.parse(readFileSync(json, 'utf8')) as JsonReport, junit: readFileSync(junit, 'utf8'), stopMs };
  }

  /** What every graceful stop shows; the `subject` test is checked by each case. */
  function expectGracefulStop(tag: string, signal: Signal, run: Run): void {
    const { result, report, junit } = run;
    expect(result.code, result.stderr).to.equal(EXIT_CODE[signal]);
    expect(result.stderr).to.contain(`${signal}: stopping`);
    expect(result.stderr).not.to.match(STACK_TRACE);
    // The held request was aborted while the CLI ran: its cleanup step saw the connection closed.
    expect(abortedBeforeCleanup.get(`/hold/${tag}`), 'in-flight request aborted before cleanup').to.equal(true);
    // Both tests' cleanup ran.
    expect(requests(`/cleanup/held-${tag}`)).to.have.length(1);
    expect(requests(`/cleanup/subject-${tag}`)).to.have.length(1);
    // Reports: the held test and its step interrupted, its cleanup step passed.
    const suite = report.suites[0];
    const test = suite?.tests.find((t) => t.name === 'held');
    const step = (name: string) => test?.steps.find((s) => s.name === name)?.result;
    expect(test?.result?._tag).to.equal('Interrupted');
    expect(step('in flight')?._tag).to.equal('Interrupted');
    expect(step(`held-${tag}`)?._tag, 'cleanup step of held').to.equal('Passed');
    expect(suite?.result?._tag).to.equal('Interrupted');
    expect(junitProblems(parseXml(junit))).to.deep.equal([]);
    expect(junit).to.match(/<error[^>]*type="Interrupted"/);
  }

  /** The subject test was interrupted at `stepName`: that step interrupted, the next one skipped. */
  function expectSubjectInterrupted(run: Run, stepName: string): void {
    expect(stepResult(run, 'subject', stepName)?._tag).to.equal('Interrupted');
    expect(stepResult(run, 'subject', 'next')).to.deep.equal({ _tag: 'Skipped', reason: 'the run was interrupted' });
    expect(run.report.suites[0]?.tests.find((t) => t.name === 'subject')?.result?._tag).to.equal('Interrupted');
    expect(run.report.summary).to.deep.equal({ passed: 0, failed: 0, skipped: 0, interrupted: 2, errors: 0, started: true });
    expect(run.result.stdout).to.match(/^2 interrupted$/m);
  }

  const stepResult = (run: Run, testName: string, stepName: string): StepResult | null | undefined =>
    run.report.suites[0]?.tests.find((t) => t.name === testName)?.steps.find((s) => s.name === stepName)?.result;

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    describe(`${signal} (exit ${EXIT_CODE[signal]})`, () => {
      it("during a poll with an attempt in flight: aborts it and the other test's request", async () => {
        const tag = `poll-${signal}`;
        const poll = get('poll', `/poll-hold/${tag}`, {
          polling: { interval: '50ms', timeout: '1m', conditions: [{ type: 'json_path', path: '.status', expected: 'done' }] },
        });
        const run = await interrupt(
          tag,
          signal,
          { steps: [poll], cleanup: [cleanupStep(`poll-aborted-${tag}`, [`/poll-hold/${tag}`])] },
          () => requests(`/poll-hold/${tag}`).length >= 2,
        );
        expectGracefulStop(tag, signal, run);
        expectSubjectInterrupted(run, 'poll');
        expect(requests(`/poll-hold/${tag}`)).to.have.length(2);
        expect(abortedBeforeCleanup.get(`/poll-hold/${tag}`), 'the poll attempt in flight was aborted').to.equal(true);
      });

      it('during a retry wait: stops waiting at once (no second attempt)', async () => {
        const tag = `retry-${signal}`;
        const flaky = {
          ...get('flaky', `/fail/${tag}`),
          assertions: [{ type: 'status_code', expected: 200 }],
          retry: { initial_interval: '1m', maximum_attempts: 3 },
        };
        let failedAt = 0;
        const run = await interrupt(tag, signal, { steps: [flaky] }, () => {
          // 200ms into the minute-long wait after the first attempt
          const first = requests(`/fail/${tag}`)[0];
          if (first !== undefined && failedAt === 0) failedAt = performance.now();
          return failedAt > 0 && performance.now() - failedAt > 200;
        });
        expectGracefulStop(tag, signal, run);
        expectSubjectInterrupted(run, 'flaky');
        expect(requests(`/fail/${tag}`)).to.have.length(1);
        expect(run.stopMs).to.be.below(10_000);
      });

      it('during a JavaScript busy loop: stops it at once, not at its timeout', async () => {
        const tag = `js-${signal}`;
        const spin = { name: 'spin', plugin: 'script', config: { language: 'javascript', timeout: '20s', script: 'for (;;) {}' } };
        let markedAt = 0;
        const run = await interrupt(tag, signal, { steps: [get('mark', `/mark/${tag}`), spin] }, () => {
          if (requests(`/mark/${tag}`).length > 0 && markedAt === 0) markedAt = performance.now();
          return markedAt > 0 && performance.now() - markedAt > 300;
        });
        expectGracefulStop(tag, signal, run);
        expectSubjectInterrupted(run, 'spin');
        expect(run.stopMs, 'ms from signal to exit').to.be.below(10_000);
      });

      it('during a shell script: kills bash and what it started (sleep 30)', async () => {
        const tag = `shell-${signal}`;
        const bashPid = join(dir, `${tag}.bash.pid`);
        const sleepPid = join(dir, `${tag}.sleep.pid`);
        const script = {
          name: 'sleepy',
          plugin: 'script',
          config: { language: 'shell', timeout: '1m', script: `echo $$ > ${bashPid}\nsleep 30 &\necho $! > ${sleepPid}\nwait` },
        };
        const run = await interrupt(
          tag,
          signal,
          { steps: [script] },
          () => existsSync(sleepPid) && readFileSync(sleepPid, 'utf8').trim() !== '',
        );
        expectGracefulStop(tag, signal, run);
        expectSubjectInterrupted(run, 'sleepy');
        for (const pidFile of [bashPid, sleepPid]) {
          const pid = Number(readFileSync(pidFile, 'utf8'));
          expect(isRunning(pid), `${pidFile}: process ${pid} still running`).to.equal(false);
        }
        expect(run.stopMs).to.be.below(10_000);
      });

      it('during a cleanup step: the cleanup step goes on, bounded by its own timeout, then the next one runs', async () => {
        const tag = `cleanup-${signal}`;
        const slow = get('slow cleanup', `/hold/slow-${tag}`, { timeout: '1500ms' });
        // `subject` passes quickly and goes to cleanup while `held` is still in flight; the signal
        // comes while the first cleanup step waits for an answer that never comes.
        const run = await interrupt(
          tag,
          signal,
          { steps: [get('quick', `/mark/${tag}`)], cleanup: [slow] },
          () => requests(`/hold/slow-${tag}`).length > 0,
        );
        expectGracefulStop(tag, signal, run);
        const slowSeen = requests(`/hold/slow-${tag}`)[0];
        expect(slowSeen?.closedAt, 'slow cleanup request closed').to.be.a('number');
        // Not cut at the signal: it ran to its own 1.5s timeout.
        expect((slowSeen?.closedAt ?? 0) - (slowSeen?.at ?? 0)).to.be.at.least(1_400);
        const slowResult = stepResult(run, 'subject', 'slow cleanup');
        expect(slowResult?._tag).to.equal('Failed');
        expect(slowResult?._tag === 'Failed' && messageOf(slowResult)).to.contain('ETIMEDOUT');
        // The cleanup step after it still ran; a cleanup failure does not change the test's result.
        // (Compared with the slow request's arrival: the close of its connection and the next
        // request race to the server.)
        expect((requests(`/cleanup/subject-${tag}`)[0]?.at ?? 0) - (slowSeen?.at ?? Infinity)).to.be.at.least(1_400);
        expect(stepResult(run, 'subject', `subject-${tag}`)?._tag).to.equal('Passed');
        expect(run.report.suites[0]?.tests.find((t) => t.name === 'subject')?.result?._tag).to.equal('Passed');
        expect(run.report.summary).to.deep.equal({ passed: 1, failed: 0, skipped: 0, interrupted: 1, errors: 0, started: true });
      });
    });
  }

  const pairs: ReadonlyArray<readonly [Signal, Signal]> = [
    ['SIGINT', 'SIGINT'],
    ['SIGTERM', 'SIGINT'],
    ['SIGINT', 'SIGTERM'],
    ['SIGHUP', 'SIGHUP'],
  ];
  for (const [first, second] of pairs) {
    it(`a ${second} after ${first} (> 300ms apart) exits at once with ${EXIT_CODE[second]} while a cleanup script runs, kills it, and writes the reports`, async () => {
      const tag = `twice-${first}-${second}`;
      const bashPid = join(dir, `${tag}.bash.pid`);
      const sleepPid = join(dir, `${tag}.sleep.pid`);
      const file = join(dir, `${tag}.yaml`);
      writeFileSync(
        file,
        stringify({
          name: tag,
          tests: [
            { name: 'passes', steps: [get('quick', `/mark/${tag}`)] },
            {
              name: 'held',
              steps: [get('in flight', `/hold/${tag}`)],
              cleanup: {
                always: [
                  {
                    name: 'slow cleanup',
                    plugin: 'script',
                    config: { language: 'shell', timeout: '20s', script: `echo $$ > ${bashPid}\nsleep 30 &\necho $! > ${sleepPid}\nwait` },
                  },
                  cleanupStep(`after-${tag}`),
                ],
              },
            },
          ],
        }),
      );
      const json = join(dir, `${tag}.json`);
      const junit = join(dir, `${tag}.xml`);
      // An earlier run's reports, which must not survive.
      writeFileSync(json, '{"stale": true}\n');
      writeFileSync(junit, '<testsuites tests="0" failures="0" errors="0" time="0.000"/>\n');
      let firstAt = 0;
      let secondAt = 0;
      const result = await runCli(['run', '-f', file, '--report', `json=${json}`, '--report', `junit=${junit}`], {
        onSpawn: (child) =>
          signalWhen(child, async () => {
            await until(() => requests(`/hold/${tag}`).length > 0 && requests(`/mark/${tag}`).length > 0, 'the request in flight');
            firstAt = performance.now();
            child.kill(first);
            await until(() => existsSync(sleepPid) && readFileSync(sleepPid, 'utf8').trim() !== '', 'the cleanup script to start');
            // Two signals within 300ms count as one keypress; this is a second one.
            await sleep(Math.max(0, 350 - (performance.now() - firstAt)));
            secondAt = performance.now();
            child.kill(second);
          }),
      });
      const exitedAt = performance.now();
      throwIfTriggerFailed();
      expect(result.code, result.stderr).to.equal(EXIT_CODE[second]);
      expect(result.stderr).to.contain(`${first}: stopping`).and.contain(`${second} again: exiting at once`);
      expect(result.stderr).not.to.match(STACK_TRACE);
      // At once: not after the cleanup script's 30s sleep or its 20s timeout.
      expect(exitedAt - secondAt, 'ms from the second signal to exit').to.be.below(2_000);
      expect(requests(`/cleanup/after-${tag}`), 'the next cleanup step never started').to.have.length(0);
      for (const pidFile of [bashPid, sleepPid]) {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        expect(isRunning(pid), `${pidFile}: process ${pid} still running`).to.equal(false);
      }
      // The reports, as they stood at the second signal: the test that passed, the held test
      // cut off in its cleanup (its request interrupted, the cleanup script never ended).
      const report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
      const tests = report.suites[0]?.tests ?? [];
      expect(tests.map((t) => `${t.name}:${t.result?._tag ?? null}`)).to.deep.equal(['passes:Passed', 'held:null']);
      const held = tests.find((t) => t.name === 'held');
      expect(held?.steps.map((s) => `${s.name}:${s.result?._tag ?? null}`)).to.deep.equal(['in flight:Interrupted', 'slow cleanup:null']);
      expect(report.summary).to.include({ passed: 1, failed: 0, started: true });
      const xml = readFileSync(junit, 'utf8');
      expect(junitProblems(parseXml(xml))).to.deep.equal([]);
      expect(xml).to.match(/<testcase name="held"[^>]*>\s*<error message="the run stopped before this test ended" type="Interrupted">/);
    });
  }
});

/**
 * The script plugin's side of the above, in process: what lets the CLI stop a script at once and
 * leave nothing behind, and what keeps a script from hanging the run when nobody interrupts it.
 */
describe('script steps cut off (in process)', function () {
  this.timeout(15_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-cutoff-'));
  });

  async function run(steps: readonly object[], interruptAfterMs?: number) {
    const interrupt$ = new ReplaySubject<string>(1);
    const timer = interruptAfterMs === undefined ? undefined : setTimeout(() => interrupt$.next('SIGINT'), interruptAfterMs);
    const started = performance.now();
    const events = await lastValueFrom(
      runSuite(inlineSuite(stringify({ name: 'cut', tests: [{ name: 't', steps }] })), {
        http: createAxiosClient(),
        plugins: builtinPlugins(),
        interrupt$,
      }).pipe(toArray()),
    );
    clearTimeout(timer);
    const results = new Map(events.flatMap((e) => (e._tag === 'StepEnded' ? [[e.ref.step, e.result] as const] : [])));
    return { results, ms: performance.now() - started };
  }

  it('an interrupt stops a JavaScript busy loop at once (the runner is never blocked)', async () => {
    // The interrupt is a timer on the runner's own event loop: it fires only if the loop is free.
    const { results, ms } = await run(
      [{ name: 'spin', plugin: 'script', config: { language: 'javascript', timeout: '20s', script: 'for (;;) {}' } }],
      200,
    );
    expect(results.get('spin')?._tag).to.equal('Interrupted');
    expect(ms).to.be.below(5_000);
  });

  it('an endless chain of promise callbacks times out instead of hanging the run (CLI process)', async () => {
    // In a process of its own: before the worker, this chain ran on the runner's thread, where
    // `vm`'s timeout does not reach promise callbacks, and starved its event loop for good: no
    // timer fired again (the other test's delay), no signal was handled.
    const file = join(dir, 'chain.yaml');
    writeFileSync(
      file,
      stringify({
        name: 'chain',
        tests: [
          {
            name: 'chain',
            steps: [
              {
                name: 'chain',
                plugin: 'script',
                config: {
                  language: 'javascript',
                  timeout: '300ms',
                  script: 'Promise.resolve().then(function f() { return Promise.resolve().then(f); })',
                },
              },
            ],
          },
          // Needs a timer to fire while the chain runs: on a starved event loop it never would.
          { name: 'other', steps: [{ name: 'wait', plugin: 'delay', config: { duration: '100ms' } }] },
        ],
      }),
    );
    let killed = false;
    const result = await runCli(['run', '-f', file], {
      onSpawn: (child) => {
        const timer = setTimeout(() => ((killed = true), child.kill('SIGKILL')), 10_000);
        child.once('exit', () => clearTimeout(timer));
      },
    });
    expect(killed, 'hung: killed after 10s').to.equal(false);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.contain('script timed out after 300ms');
    expect(result.stdout).to.match(/^1 passed, 1 failed, 0 skipped$/m);
  });

  it('promise callbacks run before the script counts as finished: what they save is saved', async () => {
    const { results } = await run([
      { name: 'later', plugin: 'script', config: { language: 'javascript', script: 'Promise.resolve(41).then((n) => save("n", n + 1))' } },
    ]);
    const later = results.get('later');
    expect(later?._tag === 'Passed' && later.saved).to.deep.equal({ n: 42 });
  });

  it('a shell timeout kills what the script started and ends the step at the timeout', async () => {
    const pidFile = join(dir, 'timeout.sleep.pid');
    // Before: bash alone was killed; `sleep` kept the output pipes open, so the step ended only
    // when it did (5s), and it outlived the step.
    const { results, ms } = await run([
      {
        name: 'sleepy',
        plugin: 'script',
        config: { language: 'shell', timeout: '300ms', script: `sleep 5 &\necho $! > ${pidFile}\nwait` },
      },
    ]);
    const sleepy = results.get('sleepy');
    expect(sleepy?._tag === 'Failed' && messageOf(sleepy)).to.equal('shell script timed out after 300ms');
    expect(ms).to.be.below(3_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await sleep(50);
    expect(isRunning(pid), `sleep ${pid} still running`).to.equal(false);
  });

  it('a shell script that ended leaves what it started in the background alone', async () => {
    const pidFile = join(dir, 'background.sleep.pid');
    const { results } = await run([
      { name: 'starts', plugin: 'script', config: { language: 'shell', script: `sleep 3 > /dev/null 2>&1 &\necho $! > ${pidFile}` } },
    ]);
    expect(results.get('starts')?._tag).to.equal('Passed');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isRunning(pid)).to.equal(true);
    process.kill(pid, 'SIGKILL');
  });
});
