import { expect } from 'chai';
import { from, of, type Observable } from 'rxjs';
import { REDACTED } from '../../lib/secrets/credentials.js';
import { redactEvents } from '../../lib/secrets/redact-events.js';
import type { AttemptMade, LogEmitted, RunEvent, StepEnded } from '../../lib/event/run-event.js';
import type { HttpResponse } from '../../lib/http/http-client.js';
import { createTestScheduler } from '../helpers/marbles.js';
import { fakeResponse, suite } from '../helpers/fake-http.js';
import { runVirtual } from '../helpers/run-virtual.js';
import { attempt, failed, log, ref } from './fixtures.js';

describe('redactEvents', () => {
  it("masks a step's earlier events of the same burst with what its end saved (a login token in the response body)", () => {
    const op = redactEvents({ sensitiveSaves: { names: new Set(['token']) } });
    const login = attempt({ body: '{"token":"login-tok-77"}' });
    const end: StepEnded = {
      _tag: 'StepEnded',
      ref,
      result: { _tag: 'Passed', durationMs: 1, attempts: 1, checks: [], saved: { token: 'login-tok-77' } },
      at: 4,
    };
    const out: RunEvent[] = [];
    from<RunEvent[]>([login, end])
      .pipe(op)
      .subscribe((e) => out.push(e));
    expect((out[0] as AttemptMade).attempt.outcome).to.include({ bodyExcerpt: `{"token":"${REDACTED}"}` });
    expect((out[1] as StepEnded).result).to.deep.include({ saved: { token: REDACTED } });
  });

  it('passes events on at the time they came (the next turn of the scheduler at the latest), in order', () => {
    const testScheduler = createTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const events = { a: log('one'), b: log('two'), c: log('three'), e: failed('end') };
      const source = cold('a 4ms (bc) 3ms e|', events);
      expectObservable(source.pipe(redactEvents({ scheduler: testScheduler }))).toBe('a 4ms (bc) 3ms e|', events);
    });
  });

  it('masks every event, with a fresh redactor per subscription (what one run learns stays in it)', () => {
    const op = redactEvents({ secrets: ['given-secret'] });
    const learned = attempt({ request: { Authorization: 'Bearer learned-1' } });
    const first: RunEvent[] = [];
    from<RunEvent[]>([learned, log('learned-1 given-secret')])
      .pipe(op)
      .subscribe((e) => first.push(e));
    expect((first[1] as LogEmitted).message).to.equal(`${REDACTED} ${REDACTED}`);
    const second: RunEvent[] = [];
    from<RunEvent[]>([log('learned-1 given-secret')])
      .pipe(op)
      .subscribe((e) => second.push(e));
    expect((second[0] as LogEmitted).message).to.equal(`learned-1 ${REDACTED}`);
  });
  it("masks the OpenAPI contract checks of an attempt: a violation's message may quote the data", () => {
    const op = redactEvents({ secrets: ['given-secret'] });
    const base = attempt({ request: { Authorization: 'Bearer learned-token-1' } });
    const withContract: AttemptMade = {
      ...base,
      attempt: {
        ...base.attempt,
        contract: {
          operation: 'POST /login (login)',
          request: { _tag: 'Passed', body: { _tag: 'Schema', mediaType: 'application/json' } },
          response: {
            _tag: 'Failed',
            violations: [
              'response body /token: must match pattern "^t-" (schema at ...): learned-token-1',
              'response header X-Key: must be one of ("a") given-secret',
            ],
            body: { _tag: 'Schema', mediaType: 'application/json' },
          },
        },
      },
    };
    const out: RunEvent[] = [];
    of<RunEvent>(withContract)
      .pipe(op)
      .subscribe((e) => out.push(e));
    const response = (out[0] as AttemptMade).attempt.contract?.response;
    expect(response).to.deep.equal({
      _tag: 'Failed',
      violations: [
        `response body /token: must match pattern "^t-" (schema at ...): ${REDACTED}`,
        `response header X-Key: must be one of ("a") ${REDACTED}`,
      ],
      body: { _tag: 'Schema', mediaType: 'application/json' },
    });
  });
});

describe('runSuite masks what it emits, while steps use the real values', () => {
  it('sends the real secret, and no event shows it', () => {
    const loaded = suite(`
name: s
tests:
  - name: t
    steps:
      - name: get
        plugin: http
        config:
          method: GET
          url: "http://api.test/x?key={{ .env.API_TOKEN }}"
          headers: { Authorization: "Bearer {{ .secrets.TOKEN }}" }
        assertions:
          - { type: json_path, path: .echo, expected: "{{ .secrets.TOKEN }}" }
    cleanup:
      always:
        - name: log
          plugin: log
          config: { message: "cookie {{ .vars.cookie }}" }
`);
    const { events, requests } = runVirtual(
      loaded,
      (): Observable<HttpResponse> =>
        of(fakeResponse(200, { echo: 'wrong', seen: 'Bearer t0ken-secret env-t0ken' }, { 'Set-Cookie': 'sid=cookie-value-77; Path=/' })),
      { env: { API_TOKEN: 'env-t0ken' }, secrets: { TOKEN: 't0ken-secret' }, vars: { cookie: 'cookie-value-77' } },
    );
    expect(requests[0]?.url).to.equal('http://api.test/x?key=env-t0ken');
    expect(requests[0]?.headers).to.deep.equal({ Authorization: 'Bearer t0ken-secret' });
    const text = JSON.stringify(events);
    for (const secret of ['t0ken-secret', 'env-t0ken', 'cookie-value-77']) expect(text).not.to.contain(secret);
    const ended = events.find((e): e is StepEnded => e._tag === 'StepEnded' && e.ref.step === 'get');
    expect(ended?.result).to.include({ _tag: 'Failed' });
    expect(ended?.result)
      .to.have.property('checks')
      .that.deep.equals([{ _tag: 'Failed', label: 'json_path .echo', matcher: 'expected', expected: REDACTED, actual: 'wrong' }]);
    const logged = events.find((e): e is LogEmitted => e._tag === 'LogEmitted');
    // the log step ran after the Set-Cookie was seen: the cookie value was learned by then
    expect(logged?.message).to.equal(`cookie ${REDACTED}`);
  });
});
