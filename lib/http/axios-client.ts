import axios, { type AxiosResponse, type RawAxiosRequestHeaders } from 'axios';
import http from 'node:http';
import https from 'node:https';
import { Observable } from 'rxjs';
import { VERSION } from '../version.js';
import { decodeBody } from './decode-body.js';
import { headersFromEntries, headersFromRaw } from './http-headers.js';
import {
  TransportError,
  type HttpClient,
  type HttpHeaders,
  type HttpRequest,
  type HttpResponse,
} from './http-client.js';

/** Options of {@link createAxiosClient}. */
export interface AxiosClientOptions {
  /**
   * Largest response body accepted, in bytes, when a request sets no `maxBodyBytes`. A larger body
   * fails with `BODY_TOO_LARGE` as soon as the limit is passed: it is never held whole in memory.
   * Default {@link DEFAULT_MAX_BODY_BYTES} (10 MiB).
   */
  readonly maxBodyBytes?: number;
  /**
   * Reuse TCP/TLS connections between requests (HTTP keep-alive). Default `true`. Idle pooled
   * connections do not keep the process alive.
   */
  readonly keepAlive?: boolean;
  /**
   * Most connections open at once to one host (scheme, host name and port), counting those in
   * use and those idle in the pool. A request beyond the cap waits in the pool's queue for a
   * connection to come free; its `timeoutMs` counts while it waits, and unsubscribing takes it
   * out of the queue (it is never sent). The verified and the insecure (`insecure: true`) TLS
   * pools each hold to the cap. A whole number from 1, or `Infinity` for no cap. Default
   * {@link DEFAULT_MAX_SOCKETS_PER_HOST} (64).
   */
  readonly maxSocketsPerHost?: number;
  /**
   * What sends each request: an object with Node's `http.request(options, onResponse)` signature.
   * Default: Node's `http` or `https` by the URL, with this client's keep-alive agents. Only
   * tests and the startup snapshot's warm-up (`lib/cli/warm-up.ts`, which must not open sockets)
   * pass another, in memory; the `agent` it is given is an empty object.
   */
  readonly transport?: Transport;
}

/** The part of Node's `http` module that sends a request (see {@link AxiosClientOptions.transport}). */
export interface Transport {
  request(options: http.RequestOptions, onResponse: (response: http.IncomingMessage) => void): http.ClientRequest;
}

/**
 * The client {@link createAxiosClient} returns: an {@link HttpClient} that can also let go of
 * the connections it keeps.
 */
export type AxiosHttpClient = HttpClient & {
  /**
   * Destroys every idle pooled connection now (requests in flight keep theirs), so their file
   * descriptors are free at once instead of after the idle timeout. The client stays usable: a
   * later request opens a new connection. Meant for a caller about to open files near its
   * open-file limit, such as the CLI before it writes reports.
   */
  closeIdleConnections(): void;
};

/** Default cap on connections open at once to one host: 64 (see {@link AxiosClientOptions.maxSocketsPerHost}). */
export const DEFAULT_MAX_SOCKETS_PER_HOST = 64;
/** Default response body limit: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Default number of redirects followed: 10, as Go's `http.Client` (and so Rocketship). */
export const DEFAULT_MAX_REDIRECTS = 10;
/** How long an idle keep-alive socket stays in the pool, in ms. */
export const IDLE_SOCKET_MS = 4000;

/** The `User-Agent` sent unless a request sets its own. */
export const USER_AGENT = `rocketship-rx/${VERSION}`;

