import { expect } from 'chai';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lastValueFrom, toArray } from 'rxjs';
import { stringify } from 'yaml';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { runSuite } from '../../lib/run/run-suite.js';
import type { AttemptRecord, RunEvent, StepResult, TestResult } from '../../lib/event/run-event.js';
import { suite } from '../helpers/fake-http.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { messageOf } from '../helpers/result-message.js';

/**
 * The fault matrix of issue 5: every fault a server (or the network) can throw, against each of
 * the three shapes of an HTTP step, run end to end: inline YAML -> decoder -> runSuite -> the real
 * axios client -> a real `node:http` server on 127.0.0.1. Each spec asserts the outcome, the
 * number of requests the server saw, and what the message says. `docs/fault-matrix.md` is the
 * same matrix as a table.
 */

// ---------------------------------------------------------------------------------------------
// The three shapes of a step
// ---------------------------------------------------------------------------------------------

type Shape = 'plain' | 'polled' | 'retry';

/** A check in the DSL's own words, e.g. `{ type: 'status_code', expected: 200 }`. */
type CheckYaml = Readonly<Record<string, unknown>>;

interface ProbeOptions {
  readonly url: string;
  /** What the plain and retry steps assert and the polled step waits for. */
  readonly check: CheckYaml;
  /** The step's per-request `timeout`. */
  readonly timeout?: string;
  readonly insecure?: boolean;
  /** The poll's overall deadline. Default `1s`. */
  readonly pollTimeout?: string;
  /** The poll's `max_attempts`. Default 3; `null` leaves it out (the deadline alone bounds the poll). */
  readonly maxAttempts?: number | null;
}

const STATUS_200: CheckYaml = { type: 'status_code', expected: 200 };
const STATUS_DONE: CheckYaml = { type: 'json_path', path: '.status', expected: 'done' };

/**
 * The step `probe` in one of the three shapes:
 * - plain: one request, `assertions: [check]`;
 * - polled: `polling` every 20ms, `max_attempts: 3` within 1s, `conditions: [check]`;
 * - retry: one request, `assertions: [check]`, `retry` up to 3 runs 10ms apart.
 */
function probe(shape: Shape, o: ProbeOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {
    method: 'GET',
    url: o.url,
    ...(o.timeout === undefined ? {} : { timeout: o.timeout }),
    ...(o.insecure === undefined ? {} : { insecure: o.insecure }),
  };
  const step = { name: 'probe', plugin: 'http' };
  switch (shape) {
    case 'plain':
      return { ...step, config, assertions: [o.check] };
    case 'polled': {
      const maxAttempts = o.maxAttempts === undefined ? 3 : o.maxAttempts;
      const polling = {
        interval: '20ms',
        timeout: o.pollTimeout ?? '1s',
        ...(maxAttempts === null ? {} : { max_attempts: maxAttempts }),
        conditions: [o.check],
      };
      return { ...step, config: { ...config, polling } };
    }
    case 'retry':
      return { ...step, config, assertions: [o.check], retry: { initial_interval: '10ms', backoff_coefficient: 1, maximum_attempts: 3 } };
  }
}

// ---------------------------------------------------------------------------------------------
// Running one step through the whole runner
// ---------------------------------------------------------------------------------------------

interface Outcome {
  readonly test: TestResult;
  readonly step: StepResult;
  /** Every `AttemptMade` of the step, in order. */
  readonly attempts: readonly AttemptRecord[];
  /** The step's failure message; '' when it has none. */
  readonly message: string;
  readonly events: readonly RunEvent[];
}

/**
 * Writes a one-test suite around `step` as YAML text, decodes it, and runs it with the real
 * axios client and the built-in plugins. Resolves when the run completes (a run that hangs is
 * caught by mocha's timeout).
 */
async function run(step: Record<string, unknown>, options: { readonly maxBodyBytes?: number } = {}): Promise<Outcome> {
  const text = stringify({ name: 'faults', tests: [{ name: 'fault', steps: [step] }] });
  const events = await lastValueFrom(
    runSuite(suite(text), { http: createAxiosClient(), plugins: builtinPlugins(), ...options }).pipe(toArray()),
  );
  const stepEnded = events.find((e) => e._tag === 'StepEnded');
  const testEnded = events.find((e) => e._tag === 'TestEnded');
  if (stepEnded?._tag !== 'StepEnded' || testEnded?._tag !== 'TestEnded') return expect.fail('the run did not end its step and test');
  const attempts = events.flatMap((e) => (e._tag === 'AttemptMade' ? [e.attempt] : []));
  const result = stepEnded.result;
  const message = messageOf(result);
  return { test: testEnded.result, step: result, attempts, message, events };
}

