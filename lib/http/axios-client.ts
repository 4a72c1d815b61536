import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import type http from 'node:http';
import { Observable } from 'rxjs';
import { AbortLatch } from './abort-latch.js';
import { createAgents, type Agents } from './agents.js';
import { createByteBudget, DEFAULT_MAX_BUFFERED_BYTES, type ByteBudget } from './byte-budget.js';
import { traceExchange, type ExchangeTrace, type Transport } from './exchange-trace.js';
import { hostOf } from './host-of.js';
import type { HttpClient, HttpResponse, TransportError } from './http-client.js';
import { nodeAdapter } from './node-adapter.js';
import { NODE_TRANSPORT } from './node-transport.js';
import { DEFAULT_MAX_REDIRECTS, redirectHop, type Hop } from './redirect-hop.js';
import { isIdempotent, isStaleConnectionFailure } from './stale-connection.js';
import { toHttpResponse } from './to-http-response.js';
import { brokenExchangeError, toTransportError, transportError, type HopContext } from './to-transport-error.js';
import { wireHeaders } from './wire-headers.js';

/** Options of {@link createAxiosClient}. */
export interface AxiosClientOptions {
  /**
   * Largest response body accepted, in bytes, when a request sets no `maxBodyBytes`. A larger body
   * fails with `BODY_TOO_LARGE` as soon as the limit is passed: it is never held whole in memory.
   * Default {@link DEFAULT_MAX_BODY_BYTES} (10 MiB).
   */
  readonly maxBodyBytes?: number | undefined;
  /**
   * Reuse TCP/TLS connections between requests (HTTP keep-alive). Default `true`. Idle pooled
   * connections do not keep the process alive.
   */
  readonly keepAlive?: boolean | undefined;
  /**
   * Most connections open at once to one host (scheme, host name and port), counting those in
   * use and those idle in the pool. A request beyond the cap waits in the pool's queue for a
   * connection to come free; its `timeoutMs` counts while it waits, and unsubscribing takes it
   * out of the queue (it is never sent). The verified and the insecure (`insecure: true`) TLS
   * pools each hold to the cap. A whole number from 1, or `Infinity` for no cap. Default
   * {@link DEFAULT_MAX_SOCKETS_PER_HOST} (64).
   */
  readonly maxSocketsPerHost?: number | undefined;
  /**
   * Most bytes of response bodies read at once, across every request in flight (see
   * `createByteBudget`): beyond it, bodies wait to be read (their connections paused) until
   * others are done, the one that started first always going on. Their `timeoutMs` counts while
   * they wait. Default {@link DEFAULT_MAX_BUFFERED_BYTES} (50 MiB).
   */
  readonly maxBufferedBytes?: number | undefined;
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
  /** The budget of response bytes read at once (see {@link AxiosClientOptions.maxBufferedBytes}): what it holds now and at most. */
  readonly responseBudget: Pick<ByteBudget, 'used' | 'peak' | 'limit'>;
};

export { DEFAULT_MAX_BUFFERED_BYTES } from './byte-budget.js';

/** axios defaults our client does without (see `axiosClientOver`). */
const UNUSED_DEFAULTS = ['xsrfCookieName', 'xsrfHeaderName', 'env', 'timeout', 'maxBodyLength', 'transitional'] as const;

