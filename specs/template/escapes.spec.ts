import { expect } from 'chai';
import { backslashesBefore, escapeOutcome } from '../../lib/template/escapes.js';

describe('template/escapes', () => {
  it('follows Rocketship: two passes, each halving the backslashes, odd counts escape', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 8].map(escapeOutcome)).to.deep.equal([
      { kept: 0, literal: false },
      { kept: 0, literal: true }, //  \{{    -> {{
      { kept: 0, literal: true }, //  \\{{   -> \{{ after pass 1 -> {{
      { kept: 1, literal: true }, //  \\\{{  -> \ + literal after pass 1, untouched by pass 2
      { kept: 1, literal: false }, // \\\\{{ -> \\{{ -> \ + template
      { kept: 2, literal: true },
      { kept: 1, literal: true }, //  6 -> 3 -> 1 + literal
      { kept: 2, literal: false }, // 8 -> 4 -> 2 + template
    ]);
  });

  it('counts the backslashes right before an index, not past the floor', () => {
    expect(backslashesBefore('a\\\\{{', 3)).to.equal(2);
    expect(backslashesBefore('a\\\\{{', 3, 2)).to.equal(1);
    expect(backslashesBefore('{{', 0)).to.equal(0);
  });
});
