import type { Body, CheckSubject } from '../check/check-subject.js';
import type { Observable } from 'rxjs';

/**
 * The HTTP port: what the rest of rocketship-rx knows about HTTP. Nothing here depends on a
 * client library; `axios-client.ts` is one adapter, and marble specs pass a cold Observable.
 */

/**
 * One request, ready to send. Built from a step's rendered config by `buildRequest`.
 *
 * {
 *   method: 'POST', url: 'http://127.0.0.1:8080/jobs',
 *   headers: { 'Content-Type': 'application/json' }, body: '{"name":"x"}',
 *   timeoutMs: 5000,
 * }
 */
export interface HttpRequest {
  /** Upper-case method, sent as given (`GET`, `POST`, `PATCH`, ...). */
  readonly method: string;
  /** Absolute `http:` or `https:` URL. */
  readonly url: string;
  /**
   * Headers to send, names as the user wrote them. The adapter adds only `Host`, `Connection`,
   * `Content-Length` (when there is a body) and `User-Agent` (unless given here).
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Body text, sent as UTF-8 bytes. `undefined`: no body. */
  readonly body?: string;
  /**
   * Budget for the whole exchange (connect, headers and body), in ms. When it runs out the
   * request is aborted with a `TransportError` coded `ETIMEDOUT`. `undefined` or `0`: no limit.
   */
  readonly timeoutMs?: number;
  /** `true` skips TLS certificate verification for this request only. Default `false`. */
  readonly insecure?: boolean;
  /** Largest response body accepted, in bytes. Default: the client's (10 MiB for axios). */
  readonly maxBodyBytes?: number;
  /** Redirects followed before failing with `TOO_MANY_REDIRECTS`. Default 10; `0` returns the 3xx. */
  readonly maxRedirects?: number;
}

/** A response body and what checks look at: the check module owns those shapes, HTTP fills them. */
export type { Body, CheckSubject };

/**
 * Response headers with every value kept.
 *
 * headers.get('content-type')   // 'application/json' (first value)
 * headers.getAll('Set-Cookie')  // ['a=1', 'b=2']
 * headers.entries()             // [['Content-Type', 'application/json'], ['Set-Cookie', 'a=1'], ...]
 */
export interface HttpHeaders {
  /** The first value of the header, as Go's `Header.Get` (which Rocketship uses); case-insensitive. */
  get(name: string): string | undefined;
  /** Every value of the header, in the order received; case-insensitive. `[]` when absent. */
  getAll(name: string): readonly string[];
  /** Every header line as `[name, value]`, names as the server sent them, in order. */
  entries(): ReadonlyArray<readonly [string, string]>;
}

/** A response of any status: 4xx and 5xx are responses, not errors. */
export interface HttpResponse extends CheckSubject {
  readonly statusText: string;
  readonly headers: HttpHeaders;
  /** The URL that answered: the request URL, or the last one after redirects. */
  readonly url: string;
  /** Time from sending to the last body byte, in ms (wall clock, for reports only). */
  readonly durationMs: number;
}

/**
 * Sends a request. The Observable is cold (nothing is sent until subscription), emits one
 * response and completes, or errors with a {@link TransportError}. Unsubscribing aborts the
 * request in flight and closes its connection.
 */
export type HttpClient = (request: HttpRequest) => Observable<HttpResponse>;

/** What a {@link TransportError} carries. */
export interface TransportErrorInfo {
  /**
   * Why no response arrived. One of `ECONNREFUSED`, `ECONNRESET` (reset before or during the
   * response), `ETIMEDOUT` (the request's `timeoutMs` ran out), `ENOTFOUND` / `EAI_AGAIN` (DNS),
   * a TLS code such as `DEPTH_ZERO_SELF_SIGNED_CERT`, `SELF_SIGNED_CERT_IN_CHAIN`,
   * `CERT_HAS_EXPIRED` or `ERR_TLS_CERT_ALTNAME_INVALID`, `BODY_TOO_LARGE`,
   * `TOO_MANY_REDIRECTS`, `BAD_REDIRECT`, `UNEXPECTED_UPGRADE` (the server answered
   * `101 Switching Protocols`), `CONNECT_NOT_SUPPORTED` (a `CONNECT` request got an answer),
   * `EPIPE` (the connection closed while the request was written), `NO_RESPONSE` (the exchange
   * ended with neither response nor error), `ABORTED`, or another Node error code as Node names it.
   */
  readonly code: string;
  readonly method: string;
  readonly url: string;
  /** What happened, in words, without method and URL (`connection refused`). */
  readonly detail: string;
  /**
   * Set when the request that failed was reached by following redirects: `url` is then the hop
   * that failed, and this is the first request's URL and the number of redirects that led there.
   */
  readonly redirectedFrom?: { readonly url: string; readonly redirects: number };
}

/**
 * No response: the request failed below HTTP (connection, DNS, TLS, timeout, size limit), or the
 * server answered something that is not an HTTP response to it (`101 Switching Protocols`).
 * Method and URL are those of the request that failed: after a redirect, the hop's, and the
 * message says where the chain started.
 *
 * new TransportError({ code: 'ECONNREFUSED', method: 'GET', url: 'http://127.0.0.1:9/x', detail: 'connection refused' })
 *   .message  // 'GET http://127.0.0.1:9/x: connection refused (ECONNREFUSED)'
 * new TransportError({ code: 'ECONNREFUSED', method: 'GET', url: 'http://b.test/y', detail: 'connection refused',
 *   redirectedFrom: { url: 'http://a.test/x', redirects: 1 } })
 *   .message  // 'GET http://b.test/y (reached by a redirect from http://a.test/x): connection refused (ECONNREFUSED)'
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: string;
  readonly method: string;
  readonly url: string;
  readonly detail: string;
  readonly redirectedFrom: { readonly url: string; readonly redirects: number } | undefined;

  constructor(info: TransportErrorInfo, options?: { readonly cause?: unknown }) {
    const via =
      info.redirectedFrom === undefined
        ? ''
        : ` (reached by ${info.redirectedFrom.redirects === 1 ? 'a redirect' : `${info.redirectedFrom.redirects} redirects`} from ${info.redirectedFrom.url})`;
    super(`${info.method} ${info.url}${via}: ${info.detail} (${info.code})`, options);
    this.code = info.code;
    this.method = info.method;
    this.url = info.url;
    this.detail = info.detail;
    this.redirectedFrom = info.redirectedFrom;
  }
}
