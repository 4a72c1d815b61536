import { expect } from 'chai';
import { maskDeep } from '../../lib/secrets/mask-deep.js';

const mask = (text: string): string => text.replaceAll('1234', '***');

describe('maskDeep', () => {
  it('masks strings at any place, leaves _tags and (outside payloads) numbers alone, never mutating', () => {
    const value = Object.freeze({ _tag: 'x1234', n: 1234, s: 'a1234', list: Object.freeze(['1234', 7]) });
    expect(maskDeep(value, mask, false)).to.deep.equal({ _tag: 'x1234', n: 1234, s: 'a***', list: ['***', 7] });
  });

  it('masks keys and numbers too under expected, actual and saved, or everywhere with payloadRoot', () => {
    expect(maskDeep({ saved: { k1234: 1234, ok: 5 }, at: 1234 }, mask, false)).to.deep.equal({ saved: { 'k***': '***', ok: 5 }, at: 1234 });
    expect(maskDeep({ k1234: 1234 }, mask, true)).to.deep.equal({ 'k***': '***' });
    expect(maskDeep(1234, mask, true)).to.equal('***');
  });

  it('prints sensitive header values as *** and masks the others', () => {
    const headers = { Authorization: 'Bearer abc', 'Set-Cookie': ['a=1', 'b=2'], 'X-Id': 'id-1234' };
    expect(maskDeep({ headers }, mask, false)).to.deep.equal({
      headers: { Authorization: '***', 'Set-Cookie': ['***', '***'], 'X-Id': 'id-***' },
    });
  });

  it('returns the same object when nothing changed', () => {
    const value = { a: ['b', { c: 'd' }] };
    expect(maskDeep(value, mask, false)).to.equal(value);
  });

  it('walks a value of any depth without recursion', () => {
    let deep: unknown = '1234';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    let out = maskDeep(deep, mask, false);
    for (let i = 0; i < 100_000; i += 1) out = (out as unknown[])[0];
    expect(out).to.equal('***');
  });
});