/**
 * The {@link HttpClient} used outside tests: Node's `http`/`https` through axios. This is the
 * only module that imports axios.
 *
 * Behaviour:
 * - Cold: nothing is sent until subscription. Unsubscribing aborts the request and destroys its
 *   connection (the server sees it close).
 * - Every status is a response (4xx/5xx included). Only transport failures error, always with a
 *   {@link TransportError} whose message names method, URL and cause, e.g.
 *   `GET http://127.0.0.1:9/x: connection refused (ECONNREFUSED)`.
 * - `timeoutMs` bounds the whole exchange (connect, headers, body): `ETIMEDOUT` when it runs out.
 * - Redirects (301, 302, 303, 307, 308 with a `Location`) are followed, up to `maxRedirects`
 *   (default 10), then `TOO_MANY_REDIRECTS`; with `maxRedirects: 0` the 3xx is the response. As
 *   in Go, 301/302/303 continue as a GET without body (a HEAD stays a HEAD), 307/308 repeat method
 *   and body, and `Authorization`/`Cookie` are dropped when the redirect leaves the first
 *   request's host and its subdomains (see {@link redirectHop}). A redirect to anything but
 *   http:/https: fails with `BAD_REDIRECT`.
 * - TLS certificates are verified; `insecure: true` uses a separate connection pool that skips
 *   verification, so an insecure request never lends its connection to a verified one.
 * - Connections are kept alive and reused; at most `maxSocketsPerHost` (default 64) are open to
 *   one host at once, further requests queue for one. `closeIdleConnections()` closes the idle ones.
 * - Proxies: `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` (and lower-case forms) from the environment are
 *   honoured, except for `localhost` and loopback addresses, which are always reached directly, as in Go.
 *
 * What goes on the wire: the request's own headers, names as written and values as UTF-8 bytes,
 * plus only `Host`, `Connection: keep-alive` (or `close` without keep-alive), `Content-Length`
 * when there is a body (also `Content-Length: 0` for a body-less POST/PUT/PATCH, as Node does) and
 * `User-Agent: rocketship-rx/<version>` unless the request has one. axios's own defaults are
 * turned off: no `Accept` (axios would send JSON, text and a wildcard), no `Accept-Encoding`, and no
 * `Content-Type` (axios would add `application/x-www-form-urlencoded` to any POST/PUT/PATCH) unless
 * the request sets them.
 *
 * What comes back: the body as the exact bytes sent (no decompression: a server that answers
 * `Content-Encoding: gzip` to a request that asked for it yields the gzip bytes, reported
 * `NotJson`), decoded by `decodeBody`; headers with every line kept (`headersFromRaw`).
 *
 * const client = createAxiosClient({ maxBodyBytes: 1024 * 1024 });
 * client({ method: 'GET', url: 'http://127.0.0.1:8080/health', headers: {}, timeoutMs: 2000 })
 *   .subscribe((r) => console.log(r.status, r.body));   // 200 { _tag: 'Json', value: { ok: true }, ... }
 */
