import { expect } from 'chai';
import { lastValueFrom, NEVER, of, toArray, type Observable } from 'rxjs';
import { runSuite } from '../../lib/run/run-suite.js';
import { retryAfterMs } from '../../lib/plugins/http.js';
import type { RunEvent, StepResult } from '../../lib/event/run-event.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { fakeHttp, fakeResponse, suite } from '../helpers/fake-http.js';
import { runVirtual, type VirtualRoute } from '../helpers/run-virtual.js';
import { collectGarbage } from '../helpers/gc.js';
import type { HttpResponse } from '../../lib/http/http-client.js';
import { messageOf } from '../helpers/result-message.js';

/** Runs a one-step suite in virtual time; returns the step's result, attempt times and requests. */
function runStep(yaml: string, route: VirtualRoute, vars: Record<string, unknown> = {}) {
  const { events, requests } = runVirtual(suite(yaml), route, { vars: vars as never });
  const ended = events.find((e): e is Extract<RunEvent, { _tag: 'StepEnded' }> => e._tag === 'StepEnded');
  return {
    result: ended?.result as StepResult,
    attemptsAt: events.filter((e) => e._tag === 'AttemptMade').map((e) => e.at),
    requests,
    events,
  };
}

const polled = (polling: string, extra = '') => `
name: s
vars: { n: 3, code: 200, state: done }
tests:
  - name: t
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "http://api/job"
          polling:
${polling
  .trim()
  .split('\n')
  .map((l) => `            ${l}`)
  .join('\n')}
${extra}`;

