import { expect } from 'chai';
import { createStringTable } from '../../../lib/report/html/string-table.js';

describe('createStringTable', () => {
  it('starts empty', () => {
    expect(createStringTable().strings).to.deep.equal([]);
  });

  it('gives each distinct string one index, in the order first seen', () => {
    const table = createStringTable();
    expect(['a', 'b', 'a', '', 'b', ''].map(table.id)).to.deep.equal([0, 1, 0, 2, 1, 2]);
    expect(table.strings).to.deep.equal(['a', 'b', '']);
  });

  it('tells strings apart that only look alike', () => {
    const table = createStringTable();
    expect(['1', '01', '__proto__', 'constructor', '__proto__'].map(table.id)).to.deep.equal([0, 1, 2, 3, 2]);
  });
});
