import { expect } from 'chai';
import { compileNotEquals } from '../../../lib/check/matchers/not-equals.js';
import { judge } from './judge.js';

describe('check/matchers/not-equals', () => {
  it('holds when the value differs, strictly', () => {
    expect(judge(compileNotEquals, 'failed', 'running')).to.deep.equal({ pass: true, actual: 'running' });
    expect(judge(compileNotEquals, 200, '200').pass).to.equal(true);
  });
  it('fails when equal', () => {
    expect(judge(compileNotEquals, { a: 1 }, { a: 1 })).to.deep.equal({ pass: false, actual: { a: 1 }, reason: 'the value is {"a":1}' });
  });
  it('fails on a missing value: there is nothing to compare', () => {
    expect(judge(compileNotEquals, 'x', undefined).pass).to.equal(false);
  });
});
