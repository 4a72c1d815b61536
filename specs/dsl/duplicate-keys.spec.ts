import { expect } from 'chai';
import { parseDocument } from 'yaml';
import { duplicateKeys } from '../../lib/dsl/duplicate-keys.js';

const found = (text: string) =>
  duplicateKeys(parseDocument(text, { uniqueKeys: false })).map(({ name, path, offset, firstOffset }) => ({
    name,
    path,
    offset,
    firstOffset,
  }));

describe('duplicateKeys', () => {
  it('finds a key set twice in the top map, with both positions', () => {
    expect(found('a: 1\nb: 2\na: 3\n')).to.deep.equal([{ name: 'a', path: ['a'], offset: 10, firstOffset: 0 }]);
  });

  it('finds them at any depth, in lists and flow maps, in document order, with the path to the second one', () => {
    const text = 'tests:\n  - name: x\n    steps:\n      - { name: s, name: t }\n  - name: y\n    name: z\n';
    expect(found(text).map(({ name, path }) => ({ name, path }))).to.deep.equal([
      { name: 'name', path: ['tests', 0, 'steps', 0, 'name'] },
      { name: 'name', path: ['tests', 1, 'name'] },
    ]);
  });

  it('compares keys as the decoded map names them: 1 and "1" collide', () => {
    expect(found('1: a\n"1": b\n').map((d) => d.name)).to.deep.equal(['1']);
  });

  it('looks inside a key that is itself a map', () => {
    expect(found('? { a: 1, a: 2 }\n: x\n').map(({ name, path }) => ({ name, path }))).to.deep.equal([{ name: 'a', path: ['?', 'a'] }]);
  });

  it('finds nothing in a file without duplicates, however many maps it has', () => {
    const text = Array.from({ length: 200 }, (_, i) => `k${i}: { a: 1, b: [ { c: 2 }, { c: 3 } ] }`).join('\n');
    expect(found(text)).to.deep.equal([]);
  });
});
