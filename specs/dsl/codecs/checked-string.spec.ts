import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { checkedString } from '../../../lib/dsl/codecs/checked-string.js';
import { decodeMessages, decodeOk } from './decode-helpers.js';

describe('dsl/codecs/checked-string', () => {
  const Upper = checkedString('an upper-case word', (s) => (/^[A-Z]+$/.test(s) ? E.right(s) : E.left(`"${s}" is not upper-case`)));
  const Trimmed = checkedString('a trimmed word', (s) => E.right(s.trim()));

  it('decodes a string that passes the check to what the check returns', () => {
    expect(decodeOk(Upper, 'GET')).to.equal('GET');
    expect(decodeOk(Trimmed, '  x ')).to.equal('x');
  });

  it("rejects a string that fails the check with the check's message", () => {
    expect(decodeMessages(Upper, 'get')).to.deep.equal(['"get" is not upper-case']);
  });

  it('accepts a string holding a template as written, unchecked', () => {
    expect(decodeOk(Upper, '{{ .vars.method }}')).to.equal('{{ .vars.method }}');
    expect(decodeOk(Trimmed, ' {{ x }} ')).to.equal(' {{ x }} ');
  });

  it('rejects anything but a string, naming what it expected', () => {
    expect(decodeMessages(Upper, 3)).to.deep.equal(['(no message; expected an upper-case word)']);
    expect(Upper.name).to.equal('an upper-case word');
  });
});
