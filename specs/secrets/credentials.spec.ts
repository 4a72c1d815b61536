import { expect } from 'chai';
import { headerSecrets, isSecretName, isSensitiveField, urlSecrets } from '../../lib/secrets/credentials.js';

describe('credentials', () => {
  describe('isSecretName', () => {
    it('matches TOKEN, SECRET, PASSWORD, KEY or AUTH anywhere in the name, any case', () => {
      expect(['API_TOKEN', 'my_secret', 'DB_Password', 'apikey', 'GITHUB_AUTH', 'OAUTH_URL'].filter(isSecretName)).to.have.length(6);
      expect(['BASE_URL', 'HOME', 'USER', 'PATH'].filter(isSecretName)).to.deep.equal([]);
    });
  });

  describe('isSensitiveField', () => {
    it('matches names of credentials, not plain keys or ids', () => {
      const yes = [
        'password',
        'passwd',
        'client_secret',
        'access_token',
        'refreshToken',
        'api_key',
        'apiKey',
        'X-Api-Key',
        'private_key',
        'auth',
        'Authorization',
        'credentials',
        'session_id',
        'sid',
        'cookie',
      ];
      const no = ['key', 'id', 'job_id', 'idempotency_key', 'status', 'sidebar', 'name'];
      expect(yes.filter((n) => !isSensitiveField(n))).to.deep.equal([]);
      expect(no.filter(isSensitiveField)).to.deep.equal([]);
    });
  });

  describe('headerSecrets', () => {
    it('gives the value and the credential after a scheme', () => {
      expect(headerSecrets('Authorization', 'Bearer abc123')).to.deep.equal(['Bearer abc123', 'abc123']);
    });

    it('decodes Basic credentials to the pair and the password', () => {
      const basic = Buffer.from('alice:wonder-land').toString('base64');
      expect(headerSecrets('authorization', `Basic ${basic}`)).to.deep.equal([`Basic ${basic}`, basic, 'alice:wonder-land', 'wonder-land']);
    });

    it('splits cookies into pairs, with bare values from 8 characters', () => {
      expect(headerSecrets('Cookie', 'sid=abcdefgh12; theme=dark')).to.deep.equal(['sid=abcdefgh12', 'abcdefgh12', 'theme=dark']);
    });
  });

  describe('urlSecrets', () => {
    it('gives the password, the pair, and the base64 a client sends as Basic credentials', () => {
      const out = urlSecrets('http://admin:s%23cret-pw@api.test/x');
      expect(out).to.include.members(['s%23cret-pw', 's#cret-pw', 'admin:s#cret-pw', Buffer.from('admin:s#cret-pw').toString('base64')]);
    });

    it('gives nothing for a URL without a password, or one that does not parse', () => {
      expect(urlSecrets('http://api.test/x?a=b@c')).to.deep.equal([]);
      expect(urlSecrets('http://admin@api.test/')).to.deep.equal([]);
      expect(urlSecrets('not a url @ all')).to.deep.equal([]);
    });
  });
});
