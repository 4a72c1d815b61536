import { expect } from 'chai';
import fc from 'fast-check';
import { scriptSafeJson } from '../../../lib/report/html/script-safe-json.js';

describe('scriptSafeJson', () => {
  const hostile = [
    '</script><script>alert(1)</script>',
    '</SCRIPT >',
    '<!-- <script>',
    ']]>',
    'a\u2028b\u2029c',
    '&lt;',
    '<\u0000/script>',
  ];

  it('leaves no <, >, & or line separator in the text', () => {
    const text = scriptSafeJson(JSON.stringify({ body: hostile.join(' '), [hostile[0] as string]: hostile }));
    expect(text).not.to.match(/[<>&\u2028\u2029]/);
  });

  it('gives back the same value when parsed', () => {
    const value = { body: hostile, nested: [{ k: hostile.join('') }] };
    expect(JSON.parse(scriptSafeJson(JSON.stringify(value)))).to.deep.equal(value);
  });

  it('gives back the same value for any JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = scriptSafeJson(JSON.stringify(value));
        expect(text).not.to.match(/[<>&\u2028\u2029]/);
        expect(JSON.parse(text)).to.deep.equal(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});
