import { expect } from 'chai';
import { readShared, skipWithoutShared } from '../helpers/shared.js';
import { of, type Observable } from 'rxjs';
import type { HttpRequest, HttpResponse } from '../../lib/http/http-client.js';
import { fakeResponse, suite } from '../helpers/fake-http.js';
import { runVirtual } from '../helpers/run-virtual.js';
import { messageOf } from '../helpers/result-message.js';
import { checkTemplates } from '../../lib/dsl/check-templates.js';
import { formatDslError } from '../../lib/dsl/format-dsl-error.js';

/**
 * The product document's snippets, read from ../shared/spec/async-polling.md and run UNCHANGED
 * (wrapped in a minimal suite where they are fragments) against a simulated api.example.com, in
 * virtual time: the spec's real intervals (5s, 10s with backoff 1.1, 30m timeouts) run in
 * milliseconds, and every attempt's time is asserted exactly. The same scenarios run against a
 * real server, scaled down, in examples/async-operations (specs/examples/examples.spec.ts).
 */
const doc = readShared('spec/async-polling.md');
const snippets = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const snippet = (heading: string): string => {
  const at = doc.indexOf(heading);
  if (at < 0) throw new Error(`no "${heading}" in the spec document`);
  const m = /```yaml\n([\s\S]*?)```/.exec(doc.slice(at));
  if (m === null) throw new Error(`no yaml after "${heading}"`);
  return m[1] as string;
};
const indent = (text: string, by: number) =>
  text
    .split('\n')
    .map((l) => (l === '' ? l : ' '.repeat(by) + l))
    .join('\n');

/** A simulated api.example.com: what the n-th request to each path answers. */
type Api = (request: HttpRequest, nth: number) => HttpResponse;

function runApi(yaml: string, api: Api) {
  const counts = new Map<string, number>();
  const requests: string[] = [];
  const loaded = suite(yaml);
  // What validate and run check before anything is sent: the snippet's templates are all fine.
  expect(checkTemplates(loaded).errors.map(formatDslError)).to.deep.equal([]);
  const { events } = runVirtual(loaded, (request): Observable<HttpResponse> => {
    const key = `${request.method} ${request.url}`;
    const nth = (counts.get(key) ?? 0) + 1;
    counts.set(key, nth);
    requests.push(key);
    return of(api(request, nth));
  });
  const attempts = (step: string) => events.filter((e) => e._tag === 'AttemptMade' && e.ref.step === step).map((e) => e.at);
  const tests = events.flatMap((e) => (e._tag === 'TestEnded' ? [`${e.ref.test}: ${e.result._tag}`] : []));
  return { events, attempts, tests, requests };
}