/** The message with the wall-clock part of the poll evidence blanked: `elapsed: <t>`. */
function stable(message: string): string {
  return message.replace(/elapsed: \S+/g, 'elapsed: <t>').replace(/gave up after \S+/g, 'gave up after <t>');
}

/** Each attempt as `status` or the transport error's code. */
function outcomes(attempts: readonly AttemptRecord[]): string[] {
  return attempts.map((a) => (a.outcome._tag === 'Response' ? String(a.outcome.status) : a.outcome.code));
}

// ---------------------------------------------------------------------------------------------
// The server and its faults
// ---------------------------------------------------------------------------------------------

/** One request as the server saw it: path and arrival time (performance.now()). */
interface Seen {
  readonly path: string;
  readonly at: number;
}

let server: LocalServer;
const seen: Seen[] = [];
/** Requests per path, for scripted sequences. */
const perPath = new Map<string, number>();
/** Resolve when the client closed the connection of a request the server held or streamed to. */
const closed: Array<Promise<void>> = [];
/** Bytes each endless body managed to write before the client hung up. */
const endlessBytes: number[] = [];

function watchClose(req: IncomingMessage): void {
  closed.push(new Promise((resolve) => req.socket.once('close', () => resolve())));
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/**
 * Routes:
 * - `/never`: accepts and never answers.
 * - `/reset-before-headers`, `/reset-mid-body`: destroys the socket before / during the response.
 * - `/trickle/<ms>`: the response in 6 pieces, `<ms>` apart (headers included).
 * - `/endless`: a body streamed in 64 KiB chunks for as long as the client reads.
 * - `/not-json`: a 200 HTML page. `/not-utf8`: a 200 whose body bytes are not UTF-8.
 * - `/loop`: redirects to itself.
 * - `/seq/<a>,<b>,...`: the n-th request gets the n-th item (the last one repeats). An item is a
 *   status (body `{"status":"done"}` for 200, else `{"status":"waiting"}`), `html` (a 200 page that
 *   is not JSON), `reset` (the socket destroyed before the headers), or `429ra`/`503ra` (that
 *   status with `Retry-After: 1`; `429ra0` with `Retry-After: 0`, `503rapast` with a date a minute
 *   ago).
 * - `/pending`: always `{"status":"pending","progress":<n>}`.
 */
function route(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  seen.push({ path, at: performance.now() });
  const n = (perPath.get(path) ?? 0) + 1;
  perPath.set(path, n);
  const [, first, second] = path.split('/');
  switch (first) {
    case 'never':
      watchClose(req);
      return;
    case 'reset-before-headers':
      req.socket.destroy();
      return;
    case 'reset-mid-body':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"status":"do', () => req.socket.destroy());
      return;
    case 'trickle': {
      const gap = Number(second);
      const pieces = [
        'HTTP/1.1 200 OK\r\n',
        'Content-Type: application/json\r\n',
        'Content-Length: 17\r\n',
        '\r\n',
        '{"status":',
        '"done"}',
      ];
      watchClose(req);
      const next = (): void => {
        const piece = pieces.shift();
        if (piece === undefined || req.socket.destroyed) return;
        req.socket.write(piece);
        setTimeout(next, gap);
      };
      next();
      return;
    }
    case 'endless': {
      const index = endlessBytes.push(0) - 1;
      watchClose(req);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed) {
          endlessBytes[index] = (endlessBytes[index] ?? 0) + chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
      return;
    }
    case 'not-json':
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>oops</html>');
      return;
    case 'not-utf8':
      // `{"status":"done` then two bytes that are never UTF-8, then `"}`.
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(Buffer.concat([Buffer.from('{"status":"done'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
      return;
    case 'loop':
      res.writeHead(302, { Location: '/loop' }).end();
      return;
    case 'seq': {
      const items = (second ?? '').split(',');
      const item = items[Math.min(n, items.length) - 1] ?? '500';
      if (item === 'html') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>starting</html>');
      if (item === 'reset') return void req.socket.destroy();
      const [, code = '500', ask] = /^(\d+)(?:ra(0|past)?)?$/.exec(item) ?? [];
      const status = Number(code);
      const header = !item.includes('ra')
        ? undefined
        : ask === '0'
          ? '0'
          : ask === 'past'
            ? new Date(Date.now() - 60_000).toUTCString()
            : '1';
      json(res, status, { status: status === 200 ? 'done' : 'waiting' }, header === undefined ? {} : { 'Retry-After': header });
      return;
    }
    case 'pending':
      json(res, 200, { status: 'pending', progress: n });
      return;
    default:
      json(res, 404, { error: 'no route' });
  }
}

const url = (path: string): string => `${server.url}${path}`;

describe('faults a server can throw (plain step, polled step, step with retry)', function () {
  before(async () => {
    server = await startLocalServer(route);
  });
  beforeEach(() => {
    server.reset();
    seen.length = 0;
    perPath.clear();
    closed.length = 0;
    endlessBytes.length = 0;
  });
  after(() => server.close());

  describe('connection refused (a port that was just closed)', () => {
    let refusedUrl = '';
    before(async () => {
      const gone = await startLocalServer(() => undefined);
      refusedUrl = `${gone.url}/`;
      await gone.close();
    });

    it('plain: Failed with "connection refused", one attempt', async () => {
      const o = await run(probe('plain', { url: refusedUrl, check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.test._tag).to.equal('Failed');
      expect(o.message).to.equal(`GET ${refusedUrl}: connection refused (ECONNREFUSED)`);
      expect(outcomes(o.attempts)).to.deep.equal(['ECONNREFUSED']);
    });

    it('polled: each refusal is "not yet"; fails at max_attempts with the error as evidence', async () => {
      const o = await run(probe('polled', { url: refusedUrl, check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        [
          'polling exceeded maximum attempts (3)',
          '  attempts: 3, elapsed: <t>',
          `  last attempt (3): GET ${refusedUrl}: connection refused (ECONNREFUSED)`,
        ].join('\n'),
      );
      expect(outcomes(o.attempts)).to.deep.equal(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    });

    it('retry: runs 3 times, then Failed with "connection refused"', async () => {
      const o = await run(probe('retry', { url: refusedUrl, check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(`GET ${refusedUrl}: connection refused (ECONNREFUSED)`);
      expect(outcomes(o.attempts)).to.deep.equal(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    });
  });

  describe('connection reset before the headers', () => {
    const msg = () => `GET ${url('/reset-before-headers')}: connection closed by the server before the response headers (ECONNRESET)`;

    it('plain: Failed, one request', async () => {
      const o = await run(probe('plain', { url: url('/reset-before-headers'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(server.requests).to.equal(1);
    });

    it('polled: "not yet" 3 times, then fails with the reset as evidence', async () => {
      const o = await run(probe('polled', { url: url('/reset-before-headers'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        ['polling exceeded maximum attempts (3)', '  attempts: 3, elapsed: <t>', `  last attempt (3): ${msg()}`].join('\n'),
      );
      expect(server.requests).to.equal(3);
    });

    it('retry: 3 requests, then Failed', async () => {
      const o = await run(probe('retry', { url: url('/reset-before-headers'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(server.requests).to.equal(3);
    });
  });

  describe('connection reset in the middle of the body', () => {
    const msg = () => `GET ${url('/reset-mid-body')}: connection closed by the server in the middle of the response body (ECONNRESET)`;

    it('plain: Failed, one request', async () => {
      const o = await run(probe('plain', { url: url('/reset-mid-body'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(server.requests).to.equal(1);
    });

    it('polled: "not yet" 3 times, then fails with the reset as evidence', async () => {
      const o = await run(probe('polled', { url: url('/reset-mid-body'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        ['polling exceeded maximum attempts (3)', '  attempts: 3, elapsed: <t>', `  last attempt (3): ${msg()}`].join('\n'),
      );
      expect(server.requests).to.equal(3);
    });

    it('retry: 3 requests, then Failed', async () => {
      const o = await run(probe('retry', { url: url('/reset-mid-body'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(server.requests).to.equal(3);
    });
  });

  describe('a server that resets, then recovers', () => {
    it('polled: the resets are "not yet"; Passed on the 3rd request', async () => {
      const o = await run(probe('polled', { url: url('/seq/reset,reset,200'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Passed');
      expect(o.test._tag).to.equal('Passed');
      expect(outcomes(o.attempts)).to.deep.equal(['ECONNRESET', 'ECONNRESET', '200']);
      expect(server.requests).to.equal(3);
    });

    it('retry: Passed on the 3rd run', async () => {
      const o = await run(probe('retry', { url: url('/seq/reset,reset,200'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Passed');
      expect(outcomes(o.attempts)).to.deep.equal(['ECONNRESET', 'ECONNRESET', '200']);
      expect(server.requests).to.equal(3);
    });
  });

  describe('a server that accepts and never answers', () => {
    it("plain: aborted at the step's timeout (ETIMEDOUT); the server sees the connection close", async () => {
      const o = await run(probe('plain', { url: url('/never'), check: STATUS_200, timeout: '200ms' }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(`GET ${url('/never')}: no complete response within 200 ms (ETIMEDOUT)`);
      expect(server.requests).to.equal(1);
      expect(closed).to.have.length(1);
      await Promise.all(closed);
    });

    it("polled: the poll's deadline aborts the request in flight; the server sees the connection close", async () => {
      // No step timeout (the default 30s per request) and no max_attempts: only the poll's 300ms deadline ends it.
      const o = await run(probe('polled', { url: url('/never'), check: STATUS_200, pollTimeout: '300ms', maxAttempts: null }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        [
          'polling timed out after 300ms',
          '  attempts: 1, elapsed: <t>',
          '  the request in flight at the deadline was aborted',
          '  no attempt finished',
        ].join('\n'),
      );
      expect(server.requests).to.equal(1);
      expect(closed).to.have.length(1);
      await Promise.all(closed);
    });

    it('retry: each run is aborted at the timeout; 3 requests, 3 connections closed', async () => {
      const o = await run(probe('retry', { url: url('/never'), check: STATUS_200, timeout: '100ms' }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(`GET ${url('/never')}: no complete response within 100 ms (ETIMEDOUT)`);
      expect(server.requests).to.equal(3);
      expect(closed).to.have.length(3);
      await Promise.all(closed);
    });
  });

  describe('headers (and body) that trickle in slowly', () => {
    // 6 pieces 40ms apart: the whole response takes about 200ms.
    const slow = () => url('/trickle/40');

    it('plain, within the timeout: Passed', async () => {
      const o = await run(probe('plain', { url: slow(), check: STATUS_DONE, timeout: '2s' }));
      expect(o.step._tag).to.equal('Passed');
      expect(server.requests).to.equal(1);
    });

    it('plain, beyond the timeout: Failed with ETIMEDOUT; the server sees the connection close', async () => {
      const o = await run(probe('plain', { url: slow(), check: STATUS_DONE, timeout: '100ms' }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(`GET ${slow()}: no complete response within 100 ms (ETIMEDOUT)`);
      expect(server.requests).to.equal(1);
      await Promise.all(closed);
    });

    it('polled, within the timeout: Passed on the 1st attempt', async () => {
      const o = await run(probe('polled', { url: slow(), check: STATUS_DONE, timeout: '2s', pollTimeout: '3s' }));
      expect(o.step._tag).to.equal('Passed');
      expect(outcomes(o.attempts)).to.deep.equal(['200']);
      expect(server.requests).to.equal(1);
    });

    it('polled, beyond the timeout: each attempt times out ("not yet"), then max_attempts', async () => {
      const o = await run(probe('polled', { url: slow(), check: STATUS_DONE, timeout: '100ms', pollTimeout: '3s' }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        [
          'polling exceeded maximum attempts (3)',
          '  attempts: 3, elapsed: <t>',
          `  last attempt (3): GET ${slow()}: no complete response within 100 ms (ETIMEDOUT)`,
        ].join('\n'),
      );
      expect(server.requests).to.equal(3);
    });

    it('retry, within the timeout: Passed at once', async () => {
      const o = await run(probe('retry', { url: slow(), check: STATUS_DONE, timeout: '2s' }));
      expect(o.step._tag).to.equal('Passed');
      expect(server.requests).to.equal(1);
    });

    it('retry, beyond the timeout: 3 requests, then Failed with ETIMEDOUT', async () => {
      const o = await run(probe('retry', { url: slow(), check: STATUS_DONE, timeout: '100ms' }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(`GET ${slow()}: no complete response within 100 ms (ETIMEDOUT)`);
      expect(server.requests).to.equal(3);
    });
  });

  describe('a body larger than the limit (maxBodyBytes: 1 KiB), streamed endlessly', () => {
    const limit = { maxBodyBytes: 1024 };
    const msg = () => `GET ${url('/endless')}: response body is larger than the limit of 1 KiB (BODY_TOO_LARGE)`;
    /**
     * The server would stream for ever; the run ending at all proves the client stopped reading at
     * the limit and hung up. What the server wrote meanwhile is bounded by socket buffers, far
     * below what an unbounded read would have pulled.
     */
    async function expectHungUp(count: number): Promise<void> {
      expect(closed).to.have.length(count);
      await Promise.all(closed);
      for (const bytes of endlessBytes) expect(bytes).to.be.below(32 * 1024 * 1024);
    }

    it('plain: Failed with BODY_TOO_LARGE, the connection closed', async () => {
      const o = await run(probe('plain', { url: url('/endless'), check: STATUS_200 }), limit);
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(server.requests).to.equal(1);
      await expectHungUp(1);
    });

    it('polled: each attempt is "not yet"; fails at max_attempts with BODY_TOO_LARGE as evidence', async () => {
      const o = await run(probe('polled', { url: url('/endless'), check: STATUS_200 }), limit);
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        ['polling exceeded maximum attempts (3)', '  attempts: 3, elapsed: <t>', `  last attempt (3): ${msg()}`].join('\n'),
      );
      expect(server.requests).to.equal(3);
      await expectHungUp(3);
    });

    it('retry: 3 requests, then Failed with BODY_TOO_LARGE', async () => {
      const o = await run(probe('retry', { url: url('/endless'), check: STATUS_200 }), limit);
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(server.requests).to.equal(3);
      await expectHungUp(3);
    });
  });

  describe('a body that is not JSON, for a json_path check', () => {
    const reason = /^\(not JSON: Unexpected token '<', .* is not valid JSON\)$/;

    it('plain: Failed; the assertion says the body is not JSON', async () => {
      const o = await run(probe('plain', { url: url('/not-json'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      const [head, line, ...rest] = o.message.split('\n');
      expect(head).to.equal('1 assertion failed:');
      expect(line).to.satisfy((l: string) => l.startsWith('  json_path .status: expected "done", actual (none) '));
      expect(line?.slice('  json_path .status: expected "done", actual (none) '.length)).to.match(reason);
      expect(rest).to.deep.equal([]);
      expect(server.requests).to.equal(1);
    });

    it('polled: "not yet", then fails at max_attempts with the reason and the body as evidence', async () => {
      const o = await run(probe('polled', { url: url('/not-json'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      const lines = stable(o.message).split('\n');
      expect(lines.slice(0, 3)).to.deep.equal([
        'polling exceeded maximum attempts (3)',
        '  attempts: 3, elapsed: <t>',
        '  last attempt (3): status 200',
      ]);
      expect(lines[3]).to.satisfy((l: string) => l.startsWith('    FAIL json_path .status: expected "done", actual (none) '));
      expect(lines[3]?.slice('    FAIL json_path .status: expected "done", actual (none) '.length)).to.match(reason);
      expect(lines.slice(4)).to.deep.equal(['  last body: <html>oops</html>']);
      expect(server.requests).to.equal(3);
    });

    it('polled: a page that is not JSON yet, then JSON: Passed on the 3rd attempt', async () => {
      const o = await run(probe('polled', { url: url('/seq/html,html,200'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Passed');
      expect(o.attempts.map((a) => a.conditions.map((c) => c._tag).join())).to.deep.equal(['Failed', 'Failed', 'Passed']);
      expect(server.requests).to.equal(3);
    });

    it('retry: 3 requests, then Failed with the same reason', async () => {
      const o = await run(probe('retry', { url: url('/not-json'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.contain('actual (none) (not JSON: ');
      expect(server.requests).to.equal(3);
    });
  });

  describe('a body that is not UTF-8, for a json_path check', () => {
    const failed = 'json_path .status: expected "done", actual (none) (not UTF-8 text (19 bytes))';

    it('plain: Failed; the assertion says the body is not UTF-8', async () => {
      const o = await run(probe('plain', { url: url('/not-utf8'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(`1 assertion failed:\n  ${failed}`);
      expect(server.requests).to.equal(1);
    });

    it('polled: "not yet", then fails at max_attempts with the reason as evidence', async () => {
      const o = await run(probe('polled', { url: url('/not-utf8'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        [
          'polling exceeded maximum attempts (3)',
          '  attempts: 3, elapsed: <t>',
          '  last attempt (3): status 200',
          `    FAIL ${failed}`,
          // The bad bytes show as U+FFFD in the excerpt.
          '  last body: {"status":"done\uFFFD\uFFFD"}',
        ].join('\n'),
      );
      expect(server.requests).to.equal(3);
    });

    it('retry: 3 requests, then Failed with the same reason', async () => {
      const o = await run(probe('retry', { url: url('/not-utf8'), check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(`1 assertion failed:\n  ${failed}`);
      expect(server.requests).to.equal(3);
    });
  });

  describe('a redirect loop', () => {
    const msg = () => `GET ${url('/loop')}: more than 10 redirects (a redirect loop?) (TOO_MANY_REDIRECTS)`;

    it('plain: Failed with TOO_MANY_REDIRECTS after the request and 10 redirects (11 requests)', async () => {
      const o = await run(probe('plain', { url: url('/loop'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(server.requests).to.equal(11);
    });

    it('polled: each attempt is "not yet"; 3 x 11 requests, then max_attempts', async () => {
      const o = await run(probe('polled', { url: url('/loop'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        ['polling exceeded maximum attempts (3)', '  attempts: 3, elapsed: <t>', `  last attempt (3): ${msg()}`].join('\n'),
      );
      expect(server.requests).to.equal(33);
    });

    it('retry: 3 x 11 requests, then Failed', async () => {
      const o = await run(probe('retry', { url: url('/loop'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(server.requests).to.equal(33);
    });
  });

  describe('a self-signed certificate', () => {
    let tls: LocalServer;
    before(async () => {
      tls = await startLocalServer((req, res) => json(res, 200, { status: 'done' }), { tls: true });
    });
    beforeEach(() => tls.reset());
    after(() => tls.close());

    const msg = () =>
      `GET ${tls.url}/: TLS certificate rejected: self-signed certificate; \`insecure: true\` skips verification (DEPTH_ZERO_SELF_SIGNED_CERT)`;

    it('plain: Failed, saying how to skip verification; the handshake fails, no request is sent', async () => {
      const o = await run(probe('plain', { url: `${tls.url}/`, check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(tls.requests).to.equal(0);
      expect(tls.connections).to.equal(1);
    });

    it('plain with insecure: true: Passed', async () => {
      const o = await run(probe('plain', { url: `${tls.url}/`, check: STATUS_DONE, insecure: true }));
      expect(o.step._tag).to.equal('Passed');
      expect(tls.requests).to.equal(1);
    });

    it('polled: each handshake failure is "not yet"; max_attempts with the rejection as evidence', async () => {
      const o = await run(probe('polled', { url: `${tls.url}/`, check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        ['polling exceeded maximum attempts (3)', '  attempts: 3, elapsed: <t>', `  last attempt (3): ${msg()}`].join('\n'),
      );
      expect(tls.requests).to.equal(0);
      expect(tls.connections).to.equal(3);
    });

    it('polled with insecure: true: Passed on the 1st attempt', async () => {
      const o = await run(probe('polled', { url: `${tls.url}/`, check: STATUS_DONE, insecure: true }));
      expect(o.step._tag).to.equal('Passed');
      expect(tls.requests).to.equal(1);
    });

    it('retry: 3 handshakes, no request, then Failed', async () => {
      const o = await run(probe('retry', { url: `${tls.url}/`, check: STATUS_DONE }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal(msg());
      expect(tls.requests).to.equal(0);
      expect(tls.connections).to.equal(3);
    });

    it('retry with insecure: true: Passed at once', async () => {
      const o = await run(probe('retry', { url: `${tls.url}/`, check: STATUS_DONE, insecure: true }));
      expect(o.step._tag).to.equal('Passed');
      expect(tls.requests).to.equal(1);
    });
  });

  describe('a DNS name that does not resolve (.invalid, RFC 6761)', () => {
    // `.invalid` never resolves: the lookup fails locally or at the resolver, and no host is
    // contacted. Proxy variables are cleared so that nothing goes to a proxy either. The step
    // timeout bounds a resolver that would hang instead of failing.
    const invalid = 'http://no-such-host.invalid/';
    const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];
    const saved = new Map<string, string | undefined>();
    before(() => {
      for (const name of PROXY_VARS) {
        saved.set(name, process.env[name]);
        delete process.env[name];
      }
    });
    after(() => {
      for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
    });
    /** ENOTFOUND where the resolver answers "no such name"; EAI_AGAIN where no resolver answers at all. */
    const expectUnresolved = (message: string | undefined): void => {
      expect(message).to.be.oneOf([
        `GET ${invalid}: host name "no-such-host.invalid" does not resolve (ENOTFOUND)`,
        `GET ${invalid}: DNS lookup of "no-such-host.invalid" failed, try again later (EAI_AGAIN)`,
      ]);
    };

    it('plain: Failed, naming the host', async () => {
      const o = await run(probe('plain', { url: invalid, check: STATUS_200, timeout: '2s' }));
      expect(o.step._tag).to.equal('Failed');
      expectUnresolved(o.message);
      expect(o.attempts).to.have.length(1);
    });

    it('polled: each failed lookup is "not yet"; max_attempts with the lookup error as evidence', async () => {
      const o = await run(probe('polled', { url: invalid, check: STATUS_200, timeout: '2s', pollTimeout: '5s' }));
      expect(o.step._tag).to.equal('Failed');
      const [head, counts, last, ...rest] = stable(o.message).split('\n');
      expect([head, counts]).to.deep.equal(['polling exceeded maximum attempts (3)', '  attempts: 3, elapsed: <t>']);
      expectUnresolved(last?.replace('  last attempt (3): ', ''));
      expect(rest).to.deep.equal([]);
      expect(o.attempts).to.have.length(3);
    });

    it('retry: 3 lookups, then Failed', async () => {
      const o = await run(probe('retry', { url: invalid, check: STATUS_200, timeout: '2s' }));
      expect(o.step._tag).to.equal('Failed');
      expectUnresolved(o.message);
      expect(o.attempts).to.have.length(3);
    });
  });

  describe('429 and 503 with Retry-After: 1', () => {
    /** Milliseconds between consecutive requests, as the server saw them. */
    const gaps = (): number[] => seen.slice(1).map((s, i) => s.at - (seen[i] as Seen).at);

    it('plain: the 429 (or 503) is the response; a status assertion fails on it', async () => {
      for (const status of [429, 503]) {
        const o = await run(probe('plain', { url: url(`/seq/${status}ra`), check: STATUS_200 }));
        expect(o.step._tag).to.equal('Failed');
        expect(o.message).to.equal(`1 assertion failed:\n  status_code: expected 200, actual ${status}`);
        expect(o.attempts[0]?.outcome).to.deep.include({ _tag: 'Response', status });
      }
      expect(server.requests).to.equal(2);
    });

    it('polled: the next request waits for Retry-After (1s), not the 20ms interval; then Passed', async () => {
      // The poll operator's virtual-time specs prove the rule exactly; this proves the wiring:
      // header -> plugin -> poll -> a real timer.
      const o = await run(probe('polled', { url: url('/seq/429ra,503ra,200'), check: STATUS_200, pollTimeout: '5s' }));
      expect(o.step._tag).to.equal('Passed');
      expect(outcomes(o.attempts)).to.deep.equal(['429', '503', '200']);
      expect(o.attempts.map((a) => a.nextDelayMs)).to.deep.equal([1000, 1000, undefined]);
      expect(server.requests).to.equal(3);
      const [first, second] = gaps();
      expect(first).to.be.at.least(950);
      expect(second).to.be.at.least(950);
    });

    it('polled: a Retry-After that ends past the deadline is not waited; the poll fails at once', async () => {
      const o = await run(probe('polled', { url: url('/seq/429ra'), check: STATUS_200, pollTimeout: '500ms', maxAttempts: null }));
      expect(o.step._tag).to.equal('Failed');
      expect(stable(o.message)).to.equal(
        [
          'polling would exceed its timeout (500ms) at the next wait; gave up after <t>',
          '  attempts: 1, elapsed: <t>',
          '  the next wait (1s) would have ended past the deadline',
          '  last attempt (1): status 429',
          '    FAIL status_code: expected 200, actual 429',
          '  last body: {"status":"waiting"}',
        ].join('\n'),
      );
      expect(server.requests).to.equal(1);
    });

    it('polled: Retry-After: 0 or a date in the past never shortens the interval (no flood of requests)', async () => {
      for (const path of ['/seq/429ra0', '/seq/503rapast']) {
        server.reset();
        seen.length = 0;
        const step = {
          name: 'probe',
          plugin: 'http',
          config: { method: 'GET', url: url(path), polling: { interval: '200ms', timeout: '1s', conditions: [STATUS_200] } },
        };
        const o = await run(step);
        expect(o.step._tag).to.equal('Failed');
        // the deadline, or the last wait (200ms from about 800ms) that would reach it: either way, 1s
        expect(o.message).to.match(/^polling (timed out after 1s|would exceed its timeout \(1s\) at the next wait; gave up after \S+)\n/);
        // attempts at about 0, 200, 400, 600 and 800 ms: 5, never hundreds
        expect(server.requests, path).to.be.within(4, 5);
        expect(o.attempts.slice(0, -1).map((a) => a.nextDelayMs)).to.deep.equal(o.attempts.slice(0, -1).map(() => 200));
        for (const gap of gaps()) expect(gap, path).to.be.at.least(190);
      }
    });

    it("retry: a step's retry keeps its own initial_interval (Retry-After is a polling rule); 3 requests, then Failed", async () => {
      const o = await run(probe('retry', { url: url('/seq/429ra,503ra,429ra'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal('1 assertion failed:\n  status_code: expected 200, actual 429');
      expect(outcomes(o.attempts)).to.deep.equal(['429', '503', '429']);
      expect(server.requests).to.equal(3);
      for (const gap of gaps()) expect(gap).to.be.below(950);
    });
  });

  describe('4xx and 5xx are responses that checks judge', () => {
    it('plain: a 500 where 200 is asserted fails with expected vs actual', async () => {
      const o = await run(probe('plain', { url: url('/seq/500,500,200'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.message).to.equal('1 assertion failed:\n  status_code: expected 200, actual 500');
      expect(server.requests).to.equal(1);
    });

    it('polled: a 500 while polling for 200 is "not yet"; Passed on the 200', async () => {
      const o = await run(probe('polled', { url: url('/seq/500,500,200'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Passed');
      expect(outcomes(o.attempts)).to.deep.equal(['500', '500', '200']);
      expect(server.requests).to.equal(3);
    });

    it('retry: two 500s, then Passed on the 3rd run', async () => {
      const o = await run(probe('retry', { url: url('/seq/500,500,200'), check: STATUS_200 }));
      expect(o.step._tag).to.equal('Passed');
      expect(server.requests).to.equal(3);
    });

    const STATUS_404: CheckYaml = { type: 'status_code', expected: 404 };

    it('plain: a 404 asserted as 404 passes', async () => {
      const o = await run(probe('plain', { url: url('/seq/404'), check: STATUS_404 }));
      expect(o.step._tag).to.equal('Passed');
      expect(server.requests).to.equal(1);
    });

    it('polled: polling until status_code 404 (a deleted resource) passes on the 404', async () => {
      const o = await run(probe('polled', { url: url('/seq/200,200,404'), check: STATUS_404 }));
      expect(o.step._tag).to.equal('Passed');
      expect(outcomes(o.attempts)).to.deep.equal(['200', '200', '404']);
      expect(server.requests).to.equal(3);
    });

    it('retry: 200, 200, then the 404 asserted: Passed on the 3rd run', async () => {
      const o = await run(probe('retry', { url: url('/seq/200,200,404'), check: STATUS_404 }));
      expect(o.step._tag).to.equal('Passed');
      expect(server.requests).to.equal(3);
    });
  });

  describe("a poll's failure message (issue 3, rule 7)", () => {
    const conditions = [STATUS_200, STATUS_DONE];
    const polled = (extra: Record<string, unknown>) => ({
      name: 'probe',
      plugin: 'http',
      config: { method: 'GET', url: url('/pending'), polling: { interval: '20ms', conditions, ...extra } },
    });

    it("max_attempts: the reason in the spec's words, attempts, elapsed, last status, each condition, body excerpt", async () => {
      const o = await run(polled({ timeout: '1s', max_attempts: 3 }));
      expect(o.step._tag).to.equal('Failed');
      expect(o.test).to.deep.include({ _tag: 'Failed', step: 'probe' });
      expect(o.message).to.match(/\n {2}attempts: 3, elapsed: \d+(\.\d+)?ms\n/);
      expect(stable(o.message).split('\n')).to.deep.equal([
        'polling exceeded maximum attempts (3)',
        '  attempts: 3, elapsed: <t>',
        '  last attempt (3): status 200',
        '    ok   status_code: expected 200, actual 200',
        '    FAIL json_path .status: expected "done", actual "pending"',
        '  last body: {"status":"pending","progress":3}',
      ]);
      expect(server.requests).to.equal(3);
    });

    it('timeout: "polling timed out after 150ms" (or, before it, "would exceed its timeout"), with as many attempts as the server saw', async () => {
      const o = await run(polled({ timeout: '150ms' }));
      expect(o.step._tag).to.equal('Failed');
      const lines = stable(o.message).split('\n');
      const attempts = Number(/^ {2}attempts: (\d+),/.exec(lines[1] ?? '')?.[1]);
      // Where the deadline falls: during a request (aborted: the server may or may not have read
      // it); before a wait that would end past it (the poll does not wait it out); or during a wait
      // that fitted when it began but ended late (a loaded machine fires timers late).
      const why = lines[2];
      const aborted = why === '  the request in flight at the deadline was aborted';
      const gaveUp = why === '  the next wait (20ms) would have ended past the deadline';
      const last = aborted ? attempts - 1 : attempts;
      expect(last).to.be.at.least(2);
      expect(server.requests).to.be.oneOf(aborted ? [last, last + 1] : [last]);
      expect(lines).to.deep.equal([
        gaveUp ? 'polling would exceed its timeout (150ms) at the next wait; gave up after <t>' : 'polling timed out after 150ms',
        `  attempts: ${attempts}, elapsed: <t>`,
        ...(aborted || gaveUp ? [why] : []),
        `  last attempt (${last}): status 200`,
        '    ok   status_code: expected 200, actual 200',
        '    FAIL json_path .status: expected "done", actual "pending"',
        `  last body: {"status":"pending","progress":${last}}`,
      ]);
    });
  });
});
