import { expect } from 'chai';
import { formatAttemptDetails } from '../../lib/report/format-attempt.js';
import { makeStyle } from '../../lib/report/style.js';
import { attempt } from './fixtures.js';

describe('formatAttemptDetails', () => {
  it('prints a header received several times as one line per value, in order; a sensitive one as *** per value', () => {
    const base = attempt(1);
    const record = {
      ...base,
      outcome: {
        _tag: 'Response' as const,
        status: 200,
        headers: { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b, c'], 'Set-Cookie': ['sid=1', 'theme=dark'] },
        bodyExcerpt: '',
        durationMs: 5,
      },
    };
    expect(formatAttemptDetails(record, makeStyle(false)).filter((l) => l.startsWith('<'))).to.deep.equal([
      '< 200 (5ms)',
      '< Content-Type: application/json',
      '< X-Multi: a',
      '< X-Multi: b, c',
      '< Set-Cookie: ***',
      '< Set-Cookie: ***',
    ]);
  });
});