describe('the spec document, run as written (virtual time)', () => {
  before(function () {
    skipWithoutShared(this, 'the product document (spec/async-polling.md)');
  });

  it('has the snippets this spec runs', () => {
    expect(snippets).to.have.length(9);
  });

  it('Basic Polling Configuration: 2s interval, backoff 1.2, completed on the 4th poll', () => {
    const yaml = `name: basic\ntests:\n  - name: t\n    steps:\n      - name: poll\n        plugin: http\n${indent(snippet('### Basic Polling Configuration'), 8)}`;
    const { attempts, tests } = runApi(yaml, (_r, n) => fakeResponse(200, { status: n < 4 ? 'running' : 'completed' }));
    // waits 2000, 2400, 2880 after attempts 1..3
    expect(attempts('poll')).to.deep.equal([0, 2000, 4400, 7280]);
    expect(tests).to.deep.equal(['t: Passed']);
  });

  it('Basic Polling Configuration: gives up before the 5m deadline (before its 30 attempts) when the next wait would cross it, and says so', () => {
    const yaml = `name: basic\ntests:\n  - name: t\n    steps:\n      - name: poll\n        plugin: http\n${indent(snippet('### Basic Polling Configuration'), 8)}`;
    const { attempts, events } = runApi(yaml, () => fakeResponse(200, { status: 'running' }));
    // 2000 * (1.2^0 + ... + 1.2^k) passes the 5m deadline before 30 attempts: the timeout decides.
    // Attempt 19 ends at 10000 * (1.2^18 - 1) = 256.2s; the wait after it (53.2s) would end past 5m.
    expect(attempts('poll')).to.have.length(19);
    const ended = events.find((e) => e._tag === 'StepEnded');
    expect(ended?._tag === 'StepEnded' && ended.result._tag === 'Failed' && messageOf(ended.result).split('\n')[0]).to.equal(
      'polling would exceed its timeout (5m0s) at the next wait; gave up after 4m16s',
    );
  });

  it("Basic Polling Configuration: fails at the 5m deadline with a request in flight, in Rocketship's words", () => {
    const yaml = `name: basic\ntests:\n  - name: t\n    steps:\n      - name: poll\n        plugin: http\n${indent(snippet('### Basic Polling Configuration'), 8)}`;
    // The 2nd request never answers: the deadline decides, at 5m exactly.
    const { events } = runVirtual(suite(yaml), (_r, n, cold) => cold(n < 2 ? 'r|' : '-', { r: fakeResponse(200, { status: 'running' }) }));
    const ended = events.find((e) => e._tag === 'StepEnded');
    expect(ended?.at).to.equal(300_000);
    expect(ended?._tag === 'StepEnded' && ended.result._tag === 'Failed' && messageOf(ended.result).split('\n')[0]).to.equal(
      'polling timed out after 5m0s',
    );
  });

  for (const [heading, yamlOf, api] of [
    ['#### 1. Status Code Conditions', (c: string) => c, (_r: HttpRequest, n: number) => fakeResponse(n < 3 ? 503 : 200)],
    [
      '#### 2. JSON Path Conditions',
      (c: string) => c,
      (_r: HttpRequest, n: number) => fakeResponse(200, { status: n < 3 ? 'running' : 'completed' }),
    ],
    [
      'Check if a JSON path exists',
      (c: string) => c,
      (_r: HttpRequest, n: number) => fakeResponse(200, n < 3 ? { status: 'queued' } : { job_id: 'j1' }),
    ],
    [
      '#### 3. Header Conditions',
      (c: string) => c,
      (_r: HttpRequest, n: number) => fakeResponse(200, {}, { 'X-Job-Status': n < 3 ? 'running' : 'finished' }),
    ],
  ] as const) {
    it(`${heading.replace(/^#+ /, '')}: polls until the condition holds`, () => {
      const yaml = `name: conditions\ntests:\n  - name: t\n    steps:\n      - name: poll\n        plugin: http\n        config:\n          method: GET\n          url: "https://api.example.com/jobs/123"\n          polling:\n            interval: "1s"\n            timeout: "1m"\n${indent(yamlOf(snippet(heading)), 12)}`;
      const { attempts, tests } = runApi(yaml, api);
      expect(attempts('poll')).to.deep.equal([0, 1000, 2000]);
      expect(tests).to.deep.equal(['t: Passed']);
    });
  }

  it('Variable Replacement: expected "{{ expected_status }}" reads a variable', () => {
    const yaml = `name: vars\nvars:\n  expected_status: completed\ntests:\n  - name: t\n    steps:\n      - name: poll\n        plugin: http\n        config:\n          method: GET\n          url: "https://api.example.com/jobs/123"\n          polling:\n            interval: "1s"\n            timeout: "1m"\n${indent(snippet('### Variable Replacement'), 12)}`;
    const { attempts, tests } = runApi(yaml, (_r, n) => fakeResponse(200, { status: n < 2 ? 'running' : 'completed' }));
    expect(attempts('poll')).to.deep.equal([0, 1000]);
    expect(tests).to.deep.equal(['t: Passed']);
  });

  it('1. Job Processing: submits, saves job_id, polls every 5s until completed', () => {
    const yaml = `name: jobs\ntests:\n  - name: t\n${indent(snippet('### 1. Job Processing'), 4)}`;
    const { attempts, tests, requests } = runApi(yaml, (r, n) =>
      r.method === 'POST'
        ? fakeResponse(202, { job_id: 'j-42', status: 'queued' })
        : fakeResponse(200, { status: n < 4 ? 'processing' : 'completed' }),
    );
    expect(requests[0]).to.equal('POST https://api.example.com/jobs');
    expect(requests.slice(1)).to.deep.equal(Array(4).fill('GET https://api.example.com/jobs/j-42'));
    expect(attempts('Wait for job completion')).to.deep.equal([0, 5000, 10000, 15000]);
    expect(tests).to.deep.equal(['t: Passed']);
  });

  it('2. Deployment Status: 10s with backoff 1.1, through 503s, until status 200 and success', () => {
    const yaml = `name: deploy\ntests:\n  - name: t\n${indent(snippet('### 2. Deployment Status'), 4)}`;
    const { attempts, tests } = runApi(yaml, (_r, n) =>
      n <= 2 ? fakeResponse(503, 'starting') : fakeResponse(200, { deployment: { status: n < 5 ? 'in_progress' : 'success' } }),
    );
    // waits 10000, 11000, 12100, 13310
    expect(attempts('Check deployment status')).to.deep.equal([0, 10000, 21000, 33100, 46410]);
    expect(tests).to.deep.equal(['t: Passed']);
  });

  it('3. File Processing: every 3s until processing_complete is true and errors is gone', () => {
    const yaml = `name: files\nvars:\n  file_id: f-7\ntests:\n  - name: t\n${indent(snippet('### 3. File Processing'), 4)}`;
    const { attempts, tests, requests } = runApi(yaml, (_r, n) =>
      fakeResponse(
        200,
        n === 1
          ? { processing_complete: false, errors: ['queued'] }
          : n === 2
            ? { processing_complete: true, errors: [] }
            : { processing_complete: true },
      ),
    );
    // attempt 2 is complete but still has an errors key (exists: false does not hold yet)
    expect(attempts('Wait for file processing')).to.deep.equal([0, 3000, 6000]);
    expect(requests[0]).to.equal('GET https://api.example.com/files/f-7/status');
    expect(tests).to.deep.equal(['t: Passed']);
  });
});
