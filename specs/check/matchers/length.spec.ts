import { expect } from 'chai';
import { compileLength } from '../../../lib/check/matchers/length.js';
import { judge, rejects } from './judge.js';

describe('check/matchers/length', () => {
  it('counts array elements, string characters and object keys', () => {
    expect(judge(compileLength, 2, [1, 2])).to.deep.equal({ pass: true, actual: 2 });
    expect(judge(compileLength, 2, 'é🙂')).to.deep.equal({ pass: true, actual: 2 });
    expect(judge(compileLength, 1, { a: null })).to.deep.equal({ pass: true, actual: 1 });
    expect(judge(compileLength, 0, [])).to.deep.equal({ pass: true, actual: 0 });
    expect(judge(compileLength, 3, [1, 2])).to.deep.equal({ pass: false, actual: 2 });
  });
  it('fails for values without a length', () => {
    expect(judge(compileLength, 1, 5)).to.deep.equal({
      pass: false,
      actual: 5,
      reason: 'length needs a string, array or object, got number',
    });
  });
  it('needs a non-negative integer', () => {
    expect(rejects(compileLength, -1)).to.equal('length must be a non-negative integer, got -1');
    expect(rejects(compileLength, 1.5)).to.contain('non-negative integer');
    expect(rejects(compileLength, '2')).to.contain('non-negative integer');
  });
});
