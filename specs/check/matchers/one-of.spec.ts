import { expect } from 'chai';
import { compileOneOf } from '../../../lib/check/matchers/one-of.js';
import { judge, rejects } from './judge.js';

describe('check/matchers/one-of', () => {
  it('holds when the value equals one option, strictly and deeply', () => {
    expect(judge(compileOneOf, ['completed', 'failed'], 'failed').pass).to.equal(true);
    expect(judge(compileOneOf, [200, 201], '200').pass).to.equal(false);
    expect(judge(compileOneOf, [[1], { a: 1 }], { a: 1 }).pass).to.equal(true);
    expect(judge(compileOneOf, [], 'x').pass).to.equal(false);
  });
  it('needs a list', () => {
    expect(rejects(compileOneOf, 'a')).to.equal('one_of must be a list of values, got "a"');
  });
});
