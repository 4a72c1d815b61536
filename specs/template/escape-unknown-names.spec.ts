import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { escapeUnknownNames } from '../../lib/template/escape-unknown-names.js';
import { renderString } from '../../lib/template/render-string.js';

describe('template/escape-unknown-names', () => {
  const ctx = { saved: { user_id: 7 }, vars: { name: 'Ada' }, env: { USER: 'me' }, secrets: {} };

  it('escapes a bare name that is neither saved nor a var, so it renders as the literal text', () => {
    const escaped = escapeUnknownNames('id {{ user_id }}, {{ name }}, {{ placeholder }}, {{ .env.USER }}', ctx);
    expect(escaped).to.equal('id {{ user_id }}, {{ name }}, \\{{ placeholder }}, {{ .env.USER }}');
    expect(renderString(escaped, ctx)).to.deep.equal(E.right('id 7, Ada, {{ placeholder }}, me'));
  });

  it('leaves an already escaped reference alone, and walks lists and maps', () => {
    expect(escapeUnknownNames('\\{{ x }}', ctx)).to.equal('\\{{ x }}');
    expect(escapeUnknownNames({ expected: ['{{ nope.a }}', 1] }, ctx)).to.deep.equal({ expected: ['\\{{ nope.a }}', 1] });
  });
});
