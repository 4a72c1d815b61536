import { expect } from 'chai';
import * as t from 'io-ts';
import { strictType, unknownKeyMessage } from '../../../lib/dsl/codecs/strict-type.js';
import { decodeMessages, decodeOk } from './decode-helpers.js';

describe('dsl/codecs/strict-type', () => {
  const Point = strictType('a point map', { x: t.number, y: t.number }, { label: t.string });

  it('decodes required and optional keys, leaving absent optional keys out', () => {
    expect(decodeOk(Point, { x: 1, y: 2 })).to.deep.equal({ x: 1, y: 2 });
    expect(decodeOk(Point, { x: 1, y: 2, label: 'p' })).to.deep.equal({ x: 1, y: 2, label: 'p' });
    expect(Object.keys(decodeOk(Point, { x: 1, y: 2 }))).to.deep.equal(['x', 'y']);
  });

  it('rejects an unknown key with "did you mean" for a near miss', () => {
    expect(decodeMessages(Point, { x: 1, y: 2, lable: 'p' })).to.deep.equal(['unknown key "lable"; did you mean "label"?']);
  });

  it('lists the allowed keys when nothing is close', () => {
    expect(decodeMessages(Point, { x: 1, y: 2, colour: 'red' })).to.deep.equal(['unknown key "colour"; allowed keys: x, y, label']);
  });

  it('reports a missing required key, but not when a typo of it is present', () => {
    expect(decodeMessages(Point, { x: 1 })).to.deep.equal(['missing required key "y"']);
    const Polling = strictType('p', { interval: t.string, timeout: t.string });
    expect(decodeMessages(Polling, { intervall: '1s', timeout: '1s' })).to.deep.equal([
      'unknown key "intervall"; did you mean "interval"?',
    ]);
  });

  it('reports every error of the map at once', () => {
    const messages = decodeMessages(Point, { x: 'one', zzz: 1 });
    expect(messages).to.have.length(3);
    expect(messages).to.include('unknown key "zzz"; allowed keys: x, y, label');
    expect(messages).to.include('missing required key "y"');
  });

  it('rejects non-maps', () => {
    for (const bad of [null, [], 'x', 3, true]) expect(Point.decode(bad)._tag).to.equal('Left');
  });

  it('treats keys named like Object.prototype members as ordinary unknown keys', () => {
    expect(decodeMessages(Point, { x: 1, y: 2, constructor: 1 })).to.deep.equal(['unknown key "constructor"; allowed keys: x, y, label']);
    expect(decodeMessages(Point, { x: 1, y: 2, toString: 'a' })[0]).to.match(/^unknown key "toString"/);
    const withProto = JSON.parse('{"x": 1, "y": 2, "__proto__": {"label": "p"}}') as unknown;
    expect(decodeMessages(Point, withProto)[0]).to.match(/^unknown key "__proto__"/);
  });

  it('names allowed keys in the "no keys" case', () => {
    expect(unknownKeyMessage('a', [])).to.equal('unknown key "a"; no keys are allowed here');
  });
});
