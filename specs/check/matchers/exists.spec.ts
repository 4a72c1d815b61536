import { expect } from 'chai';
import { compileExists } from '../../../lib/check/matchers/exists.js';
import { judge, rejects } from './judge.js';

describe('check/matchers/exists', () => {
  it('true holds for any present value, null included', () => {
    expect(judge(compileExists, true, null)).to.deep.equal({ pass: true, actual: true });
    expect(judge(compileExists, true, false)).to.deep.equal({ pass: true, actual: true });
    expect(judge(compileExists, true, undefined)).to.deep.equal({ pass: false, actual: false, reason: 'nothing there' });
  });
  it('false holds only when the value is missing', () => {
    expect(judge(compileExists, false, undefined)).to.deep.equal({ pass: true, actual: false });
    expect(judge(compileExists, false, 0)).to.deep.equal({ pass: false, actual: true, reason: 'it is present: 0' });
  });
  it('needs a boolean', () => {
    expect(rejects(compileExists, 'yes')).to.equal('exists must be true or false, got "yes"');
  });
});
