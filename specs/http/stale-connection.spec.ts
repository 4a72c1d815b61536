import { expect } from 'chai';
import type { ExchangeTrace } from '../../lib/http/exchange-trace.js';
import { IDEMPOTENT_METHODS, isIdempotent, isStaleConnectionFailure } from '../../lib/http/stale-connection.js';

/** A trace in the state the keep-alive race leaves: a reused connection, no response byte. */
function trace(overrides: Partial<ExchangeTrace> = {}): ExchangeTrace {
  return {
    phase: 'Sent',
    reusedConnection: true,
    responseBytes: 0,
    bodyBytes: 0,
    informational: undefined,
    isQueued: () => false,
    connectionCap: 64,
    evictIdleSiblings: () => undefined,
    ...overrides,
  };
}

describe('isIdempotent', () => {
  it('holds for RFC 9110 idempotent methods in any case, never for POST and PATCH', () => {
    for (const method of IDEMPOTENT_METHODS) {
      expect(isIdempotent(method)).to.equal(true);
      expect(isIdempotent(method.toLowerCase())).to.equal(true);
    }
    expect(isIdempotent('POST')).to.equal(false);
    expect(isIdempotent('patch')).to.equal(false);
  });
});

describe('isStaleConnectionFailure', () => {
  const reset = { code: 'ECONNRESET', message: 'socket hang up' };

  it('is a reset or broken pipe on a reused connection before any response byte, also wrapped by axios', () => {
    expect(isStaleConnectionFailure(reset, trace())).to.equal(true);
    expect(isStaleConnectionFailure({ code: 'EPIPE', message: 'write EPIPE' }, trace())).to.equal(true);
    expect(isStaleConnectionFailure({ code: 'ERR_BAD_RESPONSE', message: 'x', cause: { code: 'ECONNRESET' } }, trace())).to.equal(true);
  });

  it('is not a failure on a new connection, after response bytes, or of another kind', () => {
    expect(isStaleConnectionFailure(reset, trace({ reusedConnection: false }))).to.equal(false);
    expect(isStaleConnectionFailure(reset, trace({ responseBytes: 1 }))).to.equal(false);
    expect(isStaleConnectionFailure({ code: 'ECONNREFUSED', message: 'refused' }, trace())).to.equal(false);
  });
});
