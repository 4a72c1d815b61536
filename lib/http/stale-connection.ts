import type { ExchangeTrace } from './exchange-trace.js';
import { effectiveErrorCode } from './to-transport-error.js';

/**
 * The methods retried once when a reused keep-alive connection fails before any byte of the
 * response: RFC 9110's idempotent methods (sending one twice has the effect of sending it once).
 * Go's `net/http` retries only GET, HEAD, OPTIONS and TRACE (and any request with an
 * `Idempotency-Key` header); PUT and DELETE are idempotent too, so we retry them as well.
 * POST and PATCH are never retried.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Whether `method` is sent again after losing the keep-alive race (see {@link IDEMPOTENT_METHODS}).
 *
 * isIdempotent('put')    // true
 * isIdempotent('POST')   // false
 */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * The failure of the keep-alive race: a connection from the pool that the server closed (or
 * reset) while idle, found out when the request was written to it, before any byte of a
 * response. Node reports it as `ECONNRESET` (`socket hang up` or `read ECONNRESET`) or `EPIPE`.
 *
 * isStaleConnectionFailure(error, trace)   // true for ECONNRESET on a reused connection with no response byte
 */
export function isStaleConnectionFailure(error: unknown, trace: ExchangeTrace): boolean {
  if (!trace.reusedConnection || trace.responseBytes > 0) return false;
  const effective = effectiveErrorCode(error);
  return effective === 'ECONNRESET' || effective === 'EPIPE';
}