export function createAxiosClient(options: AxiosClientOptions = {}): AxiosHttpClient {
  const keepAlive = options.keepAlive ?? true;
  const maxSockets = options.maxSocketsPerHost ?? DEFAULT_MAX_SOCKETS_PER_HOST;
  if (!(maxSockets === Infinity || (Number.isInteger(maxSockets) && maxSockets >= 1))) {
    throw new RangeError(`maxSocketsPerHost must be a whole number from 1, or Infinity; got ${String(maxSockets)}`);
  }
  const clientMaxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Idle pooled sockets are dropped after IDLE_SOCKET_MS, below the 5 s keep-alive timeout of
  // common servers (Node's included), so a poll whose interval is near that timeout does not
  // write to a socket the server is closing (a spurious ECONNRESET). Node 20's own global agent
  // uses the same settings; the timeout only destroys sockets that sit in the free pool.
  // No separate cap on idle sockets (Node's default keeps 256 and destroys the rest): between two
  // attempts every poll's socket is idle, so with more polls than that each attempt would
  // reconnect. `maxSockets` caps idle and busy sockets together per host (Node's agent counts
  // both), and queues the requests beyond it.
  // TCP keep-alive probes after 60 s idle, as axios sets on every request's socket: with Node's
  // default (1 s) the agent and axios would alternate two values, and each change is a syscall
  // (two per request); Node skips the call when the value is unchanged.
  const pool = { keepAlive, keepAliveMsecs: 60_000, timeout: IDLE_SOCKET_MS, scheduling: 'lifo', maxFreeSockets: Infinity, maxSockets } as const;
  // Made on the first request, like the https agents below: the snapshot's warm-up builds a
  // client without loading Node's http.
  let plain: http.Agent | undefined;
  const httpAgent = (): http.Agent => (plain ??= new http.Agent(pool));
  // The https agents (and with them Node's https, tls and crypto) are made on the first request
  // that needs one, so a run against http URLs only does not load them (CLI start-up).
  let secure: { readonly verified: https.Agent; readonly insecure: https.Agent } | undefined;
  const httpsAgentFor = (insecure: boolean): https.Agent => {
    secure ??= { verified: new https.Agent(pool), insecure: new https.Agent({ ...pool, rejectUnauthorized: false }) };
    return insecure ? secure.insecure : secure.verified;
  };

  // Everything that is the same for every request is set once on the instance, so that axios's
  // per-request config merge has few keys to visit. Redirects are followed here, not by axios
  // (`maxRedirects: 0` makes axios use Node's http/https directly instead of follow-redirects,
  // about a fifth of its cost per request), so each hop gets its own agent, proxy decision and
  // Go's rules for method, body and credentials.
  const instance = axios.create({
    adapter: 'http',
    maxRedirects: 0,
    // Identity transforms: axios neither serialises the body nor parses the response.
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    responseType: 'arraybuffer',
    decompress: false,
    validateStatus: () => true,
  });
  // Drop axios's default headers (`Accept`, and `Content-Type` per method) so only what the user
  // asked for goes out.
  instance.defaults.headers = {} as typeof instance.defaults.headers;

  const client: HttpClient = (request) =>
    new Observable<HttpResponse>((subscriber) => {
      const controller = new AbortController();
      const maxBodyBytes = request.maxBodyBytes ?? clientMaxBodyBytes;
      const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
      const insecure = request.insecure === true;
      let timedOut = false;
      let settled = false;
      const started = performance.now();
      const timer =
        request.timeoutMs !== undefined && request.timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              controller.abort();
            }, Math.min(request.timeoutMs, MAX_TIMER_MS))
          : undefined;
      const fail = (error: unknown): void => {
        settled = true;
        clearTimeout(timer);
        subscriber.error(error instanceof TransportError ? error : toTransportError(error, request, { timedOut, maxBodyBytes }));
      };

      const send = (hop: Hop, redirects: number): void => {
        const secure = isHttps(hop.url);
        instance
          .request<Buffer>({
            url: hop.url,
            method: hop.method,
            headers: hop.headers,
            data: hop.body,
            maxContentLength: maxBodyBytes,
            ...(options.transport !== undefined
              ? // axios's proxy logic reads an agent, else takes Node's global one (loading
                // node:http, which the snapshot's warm-up must not): the transport gets this one.
                { transport: options.transport, httpAgent: TRANSPORT_AGENT, httpsAgent: TRANSPORT_AGENT }
              : secure
                ? { httpsAgent: httpsAgentFor(insecure) }
                : { httpAgent: httpAgent() }),
            // As Go's ProxyFromEnvironment: loopback is never proxied.
            ...(isLoopback(hop.url) ? { proxy: false as const } : {}),
            signal: controller.signal,
          })
          .then((response) => {
            if (maxRedirects > 0) {
              const next = redirectHop(response.status, response.headers.location, hop, request.url);
              if (next !== undefined) {
                if (redirects >= maxRedirects) {
                  fail(redirectError(request, 'TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects (a redirect loop?)`));
                } else if (next._tag === 'Unsupported') {
                  fail(redirectError(request, 'BAD_REDIRECT', `redirected to ${JSON.stringify(next.location)}, which is not an http: or https: URL`));
                } else {
                  send(next.hop, redirects + 1);
                }
                return;
              }
            }
            settled = true;
            clearTimeout(timer);
            let result: HttpResponse;
            try {
              result = toHttpResponse(response, hop.url, performance.now() - started);
            } catch (error) {
              fail(error);
              return;
            }
            subscriber.next(result);
            subscriber.complete();
          }, fail);
      };
      send(
        {
          url: request.url,
          method: request.method,
          headers: wireHeaders(request, keepAlive),
          body: request.body === undefined ? undefined : Buffer.from(request.body, 'utf8'),
        },
        0,
      );

      return () => {
        clearTimeout(timer);
        // After an unsubscription axios rejects with a cancellation nobody listens to: that is fine.
        if (!settled) controller.abort();
      };
    });
  const closeIdleConnections = (): void => {
    for (const agent of [plain, secure?.verified, secure?.insecure]) {
      if (agent === undefined) continue;
      // Destroying a socket takes it out of the pool (the agent listens for its 'close').
      for (const sockets of Object.values(agent.freeSockets)) for (const socket of [...(sockets ?? [])]) socket.destroy();
    }
  };
  return Object.assign(client, { closeIdleConnections });
}

