import { expect } from 'chai';
import { compileOrdering } from '../../../lib/check/matchers/compare.js';
import { judge, rejects } from './judge.js';

describe('check/matchers/compare', () => {
  const gt = compileOrdering('greater_than');
  const gte = compileOrdering('greater_than_or_equal');
  const lt = compileOrdering('less_than');
  const lte = compileOrdering('less_than_or_equal');

  it('compares numbers at the boundaries', () => {
    expect([gt, gte, lt, lte].map((m) => judge(m, 10, 10).pass)).to.deep.equal([false, true, false, true]);
    expect([gt, gte, lt, lte].map((m) => judge(m, 10, 10.5).pass)).to.deep.equal([true, true, false, false]);
    expect([gt, gte, lt, lte].map((m) => judge(m, 10, -3).pass)).to.deep.equal([false, false, true, true]);
  });

  it('does not read JSON strings as numbers', () => {
    expect(judge(gt, 1, '5')).to.deep.equal({ pass: false, actual: '5', reason: 'greater_than needs a number, got string "5"' });
    expect(judge(lt, 1, null).reason).to.equal('less_than needs a number, got null');
  });

  it('reads decimal header text as a number', () => {
    expect(judge(gt, 0, '42', true).pass).to.equal(true);
    expect(judge(lte, 1.5, ' 1.5 ', true).pass).to.equal(true);
    expect(judge(gt, 0, '42abc', true).reason).to.equal('greater_than needs a number, got string "42abc"');
    expect(judge(gt, 0, '0x10', true).pass).to.equal(false);
  });

  it('needs a number operand', () => {
    expect(rejects(gte, '5')).to.equal('greater_than_or_equal must be a number, got "5"');
    expect(rejects(lt, null)).to.equal('less_than must be a number, got null');
  });
});
