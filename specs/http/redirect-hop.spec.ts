import { expect } from 'chai';
import { redirectHop } from '../../lib/http/redirect-hop.js';

describe('redirectHop', () => {
  const hop = {
    url: 'http://api.test/a',
    method: 'POST',
    headers: { Authorization: 'x', Cookie: 'c', 'Content-Type': 'text/plain', Host: 'api.test' },
    body: Buffer.from('d'),
  };

  it('keeps credentials for a subdomain of the first host, and drops Host when the host changes', () => {
    const next = redirectHop(307, 'http://eu.api.test/b', hop, 'http://api.test/a');
    expect(next).to.deep.equal({
      _tag: 'Follow',
      hop: {
        url: 'http://eu.api.test/b',
        method: 'POST',
        headers: { Authorization: 'x', Cookie: 'c', 'Content-Type': 'text/plain' },
        body: Buffer.from('d'),
      },
    });
  });

  it('drops credentials for a host that only ends like the first one', () => {
    const next = redirectHop(307, 'http://evilapi.test/b', hop, 'http://api.test/a');
    expect(next?._tag === 'Follow' ? Object.keys(next.hop.headers) : []).to.deep.equal(['Content-Type']);
  });

  it("compares with the first request's host, not the previous hop's", () => {
    const second = { ...hop, url: 'http://other.test/x' };
    const next = redirectHop(308, 'http://sub.api.test/back', second, 'http://api.test/a');
    expect(next?._tag === 'Follow' ? Object.keys(next.hop.headers) : []).to.deep.equal(['Authorization', 'Cookie', 'Content-Type']);
  });

  it('is undefined for statuses Go does not follow', () => {
    for (const status of [300, 304, 305, 306, 200, 404]) expect(redirectHop(status, '/b', hop, hop.url)).to.equal(undefined);
  });
});
