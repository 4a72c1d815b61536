import { expect } from 'chai';
import { envProxyMayApply } from '../../lib/http/env-proxy.js';

describe('envProxyMayApply', () => {
  const names = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'];
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    names.forEach((n) => delete process.env[n]);
  });
  afterEach(() => names.forEach((n) => (saved[n] === undefined ? delete process.env[n] : (process.env[n] = saved[n]))));

  it('is false with no proxy variable, or only empty ones', () => {
    expect(envProxyMayApply('http://api.test/x')).to.equal(false);
    for (const n of names) process.env[n] = '';
    expect(envProxyMayApply('https://api.test/x')).to.equal(false);
  });

  it("reads the URL's own scheme, in either case", () => {
    process.env['HTTP_PROXY'] = 'http://proxy.test:3128';
    expect(envProxyMayApply('http://api.test/x')).to.equal(true);
    expect(envProxyMayApply('https://api.test/x')).to.equal(false);
    delete process.env['HTTP_PROXY'];
    process.env['https_proxy'] = 'http://proxy.test:3128';
    expect(envProxyMayApply('HTTPS://api.test/x')).to.equal(true);
    expect(envProxyMayApply('http://api.test/x')).to.equal(false);
  });

  it('reads all_proxy for either scheme', () => {
    process.env['ALL_PROXY'] = 'proxy.test:3128';
    expect(envProxyMayApply('http://api.test/x')).to.equal(true);
    expect(envProxyMayApply('https://api.test/x')).to.equal(true);
  });
});
