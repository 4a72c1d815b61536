import { expect } from 'chai';
import { uniqueLabels } from '../../lib/report/unique-labels.js';

describe('uniqueLabels', () => {
  it('returns no labels for no names, and distinct names unchanged', () => {
    expect(uniqueLabels([])).to.deep.equal([]);
    expect(uniqueLabels(['a'])).to.deep.equal(['a']);
    expect(uniqueLabels(['a', 'b', 'A', 'a '])).to.deep.equal(['a', 'b', 'A', 'a ']);
  });

  it('numbers the later items of a shared name from 2, in order, wherever they are', () => {
    expect(uniqueLabels(['Get user', 'List', 'Get user', 'List', 'Get user'])).to.deep.equal([
      'Get user',
      'List',
      'Get user (2)',
      'List (2)',
      'Get user (3)',
    ]);
    expect(uniqueLabels(['', ''])).to.deep.equal(['', ' (2)']);
  });

  it('never gives a label that is another item’s name or label; a real "a (2)" keeps its name', () => {
    expect(uniqueLabels(['a', 'a', 'a (2)'])).to.deep.equal(['a', 'a (3)', 'a (2)']);
    expect(uniqueLabels(['a (2)', 'a', 'a', 'a (2)'])).to.deep.equal(['a (2)', 'a', 'a (3)', 'a (2) (2)']);
    const names = ['x', 'x (2)', 'x', 'x (3)', 'x', 'x', 'x (2)'];
    const labels = uniqueLabels(names);
    expect(new Set(labels).size).to.equal(names.length);
    expect(labels).to.deep.equal(['x', 'x (2)', 'x (4)', 'x (3)', 'x (5)', 'x (6)', 'x (2) (2)']);
  });
});
