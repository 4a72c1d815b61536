import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import {
  buildRequest,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type BuildRequestOptions,
  type RenderedHttpConfig,
} from '../../lib/http/build-request.js';
import type { HttpRequest } from '../../lib/http/http-client.js';

const URL_ = 'http://127.0.0.1:8080/items';

function right(config: RenderedHttpConfig, options?: BuildRequestOptions): HttpRequest {
  const result = buildRequest(config, options);
  if (E.isLeft(result)) expect.fail(`expected a request, got Left(${result.left})`);
  return result.right;
}

function left(config: RenderedHttpConfig, options?: BuildRequestOptions): string {
  const result = buildRequest(config, options);
  if (E.isRight(result)) expect.fail(`expected Left, got ${JSON.stringify(result.right)}`);
  return result.left;
}

describe('buildRequest', () => {
  describe('method', () => {
    it('is upper-cased', () => {
      expect(right({ method: 'patch', url: URL_ }).method).to.equal('PATCH');
      expect(right({ method: ' get ', url: URL_ }).method).to.equal('GET');
    });

    it('keeps an unusual but valid method', () => {
      expect(right({ method: 'purge', url: URL_ }).method).to.equal('PURGE');
    });

    it('rejects a method that is not an HTTP token', () => {
      expect(left({ method: 'GET /x', url: URL_ })).to.equal('invalid HTTP method "GET /x"');
      expect(left({ method: '', url: URL_ })).to.equal('invalid HTTP method ""');
    });
  });

  describe('url', () => {
    it('is sent as written', () => {
      const url = 'https://api.example.test:8443/a/b?x=1&y=%20#frag';
      expect(right({ method: 'GET', url }).url).to.equal(url);
    });

    it('rejects a relative URL, naming it', () => {
      expect(left({ method: 'GET', url: '/users' })).to.equal('invalid URL "/users": not an absolute URL');
    });

    it('rejects an unrendered or garbled URL', () => {
      expect(left({ method: 'GET', url: '<no value>/books' })).to.equal('invalid URL "<no value>/books": not an absolute URL');
    });

    it('rejects a scheme other than http and https', () => {
      expect(left({ method: 'GET', url: 'ftp://example.test/f' })).to.equal(
        'invalid URL "ftp://example.test/f": the scheme must be http or https, not ftp',
      );
      expect(left({ method: 'GET', url: 'file:///etc/passwd' })).to.contain('not file');
    });
  });

  describe('body', () => {
    it('sends a string exactly as written, with no Content-Type', () => {
      const body = '{"name": "x",\n "weird": \'{{ not a template }}\'}  ';
      const request = right({ method: 'POST', url: URL_, body });
      expect(request.body).to.equal(body);
      expect(request.headers).to.deep.equal({});
    });

    it('sends an empty string as an empty body', () => {
      expect(right({ method: 'POST', url: URL_, body: '' }).body).to.equal('');
    });

    it('keeps the Content-Type the user set for a string body', () => {
      const request = right({ method: 'POST', url: URL_, body: 'a,b', headers: { 'content-type': 'text/csv' } });
      expect(request.headers).to.deep.equal({ 'content-type': 'text/csv' });
    });

    it('sends a map as JSON with Content-Type application/json', () => {
      const request = right({ method: 'POST', url: URL_, body: { name: 'Widget', price: 19.99, tags: ['a'], n: null } });
      expect(request.body).to.equal('{"name":"Widget","price":19.99,"tags":["a"],"n":null}');
      expect(request.headers).to.deep.equal({ 'Content-Type': 'application/json' });
    });

    it('sends a list, a number and a boolean as JSON too', () => {
      expect(right({ method: 'PUT', url: URL_, body: [1, 'two'] }).body).to.equal('[1,"two"]');
      expect(right({ method: 'PUT', url: URL_, body: 42 }).body).to.equal('42');
      expect(right({ method: 'PUT', url: URL_, body: false }).body).to.equal('false');
    });

    it('does not override a Content-Type set in any letter case', () => {
      const request = right({
        method: 'POST',
        url: URL_,
        body: { a: 1 },
        headers: { 'CONTENT-TYPE': 'application/vnd.api+json' },
      });
      expect(request.headers).to.deep.equal({ 'CONTENT-TYPE': 'application/vnd.api+json' });
    });

    it('sends no body for null or no body', () => {
      expect(right({ method: 'POST', url: URL_, body: null })).to.not.have.property('body');
      expect(right({ method: 'GET', url: URL_ })).to.not.have.property('body');
      expect(right({ method: 'POST', url: URL_, body: null }).headers).to.deep.equal({});
    });
  });

  describe('form', () => {
    it('url-encodes in the order written, with the exact form Content-Type (no charset)', () => {
      const request = right({ method: 'POST', url: URL_, form: { foo: 'bar', templated: 'hello world' } });
      expect(request.body).to.equal('foo=bar&templated=hello+world');
      expect(request.headers).to.deep.equal({ 'Content-Type': 'application/x-www-form-urlencoded' });
    });

    it('repeats the key for a list', () => {
      expect(right({ method: 'POST', url: URL_, form: { tag: ['a', 'b'], x: '1' } }).body).to.equal('tag=a&tag=b&x=1');
    });

    it('escapes reserved and non-ASCII characters', () => {
      const body = right({ method: 'POST', url: URL_, form: { 'a&b': '1=2+3', q: 'café/?#%' } }).body;
      expect(body).to.equal('a%26b=1%3D2%2B3&q=caf%C3%A9%2F%3F%23%25');
      expect(Object.fromEntries(new URLSearchParams(body))).to.deep.equal({ 'a&b': '1=2+3', q: 'café/?#%' });
    });

    it('keeps the Content-Type the user set', () => {
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };
      expect(right({ method: 'POST', url: URL_, form: { a: '1' }, headers }).headers).to.deep.equal(headers);
    });

    it('sends nothing for an empty form, as Rocketship', () => {
      const request = right({ method: 'POST', url: URL_, form: {} });
      expect(request).to.not.have.property('body');
      expect(request.headers).to.deep.equal({});
    });

    it('is an error together with a body', () => {
      expect(left({ method: 'POST', url: URL_, body: 'x', form: { a: '1' } })).to.equal('body and form cannot be used together: give one');
      expect(left({ method: 'POST', url: URL_, body: { a: 1 }, form: {} })).to.contain('body and form');
    });
  });

  describe('headers', () => {
    it('are kept with their names as written', () => {
      const headers = { 'X-Test-Session': 's1', authorization: 'Bearer t', 'X-Empty': '', 'X-Tab': 'a\tb' };
      expect(right({ method: 'GET', url: URL_, headers }).headers).to.deep.equal(headers);
    });

    it('reject a name that is not an HTTP token', () => {
      expect(left({ method: 'GET', url: URL_, headers: { 'X Bad': '1' } })).to.equal('invalid header name "X Bad"');
      expect(left({ method: 'GET', url: URL_, headers: { 'X:Y': '1' } })).to.equal('invalid header name "X:Y"');
    });

    it('reject a value holding CR, LF or another control character', () => {
      for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\u0000b', 'a\u007fb']) {
        expect(left({ method: 'GET', url: URL_, headers: { 'X-A': value } })).to.equal(
          'header "X-A": the value holds a control character (such as CR or LF)',
        );
      }
    });

    it('reject the same name twice in different case', () => {
      expect(left({ method: 'GET', url: URL_, headers: { Accept: 'a', accept: 'b' } })).to.equal(
        'header "accept" is given twice (header names ignore case)',
      );
    });
  });

  describe('timeout and options', () => {
    it('takes the step timeout', () => {
      expect(right({ method: 'GET', url: URL_, timeout: 200 }).timeoutMs).to.equal(200);
    });

    it('keeps 0 (no limit)', () => {
      expect(right({ method: 'GET', url: URL_, timeout: 0 }, { defaultTimeoutMs: 5 }).timeoutMs).to.equal(0);
    });

    it('falls back to the option, then to 30 s', () => {
      expect(right({ method: 'GET', url: URL_ }, { defaultTimeoutMs: 1234 }).timeoutMs).to.equal(1234);
      expect(right({ method: 'GET', url: URL_ }).timeoutMs).to.equal(DEFAULT_REQUEST_TIMEOUT_MS);
      expect(DEFAULT_REQUEST_TIMEOUT_MS).to.equal(30_000);
    });

    it('rejects a negative or non-finite timeout', () => {
      expect(left({ method: 'GET', url: URL_, timeout: -1 })).to.equal('timeout must be a duration of 0 or more, got -1 ms');
      expect(left({ method: 'GET', url: URL_, timeout: Number.NaN })).to.contain('got NaN ms');
    });

    it('passes insecure, maxBodyBytes and maxRedirects through', () => {
      const request = right({ method: 'GET', url: URL_, insecure: true }, { maxBodyBytes: 1024, maxRedirects: 3 });
      expect(request).to.deep.equal({
        method: 'GET',
        url: URL_,
        headers: {},
        timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
        insecure: true,
        maxBodyBytes: 1024,
        maxRedirects: 3,
      });
    });

    it('leaves insecure, maxBodyBytes and maxRedirects out when not given', () => {
      expect(right({ method: 'GET', url: URL_ })).to.deep.equal({
        method: 'GET',
        url: URL_,
        headers: {},
        timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      });
    });
  });
});
