import { expect } from 'chai';
import { HttpConfig } from '../../../lib/dsl/codecs/http-config.js';
import { decodeMessages, decodeOk } from './decode-helpers.js';

const base = { method: 'GET', url: 'https://api.example.com/x' };

describe('dsl/codecs/http-config', () => {
  it('needs method and url, and upper-cases the method', () => {
    expect(decodeOk(HttpConfig, { method: 'post', url: 'http://127.0.0.1:8080/a' })).to.deep.equal({
      method: 'POST',
      url: 'http://127.0.0.1:8080/a',
    });
    expect(decodeMessages(HttpConfig, { method: 'GET' })).to.deep.equal(['missing required key "url"']);
  });

  it('accepts templated urls and methods as written', () => {
    expect(decodeOk(HttpConfig, { method: '{{ .vars.m }}', url: '{{ .vars.base_url }}/books/{{ id }}' })).to.deep.equal({
      method: '{{ .vars.m }}',
      url: '{{ .vars.base_url }}/books/{{ id }}',
    });
  });

  it('rejects relative and non-http urls', () => {
    expect(decodeMessages(HttpConfig, { ...base, url: '/jobs' })[0]).to.match(/^url "\/jobs" is not an absolute URL/);
    expect(decodeMessages(HttpConfig, { ...base, url: 'ftp://x/y' })).to.deep.equal(['url "ftp://x/y" must use http or https, found ftp']);
  });

  it('converts number and boolean header values to strings, not dropping them', () => {
    const config = decodeOk(HttpConfig, { ...base, headers: { 'X-Count': 3, 'X-Debug': true, 'X-Name': 'a', 'X-Ratio': 0.5 } });
    expect(config.headers).to.deep.equal({ 'X-Count': '3', 'X-Debug': 'true', 'X-Name': 'a', 'X-Ratio': '0.5' });
  });

  it('rejects empty, list and map header values', () => {
    for (const value of [null, ['a'], { a: 1 }]) expect(HttpConfig.decode({ ...base, headers: { X: value } })._tag).to.equal('Left');
  });

  it('keeps a string body as is, and a map or list body as data', () => {
    expect(decodeOk(HttpConfig, { ...base, body: '{"a": 1}' }).body).to.equal('{"a": 1}');
    expect(decodeOk(HttpConfig, { ...base, body: { a: [1, { b: null }] } }).body).to.deep.equal({ a: [1, { b: null }] });
    expect(decodeOk(HttpConfig, { ...base, body: [1, 2] }).body).to.deep.equal([1, 2]);
    expect(HttpConfig.decode({ ...base, body: 42 })._tag).to.equal('Left');
    expect(HttpConfig.decode({ ...base, body: true })._tag).to.equal('Left');
  });

  it('converts form scalars to strings and keeps lists (the key repeats)', () => {
    expect(decodeOk(HttpConfig, { ...base, form: { foo: 'bar', n: 123, ok: false, tag: ['a', 2] } }).form).to.deep.equal({
      foo: 'bar',
      n: '123',
      ok: 'false',
      tag: ['a', '2'],
    });
    expect(HttpConfig.decode({ ...base, form: { a: null } })._tag).to.equal('Left');
  });

  it('rejects body and form together', () => {
    expect(decodeMessages(HttpConfig, { ...base, body: 'x', form: { a: 'b' } })).to.deep.equal([
      'a request has either a body or a form, not both',
    ]);
  });

  it('decodes timeout, insecure, polling and openapi', () => {
    const config = decodeOk(HttpConfig, {
      ...base,
      timeout: '10s',
      insecure: true,
      openapi: { validate_response: false, spec: './api.yaml' },
      polling: { interval: '1s', timeout: '1m', conditions: [{ type: 'status_code', expected: 200 }] },
    });
    expect(config).to.deep.include({ timeout: 10_000, insecure: true, openapi: { validate_response: false, spec: './api.yaml' } });
    expect(config.polling?.interval).to.equal(1000);
  });

  it('suggests the right key for a misspelt one', () => {
    expect(decodeMessages(HttpConfig, { ...base, header: { a: 'b' } })).to.deep.equal(['unknown key "header"; did you mean "headers"?']);
  });
});