describe('http plugin', () => {
  it('keeps no response of an attempt that did not end the poll while the next one is in flight (issue 11, item 20)', async () => {
    const seen: Array<WeakRef<HttpResponse>> = [];
    // Attempt 1 answers "running" (not done); attempt 2 never answers.
    const http = fakeHttp((_request, n): Observable<HttpResponse> => {
      if (n > 1) return NEVER;
      const response = fakeResponse(200, { state: 'running', pad: 'x'.repeat(10_000) });
      seen.push(new WeakRef(response));
      return of(response);
    });
    const events: RunEvent[] = [];
    const subscription = runSuite(
      suite(polled(`interval: 5ms\ntimeout: 1m\nconditions: [{ type: json_path, path: .state, expected: done }]`)),
      { http, plugins: builtinPlugins() },
    ).subscribe((e) => events.push(e));
    while (http.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    collectGarbage();
    expect(seen).to.have.length(1);
    expect(seen[0]?.deref(), 'the first response is still alive').to.equal(undefined);
    // what it showed is kept, in its attempt's event: a short excerpt, not the body
    const first = events.find((e): e is Extract<RunEvent, { _tag: 'AttemptMade' }> => e._tag === 'AttemptMade');
    expect(first?.attempt.outcome).to.deep.include({ _tag: 'Response', status: 200 });
    subscription.unsubscribe();
  });

  it('renders a templated max_attempts and sends exactly that many requests', () => {
    const { result, requests } = runStep(
      polled(
        `interval: 10ms\ntimeout: 1m\nmax_attempts: "{{ .vars.n }}"\nconditions: [{ type: json_path, path: .state, expected: "{{ .vars.state }}" }]`,
      ),
      (_r, _n, cold) => cold('r|', { r: fakeResponse(200, { state: 'running' }) }),
    );
    expect(requests).to.have.length(3);
    expect(result._tag).to.equal('Failed');
    const message = result._tag === 'Failed' ? messageOf(result) : '';
    expect(message.split('\n')[0]).to.equal('polling exceeded maximum attempts (3)');
    expect(message).to.contain('attempts: 3');
    expect(message).to.contain('expected "done", actual "running"');
    expect(message).to.contain('last body: {"state":"running"}');
  });

  it('fails at once, as a configuration error, when a templated max_attempts renders to 0', () => {
    const { result, requests } = runStep(
      polled(`interval: 10ms\ntimeout: 1m\nmax_attempts: "{{ .vars.zero }}"\nconditions: [{ type: status_code, expected: 200 }]`),
      (_r, _n, cold) => cold('r|', { r: fakeResponse(200) }),
      { zero: 0 },
    );
    expect(requests).to.have.length(0);
    expect(result._tag).to.equal('Errored');
    expect(result._tag === 'Errored' && messageOf(result)).to.match(
      /config\.polling\.max_attempts: "\{\{ \.vars\.zero \}\}" rendered to 0: .*at least 1/,
    );
  });

  it("compares a single-template expected with the variable's type", () => {
    const { result } = runStep(
      polled(`interval: 10ms\ntimeout: 1m\nconditions: [{ type: status_code, expected: "{{ .vars.code }}" }]`),
      (_r, n, cold) => cold('r|', { r: fakeResponse(n < 2 ? 503 : 200) }),
    );
    expect(result._tag).to.equal('Passed');
    expect(result._tag === 'Passed' && result.attempts).to.equal(2);
  });

  it('stops at once when a fail condition holds, with its reason', () => {
    const { result, requests } = runStep(
      polled(
        `interval: 10ms\ntimeout: 1m\nconditions: [{ type: json_path, path: .state, expected: done }]\nfail_conditions: [{ type: json_path, path: .state, expected: failed }]`,
      ),
      (_r, n, cold) => cold('r|', { r: fakeResponse(200, { state: n < 3 ? 'running' : 'failed' }) }),
    );
    expect(requests).to.have.length(3);
    expect(result._tag === 'Failed' && messageOf(result).split('\n')[0]).to.equal(
      'polling failed: fail condition holds: json_path .state == "failed"',
    );
    expect(result._tag === 'Failed' && result.cause).to.deep.include({
      _tag: 'FailCondition',
      condition: 'json_path .state',
      held: [{ _tag: 'Passed', label: 'json_path .state', matcher: 'expected', expected: 'failed', actual: 'failed' }],
    });
  });

  it('waits what Retry-After asks on a 429, then goes back to the interval', () => {
    const { attemptsAt } = runStep(
      polled(`interval: 100ms\ntimeout: 1m\nconditions: [{ type: status_code, expected: 200 }]`),
      (_r, n, cold) =>
        cold('r|', { r: n === 1 ? fakeResponse(429, 'slow down', { 'Retry-After': '2' }) : fakeResponse(n < 3 ? 500 : 200) }),
    );
    // attempt 1 at 0 asks for 2s; attempt 2 at 2000 is a 500, so the interval (100ms) follows
    expect(attemptsAt).to.deep.equal([0, 2000, 2100]);
  });

  it("compares a Retry-After date with the wall clock, not with the scheduler's (virtual) clock", () => {
    // An HTTP date 10s from now (whole seconds: 9-10s away). The poll runs in virtual time, whose
    // clock starts at 0: measured from there, the date is ~56 years away, past any deadline.
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const { result, attemptsAt } = runStep(
      polled(`interval: 100ms\ntimeout: 1m\nconditions: [{ type: status_code, expected: 200 }]`),
      (_r, n, cold) => cold('r|', { r: n === 1 ? fakeResponse(503, 'busy', { 'Retry-After': inTenSeconds }) : fakeResponse(200) }),
    );
    expect(result._tag, messageOf(result)).to.equal('Passed');
    expect(attemptsAt).to.have.length(2);
    expect(attemptsAt[1]).to.be.within(8_000, 10_000);
  });

  it('reads a Retry-After date on the wall clock the run is given (wallClock), exactly', () => {
    // At 07:28:00 on the injected wall clock, `Retry-After: 07:28:30` asks for 30s.
    const { events } = runVirtual(
      suite(
        `name: s\ntests:\n  - name: t\n    steps:\n      - name: p\n        plugin: http\n        config:\n          method: GET\n          url: http://api/x\n          polling: { interval: 100ms, timeout: 1m, conditions: [{ type: status_code, expected: 200 }] }\n`,
      ),
      (_r, n, cold) =>
        cold('r|', { r: n === 1 ? fakeResponse(429, 'slow down', { 'Retry-After': 'Wed, 21 Oct 2015 07:28:30 GMT' }) : fakeResponse(200) }),
      { wallClock: () => Date.parse('Wed, 21 Oct 2015 07:28:00 GMT') },
    );
    const attempts = events.flatMap((e) => (e._tag === 'AttemptMade' ? [e.attempt] : []));
    expect(attempts.map((a) => [a.number, a.elapsedMs, a.nextDelayMs])).to.deep.equal([
      [1, 0, 30_000],
      [2, 30_000, undefined],
    ]);
  });

  it('fails a response that holds both its conditions and a fail condition', () => {
    const { result, requests } = runStep(
      polled(
        `interval: 10ms\ntimeout: 1m\nconditions: [{ type: status_code, expected: 200 }]\nfail_conditions: [{ type: json_path, path: .state, expected: failed }]`,
      ),
      (_r, _n, cold) => cold('r|', { r: fakeResponse(200, { state: 'failed' }) }),
    );
    expect(requests).to.have.length(1);
    expect(result._tag === 'Failed' && messageOf(result).split('\n')[0]).to.equal(
      'polling failed: fail condition holds: json_path .state == "failed"',
    );
    expect(result._tag === 'Failed' && result.cause).to.deep.include({ _tag: 'FailCondition', condition: 'json_path .state', attempts: 1 });
  });

  it('gives up before the deadline when the next wait would cross it, and says so in its first line', () => {
    const { result, attemptsAt } = runStep(
      polled(`interval: 400ms\ntimeout: 1s\nconditions: [{ type: status_code, expected: 200 }]`),
      (_r, _n, cold) => cold('r|', { r: fakeResponse(500, 'oops') }),
    );
    // attempts at 0, 400, 800; the next wait would end at 1200 > 1000: fail at once at 800
    expect(attemptsAt).to.deep.equal([0, 400, 800]);
    expect(result._tag === 'Failed' && messageOf(result).split('\n').slice(0, 4)).to.deep.equal([
      'polling would exceed its timeout (1s) at the next wait; gave up after 800ms',
      '  attempts: 3, elapsed: 800ms',
      '  the next wait (400ms) would have ended past the deadline',
      '  last attempt (3): status 500',
    ]);
    expect(result._tag === 'Failed' && result.cause).to.deep.include({
      _tag: 'PollTimedOut',
      stoppedBy: 'NextWait',
      timeoutMs: 1000,
      elapsedMs: 800,
      unwaitedDelayMs: 400,
    });
  });

  it("fails with the deadline message, in Rocketship's words, when the deadline itself passes", () => {
    const { result, attemptsAt } = runStep(
      polled(`interval: 400ms\ntimeout: 1s\nconditions: [{ type: status_code, expected: 200 }]`),
      // attempt 3 (sent at 800) never answers: the deadline at 1000 aborts it
      (_r, n, cold) => cold(n < 3 ? 'r|' : '-', { r: fakeResponse(500, 'oops') }),
    );
    expect(attemptsAt).to.deep.equal([0, 400]);
    expect(result._tag === 'Failed' && messageOf(result).split('\n').slice(0, 3)).to.deep.equal([
      'polling timed out after 1s',
      '  attempts: 3, elapsed: 1s',
      '  the request in flight at the deadline was aborted',
    ]);
    expect(result._tag === 'Failed' && result.cause).to.deep.include({ _tag: 'PollTimedOut', stoppedBy: 'Deadline', inFlight: true });
  });

  it('prints the durations it measured without float noise (a jittered wait, an elapsed time)', () => {
    const { result } = runStep(
      polled(`interval: 400ms\njitter: 0.3\ntimeout: 1s\nconditions: [{ type: status_code, expected: 200 }]`),
      (_r, _n, cold) => cold('r|', { r: fakeResponse(500, 'oops') }),
    );
    const text = result._tag === 'Failed' ? messageOf(result) : '';
    expect(text).to.match(/^polling would exceed its timeout \(1s\) at the next wait; gave up after \d+ms\n/);
    expect(text).to.match(/\n {2}attempts: \d, elapsed: \d+ms\n/);
    expect(text).to.match(/\n {2}the next wait \(\d+ms\) would have ended past the deadline\n/);
  });

  it('takes save from the winning attempt and runs assertions once on it', () => {
    const { result, events } = runStep(
      polled(
        `interval: 10ms\ntimeout: 1m\nconditions: [{ type: json_path, path: .state, expected: done }]`,
        `        assertions: [{ type: json_path, path: .id, expected: 3 }]\n        save: [{ json_path: .id, as: id }]\n`,
      ),
      (_r, n, cold) => cold('r|', { r: fakeResponse(200, { state: n < 3 ? 'running' : 'done', id: n }) }),
    );
    expect(result._tag).to.equal('Passed');
    expect(result._tag === 'Passed' && result.saved).to.deep.equal({ id: 3 });
    expect(events.filter((e) => e._tag === 'AttemptMade')).to.have.length(3);
  });

  it('errors a step that asks for OpenAPI validation without a document, never skipping it or sending it', async () => {
    const yaml = `
name: s
tests:
  - name: t
    steps:
      - name: o
        plugin: http
        config: { method: GET, url: "http://api/x", openapi: { validate_response: false } }
`;
    const http = fakeHttp(() => {
      throw new Error('no request expected');
    });
    const events = await lastValueFrom(runSuite(suite(yaml), { http, plugins: builtinPlugins() }).pipe(toArray()));
    const ended = events.find((e) => e._tag === 'StepEnded');
    expect(ended?._tag === 'StepEnded' && ended.result).to.deep.include({ _tag: 'Errored' });
    expect(ended?._tag === 'StepEnded' && ended.result._tag === 'Errored' && messageOf(ended.result)).to.contain('config.openapi: no spec');
    expect(http.requests).to.have.length(0);
  });
});

describe('retryAfterMs', () => {
  const wallNow = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  const answer = (status: number, retryAfter: string) => fakeResponse(status, null, { 'Retry-After': retryAfter });

  it('reads delay-seconds as they are, whatever the clock', () => {
    expect(retryAfterMs(answer(503, '120'), wallNow)).to.equal(120_000);
    expect(retryAfterMs(answer(429, '0'), 0)).to.equal(0);
    expect(retryAfterMs(answer(429, ' 7 '))).to.equal(7_000);
  });

  it('reads an HTTP date as the time left until it on the wall clock given (0 once it has passed)', () => {
    expect(retryAfterMs(answer(503, 'Wed, 21 Oct 2015 07:28:30 GMT'), wallNow)).to.equal(30_000);
    expect(retryAfterMs(answer(503, 'Wed, 21 Oct 2015 07:27:00 GMT'), wallNow)).to.equal(0);
  });

  it('measures an HTTP date against Date.now() by default', () => {
    const ms = retryAfterMs(answer(429, new Date(Date.now() + 60_000).toUTCString()));
    expect(ms).to.be.within(58_000, 60_000);
  });

  it('is undefined on other statuses, without the header, or for a value that is neither', () => {
    expect(retryAfterMs(answer(500, '120'), wallNow)).to.equal(undefined);
    expect(retryAfterMs(fakeResponse(503), wallNow)).to.equal(undefined);
    expect(retryAfterMs(answer(503, 'soon'), wallNow)).to.equal(undefined);
  });
});

describe('http plugin against a real server', () => {
  it('polls until done and saves from the winning attempt only; a failed poll saves nothing', async () => {
    const { startLocalServer } = await import('../helpers/local-server.js');
    const { createAxiosClient } = await import('../../lib/http/axios-client.js');
    let n = 0;
    const server = await startLocalServer((req, res) => {
      n += 1;
      const body = req.url === '/never' ? { state: 'running', token: `t${n}` } : { state: n < 3 ? 'running' : 'done', token: `t${n}` };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    try {
      const yaml = (path: string) => `
name: real
tests:
  - name: t
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "${server.url}${path}"
          polling: { interval: 10ms, timeout: 5s, max_attempts: 3, conditions: [{ type: json_path, path: .state, expected: done }] }
        save: [{ json_path: .token, as: token }]
      - { name: show, plugin: log, config: { message: "{{ token }}" } }
`;
      const ok = await lastValueFrom(
        runSuite(suite(yaml('/job')), { http: createAxiosClient(), plugins: builtinPlugins() }).pipe(toArray()),
      );
      expect(server.requests).to.equal(3);
      expect(ok.flatMap((e) => (e._tag === 'LogEmitted' ? [e.message] : []))).to.deep.equal(['t3']);
      server.reset();
      n = 0;
      const failed = await lastValueFrom(
        runSuite(suite(yaml('/never')), { http: createAxiosClient(), plugins: builtinPlugins() }).pipe(toArray()),
      );
      expect(server.requests).to.equal(3);
      const poll = failed.find((e) => e._tag === 'StepEnded' && e.ref.step === 'poll');
      expect(poll?._tag === 'StepEnded' && poll.result._tag).to.equal('Failed');
      expect(
        failed.flatMap((e) => (e._tag === 'StepEnded' && e.result._tag === 'Passed' ? Object.keys(e.result.saved) : [])),
      ).to.deep.equal([]);
    } finally {
      await server.close();
    }
  });
});

describe('http plugin: a header received several times (against a real server)', () => {
  const yaml = (url: string, check: string) => `
name: headers
tests:
  - name: t
    steps:
      - name: get
        plugin: http
        config: { method: GET, url: "${url}/h" }
        assertions:
          - ${check}
        save:
          - { header: x-multi, as: multi }
      - { name: show, plugin: log, config: { message: "saved {{ multi }}" } }
`;
  let server: Awaited<ReturnType<(typeof import('../helpers/local-server.js'))['startLocalServer']>>;
  before(async () => {
    const { startLocalServer } = await import('../helpers/local-server.js');
    server = await startLocalServer((_req, res) => {
      res.writeHead(200, [
        ['Content-Type', 'application/json'],
        ['X-Multi', 'first'],
        ['x-multi', 'second, with a comma'],
        ['Set-Cookie', 'sid=ck-11111111; Path=/'],
        ['Set-Cookie', 'csrf=ck-22222222'],
        ['X-Once', 'one'],
      ]);
      res.end('{"sid":"ck-11111111"}');
    });
  });
  after(() => server.close());

  const run = async (check: string): Promise<RunEvent[]> => {
    const { createAxiosClient } = await import('../../lib/http/axios-client.js');
    return lastValueFrom(
      runSuite(suite(yaml(server.url, check)), { http: createAxiosClient(), plugins: builtinPlugins() }).pipe(toArray()),
    );
  };

  it('the attempt keeps each value apart (Set-Cookie always a list, each masked); checks and saves read the first value, as Go does', async () => {
    const events = await run('{ type: header, name: X-Multi, expected: first }');
    const attempt = events.find((e): e is Extract<RunEvent, { _tag: 'AttemptMade' }> => e._tag === 'AttemptMade');
    const outcome = attempt?.attempt.outcome;
    expect(outcome?._tag === 'Response' && outcome.headers).to.deep.include({
      'Content-Type': 'application/json',
      'X-Multi': ['first', 'second, with a comma'],
      'Set-Cookie': ['***', '***'],
      'X-Once': 'one',
    });
    // Each cookie was learned as a secret on its own: the body's echo of one is masked.
    expect(outcome?._tag === 'Response' && outcome.bodyExcerpt).to.equal('{"sid":"***"}');
    expect(events.flatMap((e) => (e._tag === 'LogEmitted' ? [e.message] : []))).to.deep.equal(['saved first']);
    const ended = events.find((e) => e._tag === 'StepEnded' && e.ref.step === 'get');
    expect(ended?._tag === 'StepEnded' && ended.result._tag).to.equal('Passed');
  });

  it('a check against a later value fails, saying the header came twice and the first was read', async () => {
    const events = await run("{ type: header, name: X-Multi, expected: 'second, with a comma' }");
    const ended = events.find((e) => e._tag === 'StepEnded' && e.ref.step === 'get');
    expect(ended?._tag === 'StepEnded' && ended.result._tag === 'Failed' && messageOf(ended.result)).to.equal(
      '1 assertion failed:\n  header X-Multi: expected "second, with a comma", actual "first" (the response has 2 X-Multi headers; a header check reads the first, as Rocketship does)',
    );
  });
});
