import { expect } from 'chai';
import { formatDuration } from '../../lib/operators/format-duration.js';

describe('formatDuration', () => {
  // Expected strings are what Go's time.Duration.String() prints for the same duration.
  const cases: ReadonlyArray<readonly [number, string]> = [
    [0, '0s'],
    [250, '250ms'],
    [1.5, '1.5ms'],
    [0.5, '500µs'],
    [0.000_001, '1ns'],
    [999, '999ms'],
    [1000, '1s'],
    [2400, '2.4s'],
    [1001, '1.001s'],
    [30_000, '30s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [5_400_500, '1h30m0.5s'],
    [90_000_000, '25h0m0s'],
    [-1500, '-1.5s'],
  ];
  for (const [ms, text] of cases) {
    it(`formats ${ms}ms as ${text}`, () => {
      expect(formatDuration(ms)).to.equal(text);
    });
  }

  it('names non-finite durations instead of printing garbage', () => {
    expect([Infinity, -Infinity, NaN].map(formatDuration)).to.deep.equal(['infinity', '-infinity', 'NaN']);
  });
});
