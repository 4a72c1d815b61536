import { expect } from 'chai';
import { headersFromEntries, headersFromRaw } from '../../lib/http/http-headers.js';

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
    const h = headersFromEntries([['Retry-After', '3'], ['retry-after', '4']]);
    expect(h.get('RETRY-AFTER')).to.equal('3');
    expect(h.getAll('Retry-After')).to.deep.equal(['3', '4']);
  });
});
