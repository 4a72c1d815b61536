import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { filter, lastValueFrom, Observable, ReplaySubject, tap, toArray, type Observer } from 'rxjs';
import { stringify } from 'yaml';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { runSuite } from '../../lib/run/run-suite.js';
import type { RunEvent, StepResult, TestResult } from '../../lib/event/run-event.js';
import { consoleReporter } from '../../lib/report/console.js';
import { jsonReporter } from '../../lib/report/json.js';
import type { LoadedSuite } from '../../lib/dsl/index.js';
import { suite } from '../helpers/fake-http.js';
import { collectGarbage } from '../helpers/gc.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { messageOf } from '../helpers/result-message.js';

/**
 * Load, issue 5: many tests polling at once against a real server, and one very long test.
 * The figures these specs print are the ones in `docs/load-figures.md`.
 */

/** A small seeded PRNG (mulberry32): the same "random" plan on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Open file descriptors of this process, where `/proc` tells (Linux); undefined elsewhere. */
function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/**
 * Runs a suite to the end on the real clock, with the console reporter (as in the CLI, output
 * counted and dropped) and `observer` seeing each event. Rejects, naming the last event seen, when
 * the run stops without completing: a swallowed stack overflow looks like that.
 */
function runToEnd(
  loaded: LoadedSuite,
  observer: Partial<Observer<RunEvent>> = {},
  config: { interrupt$?: Observable<string>; concurrency?: number } = {},
): Promise<{ ends: RunEvent[]; count: number }> {
  return new Promise((resolve, reject) => {
    let count = 0;
    let last: RunEvent | undefined;
    const ends: RunEvent[] = [];
    const screen = consoleReporter({ write: () => undefined, tty: false, color: false, verbose: false });
    // The run below has at most a few ms of real waiting: if the loop goes idle, it stopped.
    const idle = setInterval(() => {
      if (performance.now() - lastAt > 5_000) {
        clearInterval(idle);
        reject(new Error(`the run stopped without completing after ${count} events; last: ${JSON.stringify(last)?.slice(0, 300)}`));
      }
    }, 500);
    let lastAt = performance.now();
    runSuite(loaded, { http: createAxiosClient(), plugins: builtinPlugins(), ...config }).subscribe({
      next: (e) => {
        count += 1;
        last = e;
        lastAt = performance.now();
        screen.next(e);
        observer.next?.(e);
        if (e._tag === 'TestEnded' || e._tag === 'SuiteEnded') ends.push(e);
      },
      error: (e: unknown) => {
        clearInterval(idle);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
      complete: () => {
        clearInterval(idle);
        screen.complete();
        resolve({ ends, count });
      },
    });
  });
}

/** `count` `log` steps named `log-<i>`, as YAML values. */
const logSteps = (count: number, prefix = 'log') =>
  Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i}`, plugin: 'log', config: { message: `line ${i} of ${count}` } }));
/** A step that ends on a later turn of the event loop: what makes the next steps queue up. */
const ASYNC_STEP = { name: 'wait', plugin: 'delay', config: { duration: '1ms' } };

/** The soft limit on open files (`ulimit -n`), as a child shell inherits it; undefined if unknown. */
function openFileLimit(): number | undefined {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Infinity : Number(out);
  } catch {
    return undefined;
  }
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

describe('load', function () {
  this.timeout(60_000);

  // 1,000 tests of at most 10 polls 20..50ms apart: about 5s on 2 cores; 60s is the budget.
  describe('soak @soak: 1,000 tests polling at once (runSuite, concurrency 1000, the real axios client)', () => {
    const TESTS = 1000;
    /** Every 10th test is given one attempt fewer than its job needs: it must fail by max_attempts. */
    const failsByDesign = (i: number) => i % 10 === 7;

    interface Job {
      readonly name: string;
      /** The poll on which the server first answers `done` (1..10). */
      readonly doneAfter: number;
      readonly intervalMs: number;
      /** The test's `max_attempts`. */
      readonly maxAttempts: number;
      /** Requests the server must see for this job. */
      readonly expectedRequests: number;
      readonly outcome: 'Passed' | 'Failed';
    }

    const random = seeded(5);
    const jobs: Job[] = Array.from({ length: TESTS }, (_, i) => {
      const fail = failsByDesign(i);
      // A job that fails by design needs at least 2 polls, so that it gets at least 1.
      const doneAfter = fail ? 2 + Math.floor(random() * 9) : 1 + Math.floor(random() * 10);
      const intervalMs = 20 + Math.floor(random() * 31);
      const maxAttempts = fail ? doneAfter - 1 : 10;
      return {
        name: `job-${i}`,
        doneAfter,
        intervalMs,
        maxAttempts,
        expectedRequests: fail ? maxAttempts : doneAfter,
        outcome: fail ? 'Failed' : 'Passed',
      };
    });
    const byName = new Map(jobs.map((j) => [j.name, j]));

    let server: LocalServer | undefined;
    const polls = new Map<string, number>();

    before(async () => {
      // Client and server share this process: up to 2 sockets a test, 1 file descriptor each.
      const limit = openFileLimit();
      if (limit !== undefined && limit < 2 * TESTS + 200) {
        throw new Error(
          `the soak needs about ${2 * TESTS + 200} open files (a client and a server socket per test), the limit is ${limit}: raise it (ulimit -n 4096) or leave it out (--grep @soak --invert)`,
        );
      }
      server = await startLocalServer((req, res) => {
        const name = /^\/jobs\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '';
        const job = byName.get(name);
        if (job === undefined) {
          res.writeHead(404).end();
          return;
        }
        const n = (polls.get(name) ?? 0) + 1;
        polls.set(name, n);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: name, poll: n, status: n >= job.doneAfter ? 'done' : 'running' }));
      });
    });
    after(() => server?.close());

    it('every test ends as designed, the server sees exactly the expected requests, and memory stays bounded', async () => {
      if (server === undefined) throw new Error('no server');
      const { url } = server;
      const text = stringify({
        name: 'soak',
        tests: jobs.map((job) => ({
          name: job.name,
          steps: [
            {
              name: 'wait',
              plugin: 'http',
              config: {
                method: 'GET',
                url: `${url}/jobs/${job.name}`,
                polling: {
                  interval: `${job.intervalMs}ms`,
                  timeout: '30s',
                  max_attempts: job.maxAttempts,
                  conditions: [{ type: 'json_path', path: '.status', expected: 'done' }],
                },
              },
            },
          ],
        })),
      });
      const loaded = suite(text, '/specs/reliability/soak.yaml');

      collectGarbage();
      const baseline = process.memoryUsage().rss;
      const baselineHeap = process.memoryUsage().heapUsed;
      let peakRss = baseline;
      let peakHeap = baselineHeap;
      let peakFds = openFds() ?? 0;
      const sample = () => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakFds = Math.max(peakFds, openFds() ?? 0);
      };
      const sampler = setInterval(sample, 20);

      // The console reporter is in the pipeline as in the CLI; its output is counted, not kept.
      let printed = 0;
      const screen = consoleReporter({ write: (s) => (printed += s.length), tty: false, color: false, verbose: false });
      const started = performance.now();
      let events: RunEvent[];
      try {
        events = await lastValueFrom(
          runSuite(loaded, { http: createAxiosClient(), plugins: builtinPlugins(), concurrency: TESTS }).pipe(
            tap(screen),
            // Only the ends are kept, for the assertions below.
            filter((e) => e._tag === 'StepEnded' || e._tag === 'TestEnded' || e._tag === 'SuiteEnded'),
            toArray(),
          ),
        );
      } finally {
        clearInterval(sampler);
      }
      const seconds = (performance.now() - started) / 1000;
      sample();

      const testEnds = new Map<string, TestResult>();
      const stepEnds = new Map<string, StepResult>();
      for (const e of events) {
        if (e._tag === 'TestEnded') testEnds.set(e.ref.test, e.result);
        if (e._tag === 'StepEnded' && e.ref.test !== undefined) stepEnds.set(e.ref.test, e.result);
      }
      expect(testEnds.size).to.equal(TESTS);
      const wrong: string[] = [];
      for (const job of jobs) {
        const result = testEnds.get(job.name);
        const step = stepEnds.get(job.name);
        if (result?._tag !== job.outcome) wrong.push(`${job.name}: ${result?._tag ?? 'no end'}, expected ${job.outcome}`);
        else if (step === undefined || !('attempts' in step) || step.attempts !== job.expectedRequests) {
          wrong.push(
            `${job.name}: ${step === undefined ? 'no step end' : 'attempts' in step ? `${step.attempts} attempts` : step._tag}, expected ${job.expectedRequests}`,
          );
        } else if (
          job.outcome === 'Failed' &&
          !(step._tag === 'Failed' && messageOf(step).includes(`maximum attempts (${job.maxAttempts})`))
        ) {
          wrong.push(`${job.name}: failed with ${JSON.stringify(step)}`);
        }
        if (polls.get(job.name) !== job.expectedRequests)
          wrong.push(`${job.name}: server saw ${polls.get(job.name) ?? 0} requests, expected ${job.expectedRequests}`);
      }
      expect(wrong.slice(0, 10), `${wrong.length} wrong`).to.deep.equal([]);

      const expectedTotal = jobs.reduce((sum, j) => sum + j.expectedRequests, 0);
      expect(server.requests).to.equal(expectedTotal);
      const suiteEnd = events.at(-1);
      expect(suiteEnd?._tag === 'SuiteEnded' && suiteEnd.result).to.include({
        _tag: 'Failed',
        passed: 900,
        failed: 100,
        skipped: 0,
        interrupted: 0,
      });
      // Keep-alive: no more connections than requests ever in flight at once, far fewer than requests.
      expect(server.connections).to.be.at.most(TESTS);
      expect(server.connections).to.be.below(expectedTotal / 2);
      expect(printed).to.be.greaterThan(0);

      // What the run left behind, live: the 2,000 end events kept above, and idle keep-alive sockets.
      collectGarbage();
      const retained = process.memoryUsage().heapUsed - baselineHeap;
      const growth = peakRss - baseline;
      console.log(
        `      soak: ${TESTS} tests, ${expectedTotal} requests in ${seconds.toFixed(1)}s on ${cpus().length} cores; ` +
          `peak RSS ${mib(peakRss)} (baseline ${mib(baseline)}, +${mib(growth)}), ` +
          `peak heap used ${mib(peakHeap)} (baseline ${mib(baselineHeap)}), retained after the run ${mib(retained)}; ` +
          `${server.connections} connections, peak ${peakFds} open fds`,
      );
      // Generous bounds: measured +130..165 MiB of RSS and 40..46 MiB retained on 2 cores
      // (docs/load-figures.md). What is retained is mostly the 1,000 idle keep-alive sockets on
      // each side (the client pool keeps every idle socket until its 4 s idle timeout, so that
      // polls reuse connections): bounded by the concurrency, not by the number of requests.
      expect(growth, `RSS grew by ${mib(growth)}`).to.be.below(400 * MiB);
      expect(retained, `${mib(retained)} still live after the run`).to.be.below(64 * MiB);
    });
  });

  describe('10,000 sequential steps in one test', () => {
    const STEPS = 10_000;

    /**
     * Heap used (live objects only) when step `at` ended, for each checkpoint. The steps are
     * `log` steps, which end synchronously: after the first (asynchronous) step, the other 10,000
     * run in one synchronous burst, so nothing else in the process allocates in between.
     */
    async function heapAtCheckpoints(checkpoints: readonly number[], keepEverything: boolean): Promise<Map<number, number>> {
      const loaded = suite(
        stringify({ name: 'long', tests: [{ name: 'long', steps: [ASYNC_STEP, ...logSteps(STEPS)] }] }),
        '/specs/reliability/long.yaml',
      );
      const heap = new Map<number, number>();
      // The control: a reporter that keeps every event, as `--report json` does.
      const keeper = keepEverything ? jsonReporter() : undefined;
      const { ends } = await runToEnd(loaded, {
        next: (e) => {
          keeper?.next(e);
          // Step 0 is the delay: `log-<k>` has index k + 1, and is the (k + 1)-th log step.
          if (e._tag === 'StepEnded' && checkpoints.includes(e.ref.index)) {
            collectGarbage();
            heap.set(e.ref.index, process.memoryUsage().heapUsed);
          }
        },
      });
      expect(ends.at(-1)).to.deep.include({ _tag: 'SuiteEnded' });
      const end = ends.at(-1);
      expect(end?._tag === 'SuiteEnded' && end.result._tag).to.equal('Passed');
      return heap;
    }

    it('does not grow the heap with the number of steps (events are streamed, not kept)', async () => {
      const checkpoints = [2_000, 4_000, 6_000, 8_000, STEPS];
      const streamed = await heapAtCheckpoints(checkpoints, false);
      const kept = await heapAtCheckpoints(checkpoints, true);
      const growth = (heap: Map<number, number>) => (heap.get(STEPS) ?? NaN) - (heap.get(2_000) ?? NaN);
      const perStep = (bytes: number) => `${Math.round(bytes / (STEPS - 2_000))} bytes/step`;
      console.log(
        `      10,000 steps: heap ${mib(streamed.get(2_000) ?? NaN)} after 2,000 steps, ${mib(streamed.get(STEPS) ?? NaN)} after 10,000 ` +
          `(${perStep(growth(streamed))}); keeping every event (--report json): +${mib(growth(kept))} (${perStep(growth(kept))})`,
      );
      // The control shows the probe sees retention: a JSON report holds every event, ~1 KiB a step.
      expect(growth(kept)).to.be.greaterThan(4 * MiB);
      // Streamed: 8,000 more steps cost less than 64 bytes each (noise), against ~1 KiB kept.
      expect(growth(streamed), `heap grew by ${mib(growth(streamed))} over 8,000 steps`).to.be.below(0.5 * MiB);
    });

    // Before the trampoline in run-sequence.ts, a few hundred synchronous steps after an
    // asynchronous one overflowed the stack inside mergeScan; RxJS swallowed the RangeError and
    // the run just stopped, with no SuiteEnded, no cleanup and no report.
    it('runs 10,000 synchronous steps queued behind an asynchronous one without overflowing the stack', async () => {
      const loaded = suite(
        stringify({ name: 'deep', tests: [{ name: 'deep', steps: [ASYNC_STEP, ...logSteps(STEPS)] }] }),
        '/specs/reliability/deep.yaml',
      );
      let logs = 0;
      const { ends } = await runToEnd(loaded, { next: (e) => void (e._tag === 'LogEmitted' && (logs += 1)) });
      expect(logs).to.equal(STEPS);
      const end = ends.at(-1);
      expect(end?._tag === 'SuiteEnded' && end.result).to.include({ _tag: 'Passed', passed: 1 });
    });

    it('skips 10,000 steps after an asynchronous failure, then runs 10,000 cleanup steps, without overflowing the stack', async () => {
      const failing = { name: 'fails', plugin: 'delay', config: { duration: '1ms' }, assertions: [{ type: 'status_code', expected: 200 }] };
      const loaded = suite(
        stringify({
          name: 'deep',
          tests: [{ name: 'deep', steps: [failing, ...logSteps(STEPS)], cleanup: { always: [ASYNC_STEP, ...logSteps(STEPS, 'tidy')] } }],
        }),
        '/specs/reliability/deep-skip.yaml',
      );
      const tally = { Skipped: 0, cleanupPassed: 0 };
      const { ends } = await runToEnd(loaded, {
        next: (e) => {
          if (e._tag !== 'StepEnded') return;
          if (e.result._tag === 'Skipped') tally.Skipped += 1;
          if (e.ref.phase === 'cleanup_always' && e.result._tag === 'Passed') tally.cleanupPassed += 1;
        },
      });
      expect(tally).to.deep.equal({ Skipped: STEPS, cleanupPassed: STEPS + 1 });
      const end = ends.at(-1);
      expect(end?._tag === 'SuiteEnded' && end.result).to.include({ _tag: 'Failed', failed: 1 });
    });

    it('skips 5,000 queued tests at once on an interrupt without overflowing the stack', async () => {
      const TESTS = 5_000;
      const loaded = suite(
        stringify({
          name: 'wide',
          tests: Array.from({ length: TESTS }, (_, i) => ({
            name: `t${i}`,
            steps: [{ name: 'wait', plugin: 'delay', config: { duration: '1m' } }],
          })),
        }),
        '/specs/reliability/wide.yaml',
      );
      const interrupt$ = new ReplaySubject<string>(1);
      let started = 0;
      const { ends } = await runToEnd(
        loaded,
        { next: (e) => void (e._tag === 'StepStarted' && ++started === 8 && setTimeout(() => interrupt$.next('SIGINT'), 5)) },
        { interrupt$, concurrency: 8 },
      );
      const end = ends.at(-1);
      expect(end?._tag === 'SuiteEnded' && end.result).to.include({
        _tag: 'Interrupted',
        passed: 0,
        failed: 0,
        interrupted: 8,
        skipped: TESTS - 8,
      });
    });
  });

  // Issue 11, item 20: 50 concurrent polls of a valid 9.9 MiB JSON body peaked at 3.6 GB of RSS
  // (about 70 MB a request in flight). What held it: every pooled connection pinned the last
  // response it carried (Node's agent keeps the options of a socket's first request, and axios's
  // options reach the request's promise), each poll kept its previous response while the next was
  // in flight, and every body was read, decoded and parsed at once. Now at most one body per poll
  // is kept (only the winner's in full), a budget bounds the bytes read at once, and nothing
  // keeps a response after it is judged.
  describe('50 polls at once of a 9.9 MiB JSON body (issue 11, item 20)', () => {
    const POLLS = 50;
    let server: LocalServer | undefined;
    let body: Buffer;

    before(async () => {
      const items: string[] = [];
      let size = 40;
      for (let i = 0; size < 9.9 * MiB; i += 1) {
        const item = JSON.stringify({ id: i, name: `item number ${i}`, tags: ['a', 'b', 'c'], value: i * 1.5, status: 'pending' });
        items.push(item);
        size += item.length + 1;
      }
      body = Buffer.from(`{"status":"pending","items":[${items.join(',')}]}`);
      server = await startLocalServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }).end(body);
      });
    });
    after(() => server?.close());

    it('peaks under 1.5 GB of RSS, growing less than 700 MiB (it grew by 1 GB here, 3.6 GB with more attempts), every poll judged to its last attempt', async () => {
      if (server === undefined) throw new Error('no server');
      const { url } = server;
      const text = stringify({
        name: 'big bodies',
        tests: Array.from({ length: POLLS }, (_, i) => ({
          name: `poll ${i}`,
          steps: [
            {
              name: 'wait',
              plugin: 'http',
              config: {
                method: 'GET',
                url: `${url}/jobs/${i}`,
                polling: {
                  interval: '50ms',
                  timeout: '60s',
                  max_attempts: 2,
                  conditions: [{ type: 'json_path', path: '.status', expected: 'done' }],
                },
              },
            },
          ],
        })),
      });
      collectGarbage();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const started = performance.now();
      const { ends } = await runToEnd(suite(text, '/specs/reliability/big-bodies.yaml'), {}, { concurrency: POLLS });
      clearInterval(sampler);
      console.log(
        `      ${POLLS} polls x 2 attempts of ${mib(body.length)}: peak RSS ${mib(peak)} (baseline ${mib(baseline)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const tests = ends.filter((e): e is Extract<RunEvent, { _tag: 'TestEnded' }> => e._tag === 'TestEnded');
      expect(tests).to.have.length(POLLS);
      for (const t of tests) {
        expect(t.result).to.deep.include({ _tag: 'Failed' });
        expect(messageOf(t.result)).to.match(/^polling exceeded maximum attempts \(2\)/);
      }
      expect(peak).to.be.below(1.5 * 1024 * MiB);
      // About 330 MiB here; the code before the fix grew by about 1,020 MiB on this same run.
      expect(peak - baseline).to.be.below(700 * MiB);
    });
  });
});
