import { expect } from 'chai';
import { maskText } from '../../lib/secrets/mask-text.js';
import { createSecretSet } from '../../lib/secrets/secret-set.js';

/** A set holding `values`, each as its only pattern. */
function setOf(...values: string[]) {
  const set = createSecretSet();
  for (const value of values) set.add(value, (v) => [v]);
  return set;
}

describe('maskText', () => {
  it('replaces every occurrence of every secret with ***, from any of the sets', () => {
    expect(maskText('a=s3cr3t&b=t0ken-x&c=s3cr3t', [setOf('s3cr3t'), setOf('t0ken-x')])).to.equal('a=***&b=***&c=***');
  });

  it('masks overlapping matches as one ***', () => {
    expect(maskText('xx abcdefgh yy', [setOf('abcdef', 'defgh')])).to.equal('xx *** yy');
  });

  it('masks the start of a secret cut off by … (a body excerpt)', () => {
    expect(maskText('{"token":"s3cr3…', [setOf('s3cr3t-token')])).to.equal('{"token":"***…');
  });

  it('leaves a text without secrets, or shorter than a secret can be, as it is', () => {
    expect(maskText('nothing here', [setOf('s3cr3t')])).to.equal('nothing here');
    expect(maskText('abc', [setOf('s3cr3t')])).to.equal('abc');
    expect(maskText('s3cr3t', [])).to.equal('s3cr3t');
  });
});