/** Default cap on connections open at once to one host: 64 (see {@link AxiosClientOptions.maxSocketsPerHost}). */
export const DEFAULT_MAX_SOCKETS_PER_HOST = 64;
/** Default response body limit: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The {@link HttpClient} used outside tests: Node's `http`/`https` through axios. This is the
 * only module that calls axios (its neighbours in `lib/http/` use its types only).
 *
 * Behaviour:
 * - Cold: nothing is sent until subscription. Unsubscribing aborts the request and destroys its
 *   connection (the server sees it close).
 * - Every final status is a response (4xx/5xx included). Only transport failures error, always
 *   with a {@link TransportError} whose message names method, URL and cause, e.g.
 *   `GET http://127.0.0.1:9/x: connection refused (ECONNREFUSED)`. A connection the server closes
 *   is described by how far the exchange got (`while connecting`, `before the response headers`,
 *   `after 100 Continue ..., before the final response`, `in the middle of the response body`).
 *   After a redirect the error names the hop that failed and where the chain started:
 *   `GET http://b/y (reached by a redirect from http://a/x): connection refused (ECONNREFUSED)`.
 * - `timeoutMs` bounds the whole exchange (waiting for a pooled connection, connect, headers,
 *   body, redirects and a retry): `ETIMEDOUT` when it runs out.
 * - Informational responses (1xx) before the final one are read past, as RFC 9110 asks: after a
 *   `100 Continue` or `103 Early Hints` the final response is the response. A `101 Switching
 *   Protocols` fails at once with `UNEXPECTED_UPGRADE` (rocketship does not follow protocol
 *   upgrades; Node would leave the request hanging), and so does any answer to a `CONNECT`
 *   (`CONNECT_NOT_SUPPORTED`); their connection is closed.
 * - The keep-alive race: when a connection reused from the pool fails before any byte of the
 *   response arrived (`ECONNRESET`/`EPIPE`: the server closed it as idle just as the request went
 *   out), a GET, HEAD, OPTIONS, TRACE, PUT or DELETE is sent once more on a new connection, within
 *   the same `timeoutMs` and cancelled by unsubscription like the first; POST and PATCH are not
 *   (the error says the request may have reached the server). See `IDEMPOTENT_METHODS`.
 *   A server's `Keep-Alive: timeout=N` is honoured: its idle connections are dropped a second
 *   before N (see `honourKeepAliveTimeout`).
 * - Redirects (301, 302, 303, 307, 308 with a `Location`) are followed, up to `maxRedirects`
 *   (default 10), then `TOO_MANY_REDIRECTS`; with `maxRedirects: 0` the 3xx is the response. As
 *   in Go, 301/302/303 continue as a GET without body (a HEAD stays a HEAD), 307/308 repeat method
 *   and body, and `Authorization`/`Cookie` are dropped when the redirect leaves the first
 *   request's host and its subdomains (see `redirectHop`). A redirect to anything but
 *   http:/https: fails with `BAD_REDIRECT`.
 * - TLS certificates are verified; `insecure: true` uses a separate connection pool that skips
 *   verification, so an insecure request never lends its connection to a verified one.
 * - Connections are kept alive and reused (see `createAgents`); at most `maxSocketsPerHost`
 *   (default 64) are open to one host at once, further requests queue for one.
 *   `closeIdleConnections()` closes the idle ones.
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
  return axiosClientOver({ transport: NODE_TRANSPORT, agents: createAgents({ keepAlive, maxSockets }) }, options);
}

/** What an {@link axiosClientOver} client sends its requests through. */
export interface Connections {
  /** Sends each hop (Node's `http.request` signature). */
  readonly transport: Transport;
  /** The pools the transport's requests go through; `undefined` for a transport that needs none. */
  readonly agents: Agents | undefined;
}

/**
 * {@link createAxiosClient}'s client over any transport: axios, our `nodeAdapter` and everything
 * this module does around them (redirects, retries, timeouts, the body budget), with requests
 * handed to `connections.transport` instead of Node's `http.request`.
 *
 * Internal: not exported by `lib/index.ts`. Its one other user is the warm-up of the CLI's code
 * cache (`scripts/warm-up.ts`), which runs the real client over an in-memory transport so that the
 * cache is built without a socket; tests use a real local server instead.
 *
 * axiosClientOver({ transport: inMemory, agents: undefined }, {})   // a client that never opens a socket
 */
