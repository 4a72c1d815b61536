import { expect } from 'chai';
import { done, failed, notYet, type Judgement } from '../../lib/operators/judgement.js';

describe('judgement', () => {
  it('makes the three tagged judgements', () => {
    expect(done).to.deep.equal({ _tag: 'Done' });
    expect(failed('job failed: out of disk')).to.deep.equal({ _tag: 'Failed', reason: 'job failed: out of disk' });
    expect(notYet()).to.deep.equal({ _tag: 'NotYet' });
    expect(notYet(2000)).to.deep.equal({ _tag: 'NotYet', retryAfterMs: 2000 });
  });

  it('keeps retryAfterMs 0 (an ask, even one the poll will not honour, is not an absent ask)', () => {
    expect(notYet(0)).to.deep.equal({ _tag: 'NotYet', retryAfterMs: 0 });
  });

  it('shares one object for the plain "not yet", which a poll returns for most attempts', () => {
    expect(notYet()).to.equal(notYet());
  });

  it('narrows on _tag', () => {
    const say = (j: Judgement): string =>
      j._tag === 'Failed' ? `failed: ${j.reason}` : j._tag === 'NotYet' ? `not yet (${j.retryAfterMs ?? '-'})` : 'done';
    expect([done, failed('x'), notYet(), notYet(5)].map(say)).to.deep.equal(['done', 'failed: x', 'not yet (-)', 'not yet (5)']);
  });
});
