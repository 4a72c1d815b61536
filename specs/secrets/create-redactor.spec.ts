import { expect } from 'chai';
import { createRedactor } from '../../lib/secrets/create-redactor.js';
import { MIN_SECRET_LENGTH, REDACTED } from '../../lib/secrets/credentials.js';
import type { AttemptMade, CheckRecord, LogEmitted, RunEvent, StepEnded, StepRef, TestEnded } from '../../lib/event/run-event.js';
import { attempt, check, deepFreeze, failed, log, message, ref } from './fixtures.js';

describe('createRedactor', () => {
  describe('with no secrets', () => {
    it('returns every event as is (same object) when no sensitive header shows up', () => {
      const r = createRedactor();
      const events: RunEvent[] = [
        log('hello'),
        failed('boom', [check('a', 'b')]),
        attempt({ request: { Accept: 'application/json' }, body: '{"a":1}' }),
      ];
      for (const e of events) expect(r.redactEvent(e)).to.equal(e);
      expect(r.redactText('anything')).to.equal('anything');
      expect(r.size).to.equal(0);
    });
  });

  describe('given secrets', () => {
    const token = 'tok-3f9a8c7e21';

    it('masks the secret in every string of an event, and leaves the original untouched', () => {
      const r = createRedactor({ secrets: [token] });
      const event = deepFreeze(failed(`expected ${token}, got nothing`, [check(token, `Bearer ${token}`)]));
      const out = r.redactEvent(event) as StepEnded;
      expect(out).not.to.equal(event);
      expect(out.result).to.deep.equal({
        _tag: 'Failed',
        durationMs: 12,
        attempts: 1,
        checks: [{ _tag: 'Failed', label: 'json_path .token', matcher: 'expected', expected: REDACTED, actual: `Bearer ${REDACTED}` }],
        cause: { _tag: 'PluginFailed', message: `expected ${REDACTED}, got nothing` },
      });
      expect(out.ref).to.equal(event.ref); // untouched parts are shared, not copied
      expect(JSON.stringify(event)).to.contain(token);
    });

    it('masks request URL and body, response headers and body excerpt, conditions and log lines', () => {
      const r = createRedactor({ secrets: [token] });
      const a = deepFreeze(
        attempt({
          url: `http://127.0.0.1:1/x?key=${token}`,
          response: { 'X-Echo': token },
          body: `{"seen":"${token}"}`,
          conditions: [check(token, 'other')],
        }),
      );
      const text = JSON.stringify([r.redactEvent(a), r.redactEvent(log(`token is ${token}`))]);
      expect(text).not.to.contain(token);
      expect(text.split(REDACTED).length - 1).to.equal(5);
    });

    it('masks saved values, keys and numbers in user data, but never `_tag`, times or counts', () => {
      const r = createRedactor({ secrets: ['Passed', '20241231', 'sess-key-1'] });
      const ended: StepEnded = {
        _tag: 'StepEnded',
        ref,
        result: {
          _tag: 'Passed',
          durationMs: 20241231,
          attempts: 1,
          checks: [check(20241231, 20241231)],
          saved: { code: 20241231, 'sess-key-1': 'x', id: 'Passed-1' },
        },
        at: 20241231,
      };
      const out = r.redactEvent(deepFreeze(ended)) as StepEnded;
      expect(out._tag).to.equal('StepEnded');
      expect(out.at).to.equal(20241231);
      expect(out.result).to.deep.equal({
        _tag: 'Passed',
        durationMs: 20241231,
        attempts: 1,
        checks: [{ _tag: 'Failed', label: 'json_path .token', matcher: 'expected', expected: REDACTED, actual: REDACTED }],
        saved: { code: REDACTED, [REDACTED]: 'x', id: `${REDACTED}-1` },
      });
    });

    it('masks the longest secret first', () => {
      const r = createRedactor({ secrets: ['abcd', 'abcdef12'] });
      expect(r.redactText('<abcdef12> <abcd>')).to.equal(`<${REDACTED}> <${REDACTED}>`);
    });

    it(`ignores values shorter than ${MIN_SECRET_LENGTH} characters (masking "1" would mangle every line)`, () => {
      const r = createRedactor({ secrets: ['1', 'on', 'abc', ''] });
      expect(r.size).to.equal(0);
      expect(r.redactText('status 1 on abc')).to.equal('status 1 on abc');
    });

    it('treats RegExp characters in a secret literally', () => {
      const r = createRedactor({ secrets: ['a.b*c(d)|'] });
      expect(r.redactText('aXbbbc(d)| a.b*c(d)|')).to.equal(`aXbbbc(d)| ${REDACTED}`);
    });

    it('masks the JSON-escaped and URL-encoded forms of a secret', () => {
      const secret = 'p@ss "w/ord" 1';
      const r = createRedactor({ secrets: [secret] });
      expect(r.redactText(JSON.stringify({ pw: secret }))).to.equal(`{"pw":"${REDACTED}"}`);
      expect(r.redactText(`/login?pw=${encodeURIComponent(secret)}`)).to.equal(`/login?pw=${REDACTED}`);
      expect(r.redactText(`pw=${encodeURIComponent(secret).replace(/%20/g, '+')}`)).to.equal(`pw=${REDACTED}`);
    });

    it('masks the start of a secret left where an excerpt was cut with …', () => {
      const r = createRedactor({ secrets: [token] });
      expect(r.redactText(`{"t":"${token.slice(0, 7)}… (900 chars)`)).to.equal(`{"t":"${REDACTED}… (900 chars)`);
      // fewer than MIN_SECRET_LENGTH characters of it: left as is
      expect(r.redactText('{"t":"tok… (900 chars)')).to.equal('{"t":"tok… (900 chars)');
      expect(r.redactText('plain text… (900 chars)')).to.equal('plain text… (900 chars)');
    });

    it('accepts more secrets later, and masks them from then on', () => {
      const r = createRedactor({ secrets: [token] });
      expect(r.redactText('late-secret-9')).to.equal('late-secret-9');
      r.addSecrets(['late-secret-9', token]);
      expect(r.size).to.equal(2);
      expect(r.redactText(`late-secret-9 ${token}`)).to.equal(`${REDACTED} ${REDACTED}`);
    });

    it('masks anything with redact(), deeply, without mutating it', () => {
      const r = createRedactor({ secrets: [token] });
      const value = deepFreeze({ list: [token, 1, { [token]: `a ${token}` }], n: null });
      expect(r.redact(value)).to.deep.equal({ list: [REDACTED, 1, { [REDACTED]: `a ${REDACTED}` }], n: null });
    });
  });

  describe('sensitive headers', () => {
    it('masks Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key and X-Auth-Token, any case, both ways', () => {
      const r = createRedactor();
      const a = deepFreeze(
        attempt({
          request: {
            authorization: 'Bearer aaaa1111',
            'PROXY-AUTHORIZATION': 'Basic bbbb',
            Cookie: 'sid=cccc2222',
            'X-Api-Key': 'dddd3333',
            'x-auth-token': 'eeee4444',
            Accept: '*/*',
          },
          response: { 'Set-Cookie': 'sid=ffff5555; Path=/', 'Content-Type': 'text/plain' },
        }),
      );
      const out = r.redactEvent(a) as AttemptMade;
      expect(out.attempt.request.headers).to.deep.equal({
        authorization: REDACTED,
        'PROXY-AUTHORIZATION': REDACTED,
        Cookie: REDACTED,
        'X-Api-Key': REDACTED,
        'x-auth-token': REDACTED,
        Accept: '*/*',
      });
      expect(out.attempt.outcome).to.include({ _tag: 'Response' });
      expect((out.attempt.outcome as { headers: unknown }).headers).to.deep.equal({ 'Set-Cookie': REDACTED, 'Content-Type': 'text/plain' });
    });

    it('learns a bearer credential, and masks it in the same event and in later ones', () => {
      const r = createRedactor();
      const a = attempt({ request: { Authorization: 'Bearer abc123' }, body: '{"you_sent":"abc123"}' });
      expect((r.redactEvent(a) as AttemptMade).attempt.outcome).to.include({ bodyExcerpt: `{"you_sent":"${REDACTED}"}` });
      expect((r.redactEvent(log('token abc123 echoed')) as LogEmitted).message).to.equal(`token ${REDACTED} echoed`);
    });

    it('learns the user:password of Basic credentials, and the password', () => {
      const r = createRedactor();
      r.redactEvent(attempt({ request: { Authorization: `Basic ${Buffer.from('alice:wonder-land').toString('base64')}` } }));
      expect(message(r.redactEvent(log('alice:wonder-land / wonder-land / alice')))).to.equal(`${REDACTED} / ${REDACTED} / alice`);
    });

    it('learns cookies as name=value pairs, and bare values when long enough to be credentials', () => {
      const r = createRedactor();
      r.redactEvent(
        attempt({ response: { 'Set-Cookie': 'sid=ck-8e7d6c5b4a39; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT, theme=dark; Path=/' } }),
      );
      expect(message(r.redactEvent(log('{"sid":"ck-8e7d6c5b4a39","cookie":"theme=dark","theme":"dark","Path":"/"}')))).to.equal(
        `{"sid":"${REDACTED}","cookie":"${REDACTED}","theme":"dark","Path":"/"}`,
      );
    });

    it('learns every value of a header received several times (Set-Cookie as a list)', () => {
      const r = createRedactor();
      const out = r.redactEvent(
        attempt({
          response: { 'Set-Cookie': ['a=first-cookie-1', 'b=second-cookie-2'], Vary: ['Accept', 'Origin'] },
          body: 'first-cookie-1 second-cookie-2',
        }),
      ) as AttemptMade;
      expect(out.attempt.outcome).to.deep.include({
        headers: { 'Set-Cookie': [REDACTED, REDACTED], Vary: ['Accept', 'Origin'] },
        bodyExcerpt: `${REDACTED} ${REDACTED}`,
      });
    });

    it('learns nothing with learnFromHeaders: false, but still masks the headers', () => {
      const r = createRedactor({ learnFromHeaders: false });
      const out = r.redactEvent(attempt({ request: { 'X-Api-Key': 'key-12345' }, body: 'key-12345' })) as AttemptMade;
      expect(out.attempt.request.headers).to.deep.equal({ 'X-Api-Key': REDACTED });
      expect(out.attempt.outcome).to.include({ bodyExcerpt: 'key-12345' });
      expect(r.size).to.equal(0);
    });
  });
});