export function axiosClientOver(connections: Connections, options: AxiosClientOptions): AxiosHttpClient {
  const keepAlive = options.keepAlive ?? true;
  const agents = connections.agents;
  const clientMaxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const budget = createByteBudget(options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);

  // Everything that is the same for every request is set once on the instance, so that axios's
  // per-request config merge has few keys to visit. Requests go through `nodeAdapter` (our own
  // adapter over Node's http/https: what axios's Node adapter does for us, at about 60-65% of its
  // CPU per request), except those a proxy from the environment may apply to, which it hands to
  // axios's. Redirects are followed here, not by axios (`maxRedirects: 0`: the proxied path then
  // uses Node's http/https directly instead of follow-redirects), so each hop gets its own agent,
  // proxy decision and Go's rules for method, body and credentials (see `redirectHop`).
  const instance = axios.create({
    adapter: nodeAdapter,
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
  // Drop the defaults that mean nothing here, each the same as absent for both adapters: browser
  // XSRF, the browser classes (`env`), no timeout (`timeout: 0`: ours runs in this module), no
  // body limit (`maxBodyLength: -1`), and the `transitional` options, whose defaults apply when
  // absent. axios merges every default into a fresh null-prototype object per request (a
  // dictionary), and checks `transitional` each time: the fewer keys, the less of both.
  for (const key of UNUSED_DEFAULTS) delete (instance.defaults as Record<string, unknown>)[key];

  const client: HttpClient = (request) =>
    new Observable<HttpResponse>((subscriber) => {
      const controller = new AbortLatch();
      const maxBodyBytes = request.maxBodyBytes ?? clientMaxBodyBytes;
      const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
      const insecure = request.insecure === true;
      let timedOut = false;
      let settled = false;
      // The trace of the exchange in flight: a failure reported by an earlier one is stale.
      let current: ExchangeTrace | undefined;
      // Lets go of the budget held by the body of the exchange in flight (see `budget`).
      let releaseCurrent = (): void => undefined;
      const started = monotonicMs();
      const timer =
        request.timeoutMs !== undefined && request.timeoutMs > 0
          ? setTimeout(
              () => {
                timedOut = true;
                controller.abort();
              },
              Math.min(request.timeoutMs, MAX_TIMER_MS),
            )
          : undefined;
      const fail = (error: TransportError): void => {
        settled = true;
        clearTimeout(timer);
        subscriber.error(error);
      };

      /** Sends one hop; `retried` when this is the one retry of a hop on a fresh connection. */
      const send = (hop: Hop, redirects: number, retried: boolean): void => {
        const secure = isHttps(hop.url);
        const agent = agents?.agentFor(hop.url, insecure);
        // Objects written out, not spread, here and in the config below: this runs on every
        // request, mostly before V8 has optimized it, where a spread is a runtime call.
        const where: HopContext =
          redirects > 0
            ? { method: hop.method, url: hop.url, timeoutMs: request.timeoutMs, redirectedFrom: { url: request.url, redirects } }
            : { method: hop.method, url: hop.url, timeoutMs: request.timeoutMs };
        const { transport, trace } = traceExchange(connections.transport, {
          agent,
          onKeepAliveHint: agents?.onKeepAliveHint,
          onBreak: (why) => {
            if (settled || trace !== current) return;
            fail(brokenExchangeError(why, where, trace));
            // axios never settles such a request: abort it so that it lets go of it.
            controller.abort();
          },
        });
        current = trace;
        // Every body read counts against the client's budget until it has been handed on (decoded,
        // and judged by the subscriber, which happens synchronously in `next`) or given up.
        let releaseBody = (): void => undefined;
        releaseCurrent = () => releaseBody();
        const budgeted: Transport = {
          request: (opts, deliver) =>
            transport.request(opts, (res) => {
              releaseBody = budget.track(res);
              deliver(res);
            }),
        };
        const config: AxiosRequestConfig<Buffer | undefined> = {
          url: hop.url,
          method: hop.method,
          headers: hop.headers,
          data: hop.body,
          maxContentLength: maxBodyBytes,
          transport: budgeted,
          signal: controller,
        };
        // axios's proxy logic reads an agent, else takes Node's global one (and its sockets,
        // which the code cache's warm-up must not open): a transport without agents gets an empty one.
        if (agent === undefined) {
          config.httpAgent = TRANSPORT_AGENT;
          config.httpsAgent = TRANSPORT_AGENT;
        } else if (secure) config.httpsAgent = agent;
        else config.httpAgent = agent;
        // As Go's ProxyFromEnvironment: loopback is never proxied.
        if (isLoopback(hop.url)) config.proxy = false;
        instance.request<Buffer>(config).then(
          (response) => {
            try {
              onResponse(response);
            } finally {
              releaseBody();
            }
          },
          (error: unknown) => {
            releaseBody();
            onError(error);
          },
        );

        function onResponse(response: AxiosResponse<Buffer>): void {
          if (settled || trace !== current) return;
          if (maxRedirects > 0) {
            const next = redirectHop(response.status, response.headers.location, hop, request.url);
            if (next !== undefined) {
              if (redirects >= maxRedirects) {
                fail(transportError(request, 'TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects (a redirect loop?)`));
              } else if (next._tag === 'Unsupported') {
                fail(
                  transportError(
                    where,
                    'BAD_REDIRECT',
                    `redirected to ${JSON.stringify(next.location)}, which is not an http: or https: URL`,
                  ),
                );
              } else {
                send(next.hop, redirects + 1, false);
              }
              return;
            }
          }
          settled = true;
          clearTimeout(timer);
          let result: HttpResponse;
          try {
            result = toHttpResponse(response, hop.url, monotonicMs() - started);
          } catch (error) {
            fail(toTransportError(error, where, { timedOut, maxBodyBytes, trace }));
            return;
          } finally {
            // The body now lives in `result` only: whatever still holds axios's response object
            // (its request, the socket it came on) must not hold the bytes too.
            (response as { data?: unknown }).data = undefined;
          }
          subscriber.next(result);
          subscriber.complete();
        }

        function onError(error: unknown): void {
          if (settled || trace !== current) return;
          const stale = !timedOut && isStaleConnectionFailure(error, trace);
          if (stale && !retried && isIdempotent(hop.method)) {
            // The pool hands out its most recently used connection first: every other idle one
            // to this server has been idle at least as long as the one the server just closed.
            trace.evictIdleSiblings();
            send(hop, redirects, true);
            return;
          }
          fail(toTransportError(error, where, { timedOut, maxBodyBytes, trace, notRetried: stale && !retried }));
        }
      };
      send(
        {
          url: request.url,
          method: request.method,
          headers: wireHeaders(request, keepAlive),
          body: request.body === undefined ? undefined : Buffer.from(request.body, 'utf8'),
        },
        0,
        false,
      );

      return () => {
        clearTimeout(timer);
        // After an unsubscription axios rejects with a cancellation nobody listens to: that is fine.
        if (!settled) controller.abort();
        settled = true;
        releaseCurrent();
      };
    });
  return Object.assign(client, { closeIdleConnections: () => agents?.closeIdleConnections(), responseBudget: budget });
}

/** Node's largest timer delay; longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The agent a transport without agents is given: none of its own (see {@link Connections.agents}). */
const TRANSPORT_AGENT = {} as http.Agent;

function isHttps(url: string): boolean {
  return /^https:/i.test(url);
}

/** `localhost`, 127.0.0.0/8 or ::1: the hosts Go never sends through a proxy. */
function isLoopback(url: string): boolean {
  const host = hostOf(url).toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * A monotonic clock in ms, as `performance.now()` measures it, without touching the global
 * `performance`: its first use loads Node's perf_hooks (about 0.8 ms of the CLI's start).
 */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
