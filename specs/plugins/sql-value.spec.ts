import { expect } from 'chai';
import { rfc3339, toJsonValue } from '../../lib/plugins/sql-value.js';

describe('plugins/sql-value', () => {
  it('maps driver values to JSON', () => {
    expect(toJsonValue(null)).to.equal(null);
    expect(toJsonValue(undefined)).to.equal(null);
    expect(toJsonValue(12n)).to.equal(12);
    expect(toJsonValue(-9007199254740993n)).to.equal('-9007199254740993');
    expect(toJsonValue(Number.NaN)).to.equal('NaN');
    expect(toJsonValue(Buffer.from('hi'))).to.equal('aGk=');
    expect(toJsonValue(new Date('2024-05-01T10:00:00Z'))).to.equal('2024-05-01T10:00:00.000Z');
    expect(toJsonValue([1n, [2n]])).to.deep.equal([1, [2]]);
    expect(toJsonValue({ a: [1] })).to.deep.equal({ a: [1] });
  });

  it('writes database timestamps in RFC 3339, UTC as Z', () => {
    expect(rfc3339('2024-05-01 10:00:00')).to.equal('2024-05-01T10:00:00Z');
    expect(rfc3339('2024-05-01 10:00:00.123456+00')).to.equal('2024-05-01T10:00:00.123456Z');
    expect(rfc3339('2024-05-01 10:00:00+05:30')).to.equal('2024-05-01T10:00:00+05:30');
    expect(rfc3339('infinity')).to.equal('infinity');
  });
});