describe('what a test learns', () => {
  const refA: StepRef = { ...ref, test: 'A', testIndex: 0 };
  const refB: StepRef = { ...ref, test: 'B', testIndex: 1 };
  const suiteInit: StepRef = { ...ref, test: undefined, testIndex: undefined, phase: 'suite_init' };
  const ended = (test: string, testIndex: number): TestEnded => ({
    _tag: 'TestEnded',
    ref: { suite: 'suite', file: ref.file, test, testIndex },
    result: { _tag: 'Passed', durationMs: 1 },
    at: 9,
  });

  it("masks that test's events only (a response's cookie is scoped to the test that received it)", () => {
    const r = createRedactor();
    r.redactEvent(attempt({ response: { 'Set-Cookie': 'sid=cookie-of-a-1234' } }, refA));
    expect(message(r.redactEvent(log('sid=cookie-of-a-1234', refA)))).to.equal(REDACTED);
    expect(message(r.redactEvent(log('sid=cookie-of-a-1234', refB)))).to.equal('sid=cookie-of-a-1234');
  });

  it('tells two tests of the same name apart by their position: one ending does not forget what the other learned', () => {
    const r = createRedactor();
    const first: StepRef = { ...ref, test: 'same', testIndex: 3 };
    const second: StepRef = { ...ref, test: 'same', testIndex: 4 };
    r.redactEvent(attempt({ request: { Authorization: 'Bearer second-only-tok' } }, second));
    expect(message(r.redactEvent(log('second-only-tok', first)))).to.equal('second-only-tok');
    r.redactEvent(ended('same', 3));
    expect(message(r.redactEvent(log('second-only-tok', second)))).to.equal(REDACTED);
  });

  it("masks every test's events when the suite's own init learned it (its saves reach every test)", () => {
    const r = createRedactor();
    r.redactEvent(attempt({ request: { Authorization: 'Bearer suite-wide-tok' } }, suiteInit));
    expect(message(r.redactEvent(log('suite-wide-tok', refA)))).to.equal(REDACTED);
    expect(message(r.redactEvent(log('suite-wide-tok', refB)))).to.equal(REDACTED);
  });

  it('is forgotten when the test ends: memory does not grow with the number of tests', () => {
    const r = createRedactor();
    for (let i = 0; i < 100; i += 1) {
      const own: StepRef = { ...ref, test: `t${i}`, testIndex: i };
      r.redactEvent(attempt({ response: { 'Set-Cookie': `sid=rotating-${i}-value` } }, own));
      r.redactEvent(ended(`t${i}`, i));
    }
    expect(r.size).to.equal(0);
  });

  it('keeps at most maxLearnedPerScope values per test, forgetting the oldest (a cookie rotated on every response)', () => {
    const r = createRedactor({ maxLearnedPerScope: 10 });
    for (let i = 0; i < 1000; i += 1) r.redactEvent(attempt({ response: { 'Set-Cookie': `s=${i}` } }, refA));
    expect(r.size).to.equal(10);
    // the most recent is still masked, one rotated away long ago is not
    expect(message(r.redactEvent(log('s=999 s=5', refA)))).to.equal(`${REDACTED} s=5`);
  });

  it('learns the password of a request URL, the user:password pair and its base64 (what a server echoes)', () => {
    const r = createRedactor();
    const basic = Buffer.from('admin:pa55-w0rd').toString('base64');
    const out = r.redactEvent(
      attempt({ url: 'http://admin:pa55-w0rd@127.0.0.1:1/x', body: `{"authorization":"Basic ${basic}"}` }, refA),
    ) as AttemptMade;
    expect(out.attempt.request.url).to.equal(`http://${REDACTED}@127.0.0.1:1/x`);
    expect(out.attempt.outcome).to.include({ bodyExcerpt: `{"authorization":"Basic ${REDACTED}"}` });
  });

  it('learns values saved under credential names (sensitiveSaves), and tells onSecret what it learned from use', () => {
    const told: string[] = [];
    const r = createRedactor({ sensitiveSaves: { names: new Set(['t']) }, onSecret: (v) => told.push(v) });
    const saved: StepEnded = {
      _tag: 'StepEnded',
      ref: refA,
      result: { _tag: 'Passed', durationMs: 1, attempts: 1, checks: [], saved: { t: 'saved-token-9', id: 'job-12345' } },
      at: 3,
    };
    expect((r.redactEvent(saved) as StepEnded).result).to.deep.include({ saved: { t: REDACTED, id: 'job-12345' } });
    r.redactEvent(
      attempt(
        { request: { Authorization: 'Bearer saved-token-9', Cookie: 'x=cookie-sent-1' }, response: { 'Set-Cookie': 'y=cookie-got-22' } },
        refA,
      ),
    );
    // sent credentials and credential saves are told, values only received are not
    expect(told).to.deep.equal(['saved-token-9', 'Bearer saved-token-9', 'x=cookie-sent-1', 'cookie-sent-1']);
  });

  it('masks a payload nested 100,000 levels deep without growing the stack, copying only what changed', () => {
    const r = createRedactor({ secrets: ['deep-secret-1'] });
    let deep: unknown = ['deep-secret-1', 42];
    for (let i = 0; i < 100_000; i += 1) deep = { a: deep, n: i };
    const event = failed('boom', [check('x', deep as CheckRecord['actual'])]);
    const out = r.redactEvent(event) as StepEnded;
    let node = (out.result as unknown as { checks: CheckRecord[] }).checks[0]?.actual as unknown;
    for (let i = 0; i < 100_000; i += 1) node = (node as { a: unknown }).a;
    expect(node).to.deep.equal([REDACTED, 42]);
    // the original is left as it was
    let original = (event.result as unknown as { checks: CheckRecord[] }).checks[0]?.actual as unknown;
    for (let i = 0; i < 100_000; i += 1) original = (original as { a: unknown }).a;
    expect(original).to.deep.equal(['deep-secret-1', 42]);
  });
});
