import { expect } from 'chai';
import { compileExpected } from '../../../lib/check/matchers/expected.js';
import { judge } from './judge.js';

describe('check/matchers/expected', () => {
  it('holds on strict deep equality', () => {
    expect(judge(compileExpected, 'completed', 'completed')).to.deep.equal({ pass: true, actual: 'completed' });
    expect(judge(compileExpected, { a: [1, null] }, { a: [1, null] }).pass).to.equal(true);
    expect(judge(compileExpected, 19.99, 19.99).pass).to.equal(true);
  });
  it('explains a type mismatch', () => {
    expect(judge(compileExpected, 200, '200')).to.deep.equal({
      pass: false,
      actual: '200',
      reason: 'types differ: expected number 200, got string "200"',
    });
    expect(judge(compileExpected, null, 0).reason).to.equal('types differ: expected null, got number 0');
    expect(judge(compileExpected, [1], { 0: 1 }).reason).to.equal('types differ: expected array [1], got object {"0":1}');
  });
  it('gives no reason when the types agree', () => {
    expect(judge(compileExpected, 'a', 'b')).to.deep.equal({ pass: false, actual: 'b' });
  });
  it("fails on a missing value with the reading's reason", () => {
    expect(judge(compileExpected, 'a', undefined)).to.deep.equal({ pass: false, actual: undefined, reason: 'nothing there' });
  });
});
