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
    expect([Infinity, -Infinity, NaN].map((ms) => formatDuration(ms))).to.deep.equal(['infinity', '-infinity', 'NaN']);
  });

  it("is exact by default: nothing is rounded ('exact')", () => {
    expect(formatDuration(1_234.5678)).to.equal('1.2345678s');
    expect(formatDuration(1_234.5678, 'exact')).to.equal('1.2345678s');
  });

  describe("with precision 'readable' (report lines)", () => {
    // What Go prints for d.Round(time.Millisecond) under a second, d.Round(100 * time.Millisecond)
    // under a minute and d.Round(time.Second) from there.
    const readable: ReadonlyArray<readonly [number, string]> = [
      [0, '0s'],
      [0.4, '0s'], // rounds to nothing: never "-0s" or "400µs"
      [-0.4, '0s'],
      [1, '1ms'],
      [1.5, '2ms'],
      [250, '250ms'],
      [999.4, '999ms'],
      [999.6, '1s'], // rounds up into seconds, never "1000ms"
      [1000, '1s'],
      [1200, '1.2s'],
      [1249, '1.2s'],
      [1250, '1.3s'], // halves round up, as Go's Round rounds them away from zero
      [1_234.5678, '1.2s'],
      [7200, '7.2s'],
      [59_940, '59.9s'],
      [59_960, '1m0s'], // 59.96s rounds to 60.0s: a minute, never "60s"
      [60_000, '1m0s'],
      [90_000, '1m30s'],
      [90_400, '1m30s'],
      [90_500, '1m31s'],
      [300_000, '5m0s'],
      [3_600_000, '1h0m0s'],
      [3_723_000, '1h2m3s'],
      [3_603_000, '1h0m3s'],
      [-1500, '-1.5s'],
      [-1250, '-1.3s'], // away from zero on both sides
    ];
    for (const [ms, text] of readable) {
      it(`formats ${ms} as ${text}`, () => expect(formatDuration(ms, 'readable')).to.equal(text));
    }

    it('names non-finite durations as the exact form does', () => {
      expect([Infinity, -Infinity, NaN].map((ms) => formatDuration(ms, 'readable'))).to.deep.equal(['infinity', '-infinity', 'NaN']);
    });
  });
});
