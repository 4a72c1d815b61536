import type { RawAxiosRequestHeaders } from 'axios';
import { hostOf } from './host-of.js';

/** Default number of redirects followed: 10, as Go's `http.Client` (and so Rocketship). */
export const DEFAULT_MAX_REDIRECTS = 10;

/** One request of a chain of redirects, as handed to axios. */
export interface Hop {
  readonly url: string;
  readonly method: string;
  readonly headers: RawAxiosRequestHeaders;
  readonly body: Buffer | undefined;
}

/** What to do after a response: follow to the next hop, or fail on a `Location` that is not http: or https:. */
export type RedirectStep = { readonly _tag: 'Follow'; readonly hop: Hop } | { readonly _tag: 'Unsupported'; readonly location: string };

/**
 * The next request after a response, by Go's `http.Client` rules, or `undefined` when the response
 * is not a redirect to follow (not 301/302/303/307/308, or without `Location`):
 * - 301, 302 and 303 continue as a GET without body (a HEAD stays a HEAD); 307 and 308 repeat the
 *   method and the body;
 * - `Authorization`, `Cookie` (and the like) are dropped when the new host is neither the first
 *   request's host nor one of its subdomains, and `Host` when the host changes;
 * - a `Location` that is not an http: or https: URL is `Unsupported`.
 *
 * redirectHop(302, '/b', { url: 'http://a.test/x', method: 'POST', headers: {}, body: Buffer.from('d') }, 'http://a.test/x')
 * // { _tag: 'Follow', hop: { url: 'http://a.test/b', method: 'GET', headers: {}, body: undefined } }
 */
export function redirectHop(status: number, location: unknown, hop: Hop, firstUrl: string): RedirectStep | undefined {
  if (!REDIRECT_STATUSES.has(status) || typeof location !== 'string' || location === '') return undefined;
  let target: URL;
  try {
    // `Location` arrives as Latin-1 bytes; a server sending UTF-8 meant UTF-8.
    target = new URL(Buffer.from(location, 'latin1').toString('utf8'), hop.url);
  } catch {
    return { _tag: 'Unsupported', location };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { _tag: 'Unsupported', location };
  const keepBody = status === 307 || status === 308;
  const method = keepBody || hop.method.toUpperCase() === 'HEAD' ? hop.method : 'GET';
  const from = new URL(hop.url);
  const firstHost = hostOf(firstUrl).toLowerCase();
  const toHost = target.hostname.toLowerCase();
  const keepCredentials = toHost === firstHost || toHost.endsWith(`.${firstHost}`);
  const headers: RawAxiosRequestHeaders = {};
  for (const [name, value] of Object.entries(hop.headers)) {
    const lower = name.toLowerCase();
    if (value !== false && !keepCredentials && CREDENTIAL_HEADERS.has(lower)) continue;
    if (value !== false && !keepBody && BODY_HEADERS.has(lower)) continue;
    if (lower === 'host' && target.host !== from.host) continue;
    headers[name] = value;
  }
  return { _tag: 'Follow', hop: { url: target.href, method, headers, body: keepBody ? hop.body : undefined } };
}

/** The statuses Go's `http.Client` follows. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Request headers Go drops when a redirect leaves the first request's host (and its subdomains). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2', 'proxy-authorization']);
/** Request headers that describe a body: dropped with it. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding']);
