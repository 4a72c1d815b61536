import { expect } from 'chai';
import { basicPairSecrets, secretForms } from '../../lib/secrets/secret-forms.js';

describe('secretForms', () => {
  it('gives a plain token one form, itself', () => {
    expect(secretForms('abc-123_x.Y')).to.deep.equal(['abc-123_x.Y']);
  });

  it('has the JSON string forms: escaped quotes and backslashes, and slashes escaped as PHP writes them', () => {
    const forms = secretForms('a/b"c\\d');
    expect(forms).to.include.members(['a/b"c\\d', 'a/b\\"c\\\\d', 'a\\/b\\"c\\\\d']);
  });

  it('has the \\u escapes Python writes for non-ASCII characters (lower and upper case hex, with and without escaped slashes)', () => {
    const forms = secretForms('pä/ss');
    expect(forms).to.include.members(['pä/ss', 'p\\u00e4/ss', 'p\\u00E4/ss', 'p\\u00e4\\/ss', 'p\\u00E4\\/ss', 'pä\\/ss']);
    // each is what a real encoder produces
    expect(JSON.stringify('pä/ss').slice(1, -1)).to.be.oneOf(forms);
  });

  it("has the percent-encodings of encodeURIComponent, of RFC 3986 strict encoders (' ( ) * ! too) and of form encoders (~ too), with %20 or +", () => {
    const forms = secretForms("it's a ~(test)!");
    expect(forms).to.include.members([
      encodeURIComponent("it's a ~(test)!"),
      "it's+a+~(test)!",
      'it%27s%20a%20~%28test%29%21',
      'it%27s+a+~%28test%29%21',
      'it%27s+a+%7E%28test%29%21',
    ]);
    expect(new URLSearchParams({ q: "it's a ~(test)!" }).toString().slice(2)).to.be.oneOf(forms);
  });

  it('has the XML escapes of reports (&amp; &lt; &gt; &quot; and both apostrophes)', () => {
    const forms = secretForms(`a&b<c>"d'e`);
    expect(forms).to.include.members(['a&amp;b&lt;c&gt;&quot;d&apos;e', 'a&amp;b&lt;c&gt;&quot;d&#39;e']);
  });

  it('skips the percent forms of a lone surrogate (no encoder produces one) without throwing', () => {
    expect(secretForms('ab\ud800cd')[0]).to.equal('ab\ud800cd');
  });
});

describe('basicPairSecrets', () => {
  it('gives the pair, the password and the base64 that goes on the wire', () => {
    expect(basicPairSecrets('admin', 's3cret')).to.deep.equal(['admin:s3cret', 's3cret', Buffer.from('admin:s3cret').toString('base64')]);
  });
});
