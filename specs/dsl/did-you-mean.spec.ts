import { expect } from 'chai';
import { didYouMean } from '../../lib/dsl/did-you-mean.js';

describe('dsl/did-you-mean', () => {
  const polling = ['interval', 'timeout', 'max_attempts', 'backoff_coefficient', 'conditions'];

  it('suggests a near miss: extra, missing, wrong and swapped letters', () => {
    expect(didYouMean('intervall', polling)).to.equal('interval');
    expect(didYouMean('timout', polling)).to.equal('timeout');
    expect(didYouMean('max_attempt', polling)).to.equal('max_attempts');
    expect(didYouMean('condtions', polling)).to.equal('conditions');
    expect(didYouMean('tiemout', polling)).to.equal('timeout');
  });

  it('ignores case, underscores and dashes, and completes a cut-short word', () => {
    expect(didYouMean('Timeout', polling)).to.equal('timeout');
    expect(didYouMean('maxattempts', polling)).to.equal('max_attempts');
    expect(didYouMean('backoff', polling)).to.equal('backoff_coefficient');
  });

  it('suggests nothing for unrelated words and very short guesses', () => {
    expect(didYouMean('owner', polling)).to.equal(undefined);
    expect(didYouMean('x', polling)).to.equal(undefined);
    expect(didYouMean('max', polling)).to.equal(undefined);
    expect(didYouMean('anything', [])).to.equal(undefined);
  });

  it('is stricter for short words', () => {
    expect(didYouMean('htp', ['http', 'log'])).to.equal('http');
    expect(didYouMean('lg', ['http', 'log'])).to.equal('log');
    expect(didYouMean('abc', ['http', 'log'])).to.equal(undefined);
  });
});
