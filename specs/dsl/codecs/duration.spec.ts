import { expect } from 'chai';
import { Duration, parseDuration } from '../../../lib/dsl/codecs/duration.js';
import { decodeMessages, decodeOk } from './decode-helpers.js';

describe('dsl/codecs/duration', () => {
  const accepted: Array<[string, number]> = [
    ['250ms', 250],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['5m', 300_000],
    ['1h2m3s4ms', 3_723_004],
    ['100us', 0.1],
    ['100µs', 0.1],
    ['1500000ns', 1.5],
    ['.5s', 500],
    ['0', 0],
    ['0s', 0],
  ];
  for (const [text, ms] of accepted) {
    it(`decodes "${text}" to ${ms} ms`, () => {
      expect(decodeOk(Duration, text)).to.be.closeTo(ms, 1e-9);
    });
  }

  it('rejects words, with an accepted example', () => {
    expect(decodeMessages(Duration, '2 seconds')).to.deep.equal([
      '"2 seconds" is not a duration: write a number and a unit (ns, us, ms, s, m, h), e.g. "250ms", "2s", "1.5s", "1m30s"',
    ]);
  });

  it('rejects negative durations, suggesting the positive one', () => {
    expect(decodeMessages(Duration, '-1s')).to.deep.equal(['"-1s" is not a duration: durations cannot be negative; write e.g. "1s"']);
  });

  it('rejects bare numbers, suggesting the number with a unit', () => {
    expect(decodeMessages(Duration, 5)).to.deep.equal(['5 is not a duration: add a unit, e.g. "5s" or "5ms"']);
    expect(decodeMessages(Duration, -2)[0]).to.match(/^-2 is not a duration: write a number and a unit/);
  });

  it('rejects a number without unit, a unit without number, unknown units and other types', () => {
    for (const bad of ['2', 's', '1d', '1S', '1 s', '', ' 1s', '1s ', '1..5s', '+1s']) {
      expect(parseDuration(bad), bad).to.equal(undefined);
      expect(Duration.decode(bad)._tag, bad).to.equal('Left');
    }
    expect(Duration.decode(true)._tag).to.equal('Left');
    expect(Duration.decode(null)._tag).to.equal('Left');
    expect(Duration.decode(['1s'])._tag).to.equal('Left');
  });
});
