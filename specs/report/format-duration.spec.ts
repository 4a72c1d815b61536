import { expect } from 'chai';
import { formatDuration } from '../../lib/report/format-duration.js';

describe('formatDuration', () => {
  const cases: ReadonlyArray<readonly [number, string]> = [
    [0, '0ms'],
    [1, '1ms'],
    [250, '250ms'],
    [999.4, '999ms'],
    [999.6, '1s'], // rounds up into seconds, never "1000ms"
    [1000, '1s'],
    [1200, '1.2s'],
    [1249, '1.2s'],
    [1250, '1.3s'],
    [7200, '7.2s'],
    [59_940, '59.9s'],
    [59_960, '1m'], // 59.96s rounds to 60.0s: a minute, never "60s"
    [60_000, '1m'],
    [90_000, '1m30s'],
    [90_400, '1m30s'],
    [300_000, '5m'],
    [3_600_000, '1h'],
    [3_723_000, '1h2m3s'],
    [3_603_000, '1h3s'],
    [-1500, '-1.5s'],
  ];
  for (const [ms, text] of cases) {
    it(`formats ${ms} as ${text}`, () => expect(formatDuration(ms)).to.equal(text));
  }

  it('prints values that are not finite as JavaScript does', () => {
    expect(formatDuration(Number.POSITIVE_INFINITY)).to.equal('Infinity');
    expect(formatDuration(Number.NaN)).to.equal('NaN');
  });
});
