import { expect } from 'chai';
import fc from 'fast-check';
import { backoffDelay, type BackoffConfig } from '../../lib/operators/backoff.js';

const sequence = (n: number, config: BackoffConfig): number[] => Array.from({ length: n }, (_, i) => backoffDelay(i + 1, config));

describe('backoffDelay', () => {
  it('is the interval, unchanged, when there is no coefficient', () => {
    expect(sequence(4, { interval: 2000 })).to.deep.equal([2000, 2000, 2000, 2000]);
  });

  it('grows by interval * coefficient^(k-1) with coefficient 1.2 (the spec example)', () => {
    // 2000 * 1.2^[0..6] = 2000, 2400, 2880, 3456, 4147.2, 4976.64, 5971.968 -> rounded
    expect(sequence(7, { interval: 2000, coefficient: 1.2 })).to.deep.equal([2000, 2400, 2880, 3456, 4147, 4977, 5972]);
  });

  it('grows by interval * coefficient^(k-1) with coefficient 1.5', () => {
    // 1000 * 1.5^[0..5] = 1000, 1500, 2250, 3375, 5062.5, 7593.75 -> rounded
    expect(sequence(6, { interval: 1000, coefficient: 1.5 })).to.deep.equal([1000, 1500, 2250, 3375, 5063, 7594]);
  });

  it('grows with coefficient 1.1 over ten attempts (the deployment example: 10s, 1.1)', () => {
    expect(sequence(10, { interval: 10_000, coefficient: 1.1 })).to.deep.equal([
      10_000, 11_000, 12_100, 13_310, 14_641, 16_105, 17_716, 19_487, 21_436, 23_579,
    ]);
  });

  it('rounds away floating point noise (2000 * 1.2 ** 3 is 3455.9999999999995)', () => {
    expect(2000 * 1.2 ** 3).to.not.equal(3456);
    expect(backoffDelay(4, { interval: 2000, coefficient: 1.2 })).to.equal(3456);
  });

  it('caps the grown wait at maxInterval', () => {
    expect(sequence(6, { interval: 1000, coefficient: 2, maxInterval: 5000 })).to.deep.equal([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('stays at the cap when growth overflows to Infinity', () => {
    expect(backoffDelay(5000, { interval: 1000, coefficient: 2, maxInterval: 60_000 })).to.equal(60_000);
  });

  it('spreads by +/- jitter around the wait: random 0 is the low end, 0.5 the middle', () => {
    const at = (r: number) => backoffDelay(1, { interval: 1000, jitter: 0.2, random: () => r });
    expect([at(0), at(0.25), at(0.5), at(0.75), at(0.999_999)]).to.deep.equal([800, 900, 1000, 1100, 1200]);
  });

  it('keeps every jittered wait within [w * (1 - jitter), w * (1 + jitter)] and under the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
        (interval, coefficient, attempt, jitter, r, maxInterval) => {
          const grown = Math.min(interval * coefficient ** (attempt - 1), maxInterval ?? Infinity);
          const wait = backoffDelay(attempt, {
            interval,
            coefficient,
            jitter,
            random: () => r,
            ...(maxInterval !== undefined ? { maxInterval } : {}),
          });
          // +/- 0.5 for the rounding to whole milliseconds
          expect(wait).to.be.at.least(Math.floor(grown * (1 - jitter)));
          expect(wait).to.be.at.most(Math.ceil(Math.min(grown * (1 + jitter), maxInterval ?? Infinity)));
        },
      ),
    );
  });

  it('keeps maxInterval a hard cap even when jitter would push above it', () => {
    expect(backoffDelay(10, { interval: 1000, coefficient: 2, maxInterval: 5000, jitter: 0.5, random: () => 0.99 })).to.equal(5000);
    expect(backoffDelay(10, { interval: 1000, coefficient: 2, maxInterval: 5000, jitter: 0.5, random: () => 0 })).to.equal(2500);
  });

  it('does not consume randomness when jitter is 0', () => {
    let calls = 0;
    backoffDelay(1, { interval: 1000, random: () => ((calls += 1), 0.5) });
    expect(calls).to.equal(0);
  });

  it('clamps out-of-range inputs instead of producing negative waits', () => {
    expect(backoffDelay(0, { interval: 1000, coefficient: 2 })).to.equal(1000); // attempt < 1 is attempt 1
    expect(backoffDelay(1, { interval: 1000, jitter: 5, random: () => 0 })).to.equal(0); // jitter clamped to 1
    expect(backoffDelay(1, { interval: 1000, jitter: 0.5, random: () => 7 })).to.equal(1500); // random clamped to 1
  });
});
