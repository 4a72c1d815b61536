import { expect } from 'chai';
import { headerRecord, headersFromEntries, headersFromRaw } from '../../lib/http/http-headers.js';

describe('headersFromRaw', () => {
  const raw = ['Content-Type', 'application/json', 'Set-Cookie', 'a=1', 'X-Multi', 'x', 'set-cookie', 'b=2', 'X-Multi', 'y'];

  it('looks names up case-insensitively; get gives the first value', () => {
    const h = headersFromRaw(raw);
    expect(h.get('content-type')).to.equal('application/json');
    expect(h.get('CONTENT-TYPE')).to.equal('application/json');
    expect(h.get('set-cookie')).to.equal('a=1');
    expect(h.get('x-multi')).to.equal('x');
  });

  it('keeps every value with getAll, in order', () => {
    const h = headersFromRaw(raw);
    expect(h.getAll('Set-Cookie')).to.deep.equal(['a=1', 'b=2']);
    expect(h.getAll('x-multi')).to.deep.equal(['x', 'y']);
  });

  it('gives undefined and [] for an absent header', () => {
    const h = headersFromRaw(raw);
    expect(h.get('Retry-After')).to.equal(undefined);
    expect(h.getAll('Retry-After')).to.deep.equal([]);
  });

  it('lists every line with names as sent', () => {
    expect(headersFromRaw(raw).entries()).to.deep.equal([
      ['Content-Type', 'application/json'],
      ['Set-Cookie', 'a=1'],
      ['X-Multi', 'x'],
      ['set-cookie', 'b=2'],
      ['X-Multi', 'y'],
    ]);
  });

  it('cannot be changed through what it returns', () => {
    const h = headersFromRaw(raw);
    (h.getAll('set-cookie') as string[]).push('c=3');
    expect(h.getAll('set-cookie')).to.deep.equal(['a=1', 'b=2']);
    expect(() => (h.entries() as Array<[string, string]>).push(['X', '1'])).to.throw(TypeError);
  });

  it('reads UTF-8 bytes (arriving as Latin-1 text) as UTF-8, and keeps other bytes as they are', () => {
    const utf8AsLatin1 = Buffer.from('café ☕', 'utf8').toString('latin1');
    const h = headersFromRaw(['X-Name', utf8AsLatin1, 'X-Latin1', 'caf\u00e9']);
    expect(h.get('x-name')).to.equal('café ☕');
    expect(h.get('x-latin1')).to.equal('caf\u00e9');
  });

  it('is empty for no headers', () => {
    expect(headersFromRaw([]).entries()).to.deep.equal([]);
  });
});

describe('headersFromEntries', () => {
  it('builds the same lookups from [name, value] lines', () => {
    const h = headersFromEntries([
      ['Retry-After', '3'],
      ['retry-after', '4'],
    ]);
    expect(h.get('RETRY-AFTER')).to.equal('3');
    expect(h.getAll('Retry-After')).to.deep.equal(['3', '4']);
  });
});

describe('headerRecord', () => {
  it('gives a header received once as its value, one received several times as its values in order, Set-Cookie always as a list', () => {
    const record = headerRecord(
      headersFromRaw([
        'Content-Type',
        'application/json',
        'X-Multi',
        'a',
        'Set-Cookie',
        'sid=1',
        'x-multi',
        'b, c',
        'X-MULTI',
        'd',
        'Date',
        'x',
      ]),
    );
    expect(record).to.deep.equal({ 'Content-Type': 'application/json', 'X-Multi': ['a', 'b, c', 'd'], 'Set-Cookie': ['sid=1'], Date: 'x' });
    expect(Object.keys(record)).to.deep.equal(['Content-Type', 'X-Multi', 'Set-Cookie', 'Date']);
  });

  it('keeps every Set-Cookie line apart (a cookie may hold a comma)', () => {
    const record = headerRecord(headersFromRaw(['set-cookie', 'a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT', 'Set-Cookie', 'b=2']));
    expect(record).to.deep.equal({ 'set-cookie': ['a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT', 'b=2'] });
  });

  it('keeps a header named __proto__ as a header, without touching the prototype', () => {
    const record = headerRecord(headersFromRaw(['__proto__', 'x', 'constructor', 'y']));
    expect(Object.getPrototypeOf(record)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).to.equal('x');
    expect(Object.keys(record)).to.deep.equal(['__proto__', 'constructor']);
  });

  it('is empty without headers', () => {
    expect(headerRecord(headersFromRaw([]))).to.deep.equal({});
  });
});
