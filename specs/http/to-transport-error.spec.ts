import { expect } from 'chai';
import { inspect } from 'node:util';
import { TransportError } from '../../lib/http/http-client.js';
import { toTransportError } from '../../lib/http/to-transport-error.js';

describe('toTransportError', () => {
  const req = { method: 'GET', url: 'http://no-such-host.invalid:8080/x', timeoutMs: 100 };
  const context = { timedOut: false, maxBodyBytes: 1024 };

  it('names a host that does not resolve (ENOTFOUND)', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), { code: 'ENOTFOUND' });
    const error = toTransportError(cause, req, context);
    expect(error).to.be.instanceOf(TransportError);
    expect(error.code).to.equal('ENOTFOUND');
    expect(error.message).to.equal('GET http://no-such-host.invalid:8080/x: host name "no-such-host.invalid" does not resolve (ENOTFOUND)');
    expect(error.cause).to.equal(cause);
  });

  it('says a DNS failure may be temporary (EAI_AGAIN)', () => {
    expect(toTransportError({ code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN' }, req, context).detail).to.equal(
      'DNS lookup of "no-such-host.invalid" failed, try again later',
    );
  });

  it('prefers ETIMEDOUT when our timer aborted, whatever the error says', () => {
    const error = toTransportError({ code: 'ERR_CANCELED', message: 'canceled' }, req, { ...context, timedOut: true });
    expect(error.code).to.equal('ETIMEDOUT');
    expect(error.detail).to.equal('no complete response within 100 ms');
  });

  it('calls any other cancellation ABORTED', () => {
    expect(toTransportError({ code: 'ERR_CANCELED', message: 'canceled' }, req, context).code).to.equal('ABORTED');
  });

  it('looks through a wrapper to the cause code', () => {
    const error = toTransportError({ code: 'ERR_BAD_RESPONSE', message: 'x', cause: { code: 'ECONNRESET' } }, req, context);
    expect(error.code).to.equal('ECONNRESET');
  });

  it('recognises certificate codes', () => {
    for (const code of [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ]) {
      const error = toTransportError({ code, message: 'bad cert' }, req, context);
      expect(error.code).to.equal(code);
      expect(error.detail).to.equal('TLS certificate rejected: bad cert; `insecure: true` skips verification');
    }
  });

  it('never keeps the request config (and its secret headers) in the cause', () => {
    const axiosLike = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      config: { headers: { Authorization: 'Bearer s3cr3t-token' } },
    });
    const error = toTransportError(axiosLike, req, context);
    expect(inspect(error, { depth: Infinity, showHidden: true })).to.not.contain('s3cr3t-token');
    expect(error.cause).to.be.instanceOf(Error).and.to.have.property('code', 'ECONNREFUSED');
  });

  it('keeps an unknown code and its message, and copes with things that are not errors', () => {
    expect(toTransportError({ code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH 10.0.0.1:80' }, req, context).message).to.equal(
      'GET http://no-such-host.invalid:8080/x: connect EHOSTUNREACH 10.0.0.1:80 (EHOSTUNREACH)',
    );
    expect(toTransportError('boom', req, context)).to.deep.include({ code: 'UNKNOWN', detail: 'boom' });
    expect(toTransportError(null, req, context)).to.deep.include({ code: 'UNKNOWN', detail: 'null' });
  });
});