/** The agent a caller's transport is given: none of its own (see {@link AxiosClientOptions.transport}). */
const TRANSPORT_AGENT = {} as http.Agent;

/** One request of a chain of redirects. */
interface Hop {
  readonly url: string;
  readonly method: string;
  readonly headers: RawAxiosRequestHeaders;
  readonly body: Buffer | undefined;
}

/** The statuses Go's `http.Client` follows. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Request headers Go drops when a redirect leaves the first request's host (and its subdomains). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2', 'proxy-authorization']);
/** Request headers that describe a body: dropped with it. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding']);

/**
 * The next request after a response, by Go's `http.Client` rules, or `undefined` when the response
 * is not a redirect to follow (not 301/302/303/307/308, or without `Location`):
 * - 301, 302 and 303 continue as a GET without body (a HEAD stays a HEAD); 307 and 308 repeat the
 *   method and the body;
 * - `Authorization`, `Cookie` (and the like) are dropped when the new host is neither the first
 *   request's host nor one of its subdomains, and `Host` when the host changes.
 * Exported for specs.
 *
 * redirectHop(302, '/b', { url: 'http://a.test/x', method: 'POST', headers: {}, body: Buffer.from('d') }, 'http://a.test/x')
 * // { _tag: 'Follow', hop: { url: 'http://a.test/b', method: 'GET', headers: {}, body: undefined } }
 */
export function redirectHop(
  status: number,
  location: unknown,
  hop: Hop,
  firstUrl: string,
): { readonly _tag: 'Follow'; readonly hop: Hop } | { readonly _tag: 'Unsupported'; readonly location: string } | undefined {
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

function redirectError(request: Pick<HttpRequest, 'method' | 'url'>, code: string, detail: string): TransportError {
  return new TransportError({ code, method: request.method, url: request.url, detail });
}

/** What {@link toTransportError} needs to know beyond the error itself. */
export interface TransportErrorContext {
  /** The request's own timer aborted it. */
  readonly timedOut: boolean;
  readonly maxBodyBytes: number;
}

/**
 * Maps whatever axios or Node rejected with to a {@link TransportError} with a stable code and a
 * message a user can act on. Exported for specs; callers use the client.
 *
 * toTransportError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' },
 *   { method: 'GET', url: 'http://127.0.0.1:9/' }, { timedOut: false, maxBodyBytes: 1 }).message
 * // 'GET http://127.0.0.1:9/: connection refused (ECONNREFUSED)'
 */
export function toTransportError(
  error: unknown,
  request: Pick<HttpRequest, 'method' | 'url' | 'timeoutMs'>,
  context: TransportErrorContext,
): TransportError {
  const make = (code: string, detail: string): TransportError =>
    new TransportError({ code, method: request.method, url: request.url, detail }, { cause: safeCause(error) });
  const { code, message, cause, hasResponse } = describe(error);
  const causeCode = cause?.code;

  if (context.timedOut) {
    return make('ETIMEDOUT', `no complete response within ${String(request.timeoutMs)} ms`);
  }
  if (code === 'ERR_BAD_RESPONSE' && message.startsWith('maxContentLength')) {
    return make('BODY_TOO_LARGE', `response body is larger than the limit of ${formatBytes(context.maxBodyBytes)}`);
  }
  if (code === 'ERR_CANCELED') return make('ABORTED', 'request aborted');
  const effective = code === undefined || code.startsWith('ERR_BAD_') ? (causeCode ?? code) : code;
  if (
    (effective === 'ERR_BAD_RESPONSE' && message === 'stream has been aborted') ||
    (effective === 'ECONNRESET' && hasResponse)
  ) {
    return make('ECONNRESET', 'connection closed by the server in the middle of the response body');
  }
  switch (effective) {
    case 'ECONNRESET':
      return make('ECONNRESET', 'connection closed by the server before the response headers');
    case 'ECONNREFUSED':
      return make('ECONNREFUSED', 'connection refused');
    case 'ENOTFOUND':
      return make('ENOTFOUND', `host name ${JSON.stringify(hostOf(request.url))} does not resolve`);
    case 'EAI_AGAIN':
      return make('EAI_AGAIN', `DNS lookup of ${JSON.stringify(hostOf(request.url))} failed, try again later`);
    case 'ETIMEDOUT':
      return make('ETIMEDOUT', `connection timed out (${message})`);
    case 'EPROTO':
      return make('EPROTO', `TLS handshake failed (${message})`);
    case undefined:
      return make('UNKNOWN', message);
    default:
      if (TLS_CERT_CODE.test(effective)) {
        return make(effective, `TLS certificate rejected: ${message}; \`insecure: true\` skips verification`);
      }
      return make(effective, message);
  }
}

/** Node/OpenSSL codes of certificate verification failures. */
const TLS_CERT_CODE = /CERT|SELF_SIGNED|^ERR_TLS_|^ERR_SSL_|HOSTNAME_MISMATCH|UNABLE_TO_VERIFY/;
/** Node's largest timer delay; longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The response as the port describes it. */
function toHttpResponse(response: AxiosResponse<Buffer>, url: string, durationMs: number): HttpResponse {
  // Node's response: it has every header line (`rawHeaders`).
  const native = (response.request as { res?: { rawHeaders?: string[] } } | undefined)?.res;
  const headers: HttpHeaders =
    native?.rawHeaders !== undefined ? headersFromRaw(native.rawHeaders) : headersFromAxios(response.headers);
  const data: unknown = response.data;
  const bytes = Buffer.isBuffer(data) ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array();
  return {
    status: response.status,
    statusText: response.statusText ?? '',
    headers,
    headerValues: (name) => headers.getAll(name),
    body: decodeBody(bytes),
    url,
    durationMs,
  };
}

/** Fallback when the native response is not reachable: axios's merged header object. */
function headersFromAxios(headers: AxiosResponse['headers']): HttpHeaders {
  const lines: Array<readonly [string, string]> = [];
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) if (v !== undefined && v !== null) lines.push([name, String(v)]);
  }
  return headersFromEntries(lines);
}

