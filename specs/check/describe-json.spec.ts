import { expect } from 'chai';
import { excerpt, jsonTypeOf, typed } from '../../lib/check/describe-json.js';

describe('check/describe-json', () => {
  it('names JSON types', () => {
    expect([null, [], {}, 's', 1, false].map(jsonTypeOf)).to.deep.equal(['null', 'array', 'object', 'string', 'number', 'boolean']);
  });
  it('shortens long values', () => {
    expect(excerpt('x'.repeat(100), 10)).to.equal('"xxxxxx...');
    expect(excerpt({ a: 1 })).to.equal('{"a":1}');
  });
  it('shows a value with its type', () => {
    expect(typed('200')).to.equal('string "200"');
    expect(typed(null)).to.equal('null');
  });
});
