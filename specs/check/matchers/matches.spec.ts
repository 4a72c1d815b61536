import { expect } from 'chai';
import { compileMatches } from '../../../lib/check/matchers/matches.js';
import { judge, rejects } from './judge.js';

describe('check/matchers/matches', () => {
  it('searches the string, unanchored unless the pattern anchors', () => {
    expect(judge(compileMatches, 'j-\\d+', 'job j-42 done').pass).to.equal(true);
    expect(judge(compileMatches, '^j-\\d+$', 'job j-42 done').pass).to.equal(false);
    expect(judge(compileMatches, '^[0-9a-f-]{36}$', '3f2504e0-4f89-41d3-9a0c-0305e82c3301').pass).to.equal(true);
  });
  it('accepts a leading Go-style flag group', () => {
    expect(judge(compileMatches, '(?i)^COMPLETED$', 'completed').pass).to.equal(true);
    expect(judge(compileMatches, '(?is)^a.b$', 'A\nB').pass).to.equal(true);
    expect(judge(compileMatches, '^COMPLETED$', 'completed').pass).to.equal(false);
  });
  it('is stateless across calls', () => {
    const verdicts = [1, 2, 3].map(() => judge(compileMatches, 'a', 'a').pass);
    expect(verdicts).to.deep.equal([true, true, true]);
  });
  it('only matches strings', () => {
    expect(judge(compileMatches, '^2', 200)).to.deep.equal({ pass: false, actual: 200, reason: 'matches needs a string, got number' });
  });
  it('rejects an invalid pattern or a non-string operand', () => {
    expect(rejects(compileMatches, '[a-')).to.match(/^matches: invalid regular expression "\[a-": /);
    expect(rejects(compileMatches, 5)).to.equal('matches must be a regular expression string, got 5');
  });
});