/**
 * The header object given to axios: the request's headers with values as UTF-8 bytes (Node sends
 * header strings as Latin-1), our User-Agent unless one is set, `Connection: close` without
 * keep-alive unless the request sets `Connection`, and `false` for the defaults axios would
 * otherwise add (`false` tells axios "leave this header out").
 */
function wireHeaders(request: HttpRequest, keepAlive: boolean): RawAxiosRequestHeaders {
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

interface ErrorShape {
  readonly code: string | undefined;
  readonly message: string;
  readonly cause: { readonly code: string | undefined } | undefined;
  /** Headers had arrived when it failed (axios attaches the response). */
  readonly hasResponse: boolean;
}

/** Reads the fields we use from an AxiosError, a Node system error, or anything else. */
function describe(error: unknown): ErrorShape {
  if (typeof error !== 'object' || error === null) {
    return { code: undefined, message: String(error), cause: undefined, hasResponse: false };
  }
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; response?: unknown };
  const cause =
    typeof e.cause === 'object' && e.cause !== null
      ? { code: stringOrUndefined((e.cause as { code?: unknown }).code) }
      : undefined;
  return {
    code: stringOrUndefined(e.code),
    message: typeof e.message === 'string' ? e.message : String(error),
    cause,
    hasResponse: e.response !== undefined && e.response !== null,
  };
}

/**
 * The cause to attach: the underlying Node error, never an AxiosError, which carries the request
 * config (headers such as Authorization) and would put secrets in any report that prints causes.
 */
function safeCause(error: unknown): unknown {
  const carriesConfig = (e: unknown): boolean => typeof e === 'object' && e !== null && 'config' in e;
  if (error instanceof Error && !carriesConfig(error)) return error;
  const inner = (error as { cause?: unknown } | null)?.cause;
  if (inner instanceof Error && !carriesConfig(inner)) return inner;
  const { code, message } = describe(error);
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isHttps(url: string): boolean {
  return /^https:/i.test(url);
}

/** `localhost`, 127.0.0.0/8 or ::1: the hosts Go never sends through a proxy. */
function isLoopback(url: string): boolean {
  const host = hostOf(url).toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** `10485760` -> `10 MiB`, `1500` -> `1500 bytes`. */
function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
