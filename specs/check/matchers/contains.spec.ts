import { expect } from 'chai';
import { compileContains } from '../../../lib/check/matchers/contains.js';
import { judge } from './judge.js';

describe('check/matchers/contains', () => {
  it('finds substrings in strings', () => {
    expect(judge(compileContains, 'o w', 'hello world').pass).to.equal(true);
    expect(judge(compileContains, 'xyz', 'hello world').pass).to.equal(false);
    expect(judge(compileContains, 1, 'a1').reason).to.equal('a string can only contain a string, got number 1');
  });
  it('finds elements in arrays, strictly and deeply', () => {
    expect(judge(compileContains, 2, [1, 2]).pass).to.equal(true);
    expect(judge(compileContains, '2', [1, 2]).pass).to.equal(false);
    expect(judge(compileContains, { id: 1 }, [{ id: 1 }, { id: 2 }]).pass).to.equal(true);
    expect(judge(compileContains, { id: 1 }, [{ id: 1, x: 0 }]).pass).to.equal(false);
  });
  it('finds keys and partial sub-objects in objects', () => {
    expect(judge(compileContains, 'id', { id: null }).pass).to.equal(true);
    expect(judge(compileContains, 'nope', { id: 1 })).to.deep.equal({ pass: false, actual: { id: 1 }, reason: 'no key "nope"' });
    const doc = { a: { b: 1, c: 2 }, d: 3, list: [1, 2] };
    expect(judge(compileContains, { a: { b: 1 } }, doc).pass).to.equal(true);
    expect(judge(compileContains, { a: { b: 2 } }, doc).pass).to.equal(false);
    expect(judge(compileContains, { list: [1] }, doc).pass).to.equal(false); // arrays compare whole
    expect(judge(compileContains, { list: [1, 2], d: 3 }, doc).pass).to.equal(true);
    expect(judge(compileContains, {}, doc).pass).to.equal(true);
    expect(judge(compileContains, 3, doc).reason).to.equal('an object contains a key (string) or a sub-object, got number 3');
  });
  it('does not see inherited keys', () => {
    expect(judge(compileContains, 'toString', {}).pass).to.equal(false);
  });
  it('fails for numbers, booleans and null', () => {
    expect(judge(compileContains, 1, 123)).to.deep.equal({
      pass: false,
      actual: 123,
      reason: 'contains needs a string, array or object, got number',
    });
    expect(judge(compileContains, null, null).pass).to.equal(false);
  });
});
