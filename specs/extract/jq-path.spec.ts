import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { parseJqPath } from '../../lib/extract/jq-path.js';

describe('extract/jq-path', () => {
  it('parses . as no steps', () => expect(parseJqPath('.')).to.deep.equal(E.right([])));

  it('parses names, indexes and quoted keys', () => {
    expect(parseJqPath('.items[0].id')).to.deep.equal(
      E.right([
        { _tag: 'Key', key: 'items' },
        { _tag: 'Index', index: 0 },
        { _tag: 'Key', key: 'id' },
      ]),
    );
    expect(parseJqPath('.["key.with.dots"][-1]')).to.deep.equal(
      E.right([
        { _tag: 'Key', key: 'key.with.dots' },
        { _tag: 'Index', index: -1 },
      ]),
    );
  });

  it('keeps a quoted key that looks like a number a key', () => {
    expect(parseJqPath('.["0"]')).to.deep.equal(E.right([{ _tag: 'Key', key: '0' }]));
  });

  it('rejects with the column of the problem', () => {
    expect(parseJqPath('status')).to.deep.equal(E.left('a jq-style path starts with "."'));
    expect(parseJqPath('.a..b')).to.deep.equal(E.left('at column 4: expected a name or "[" after ".", found "."'));
    expect(parseJqPath('.a[01]')).to.deep.equal(E.left('at column 5: expected "]", found "1"'));
    expect(parseJqPath('.a[99999999999999999999]')).to.deep.equal(E.left('at column 4: index 99999999999999999999 is too large'));
    expect(parseJqPath('.["\\x"]')).to.deep.equal(E.left('at column 3: invalid string "\\x"'));
  });
});
