import type { RawAxiosRequestHeaders } from 'axios';
import { VERSION } from '../version.js';
import type { HttpRequest } from './http-client.js';

/** The `User-Agent` sent unless a request sets its own. */
export const USER_AGENT = `rocketship-rx/${VERSION}`;

/**
 * The header object given to axios: the request's headers with values as UTF-8 bytes (Node sends
 * header strings as Latin-1), our User-Agent unless one is set, `Connection: close` without
 * keep-alive unless the request sets `Connection`, and `false` for the defaults axios would
 * otherwise add (`false` tells axios "leave this header out": no `Accept`, `Accept-Encoding` or
 * `Content-Type` the request did not ask for).
 *
 * wireHeaders({ method: 'GET', url, headers: { 'X-A': 'é' } }, true)
 * // { 'X-A': 'Ã©', 'User-Agent': 'rocketship-rx/0.1.0', 'Content-Type': false, Accept: false, 'Accept-Encoding': false }
 */
export function wireHeaders(request: HttpRequest, keepAlive: boolean): RawAxiosRequestHeaders {
  const headers: RawAxiosRequestHeaders = {};
  const given = new Set<string>();
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Buffer.from(value, 'utf8').toString('latin1');
    given.add(name.toLowerCase());
  }
  if (!given.has('user-agent')) headers['User-Agent'] = USER_AGENT;
  // Node says `keep-alive` to a pool with a socket cap even when the pool does not keep sockets.
  if (!keepAlive && !given.has('connection')) headers['Connection'] = 'close';
  for (const name of ['Content-Type', 'Accept', 'Accept-Encoding']) {
    if (!given.has(name.toLowerCase())) headers[name] = false;
  }
  return headers;
}
