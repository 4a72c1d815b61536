import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { HttpRequest } from './http-client.js';
import type { Mutable } from '../mutable.js';

/**
 * An HTTP step's `config` after every template was rendered: the `HttpConfig` of the DSL with
 * plain values (durations already in ms). `polling` and `openapi` are not part of a request.
 */
export interface RenderedHttpConfig {
  readonly method: string;
  readonly url: string;
  readonly headers?: { readonly [name: string]: string } | undefined;
  /** A string is sent as is; any other JSON value is sent as JSON. `null` means no body. */
  readonly body?: string | Json | undefined;
  /** Sent url-encoded; a list repeats the key (`tag=a&tag=b`). */
  readonly form?: { readonly [key: string]: string | readonly string[] } | undefined;
  /** Per-request budget in ms; `0` means no limit. */
  readonly timeout?: number | undefined;
  readonly insecure?: boolean | undefined;
}

/** Settings that do not come from the step. */
export interface BuildRequestOptions {
  /**
   * Per-request timeout in ms when the step sets none. Default {@link DEFAULT_REQUEST_TIMEOUT_MS},
   * so a server that never answers cannot hang a run; `0` means no limit.
   */
  readonly defaultTimeoutMs?: number | undefined;
  /** Largest response body accepted, in bytes. Default: the HTTP client's (10 MiB). */
  readonly maxBodyBytes?: number | undefined;
  /** Redirects followed. Default: the HTTP client's (10). */
  readonly maxRedirects?: number | undefined;
}

/** Per-request timeout used when neither the step nor the options set one: 30 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Turns a rendered HTTP config into the request to send, or says why it cannot be sent.
 *
 * - The method is upper-cased (`post` -> `POST`) and must be an HTTP token.
 * - The URL must be an absolute `http:` or `https:` URL; it is sent as written.
 * - Header names must be HTTP tokens, given once (case-insensitively); values must hold no
 *   control character but tab (CR or LF would split the header).
 * - `body` as a string is sent exactly as written, with no Content-Type unless a header sets
 *   one (as Rocketship does). `body` as a YAML map, list, number or boolean is sent as
 *   `JSON.stringify(body)` with `Content-Type: application/json` unless a header sets one.
 *   `body: null` sends no body.
 * - `form` is sent url-encoded (`URLSearchParams`: spaces as `+`, keys in the order written,
 *   a list repeats its key) with `Content-Type: application/x-www-form-urlencoded` exactly, no
 *   charset parameter (as Rocketship does), unless a header sets one. An empty form sends nothing,
 *   as in Rocketship.
 * - `body` and `form` together are an error.
 *
 * buildRequest({ method: 'post', url: 'https://api.test/echo', form: { foo: 'bar', tag: ['a', 'b'] } })
 * // right({ method: 'POST', url: 'https://api.test/echo', body: 'foo=bar&tag=a&tag=b',
 * //         headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, timeoutMs: 30000 })
 * buildRequest({ method: 'GET', url: '/relative' })
 * // left('invalid URL "/relative": not an absolute URL')
 */
export function buildRequest(config: RenderedHttpConfig, options: BuildRequestOptions = {}): E.Either<string, HttpRequest> {
  const method = config.method.trim().toUpperCase();
  if (!TOKEN.test(method)) return E.left(`invalid HTTP method ${JSON.stringify(config.method)}`);

  const urlError = checkUrl(config.url);
  if (urlError !== undefined) return E.left(`invalid URL ${JSON.stringify(config.url)}: ${urlError}`);

  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (!TOKEN.test(name)) return E.left(`invalid header name ${JSON.stringify(name)}`);
    if (seen.has(name.toLowerCase())) {
      return E.left(`header ${JSON.stringify(name)} is given twice (header names ignore case)`);
    }
    if (BAD_VALUE_CHAR.test(value)) {
      return E.left(`header ${JSON.stringify(name)}: the value holds a control character (such as CR or LF)`);
    }
    seen.add(name.toLowerCase());
    headers[name] = value;
  }
  const withDefaultType = (type: string): void => {
    if (!seen.has('content-type')) headers['Content-Type'] = type;
  };

  const hasBody = config.body !== undefined && config.body !== null;
  if (hasBody && config.form !== undefined) return E.left('body and form cannot be used together: give one');

  let body: string | undefined;
  if (typeof config.body === 'string') {
    body = config.body;
  } else if (hasBody) {
    try {
      body = JSON.stringify(config.body);
    } catch (e) {
      return E.left(`body cannot be sent as JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    withDefaultType('application/json');
  } else if (config.form !== undefined && Object.keys(config.form).length > 0) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(config.form)) {
      for (const item of typeof value === 'string' ? [value] : value) params.append(key, item);
    }
    body = params.toString();
    withDefaultType('application/x-www-form-urlencoded');
  }

  const timeoutMs = config.timeout ?? options.defaultTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    return E.left(`timeout must be a duration of 0 or more, got ${String(timeoutMs)} ms`);
  }

  // Set key by key, not spread: this runs on every request, mostly before V8 has optimized it,
  // where a spread is a runtime call. Keys left out are absent, not undefined.
  const request: Mutable<HttpRequest> = { method, url: config.url, headers };
  if (body !== undefined) request.body = body;
  request.timeoutMs = timeoutMs;
  if (config.insecure !== undefined) request.insecure = config.insecure;
  if (options.maxBodyBytes !== undefined) request.maxBodyBytes = options.maxBodyBytes;
  if (options.maxRedirects !== undefined) request.maxRedirects = options.maxRedirects;
  return E.right(request);
}

/** RFC 9110 token: the characters allowed in a method or a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters but horizontal tab: CR/LF/NUL would break the header block. */
// eslint-disable-next-line no-control-regex
const BAD_VALUE_CHAR = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Why a URL cannot be requested, or `undefined` when it can. */
function checkUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `the scheme must be http or https, not ${parsed.protocol.slice(0, -1)}`;
  }
  if (parsed.hostname === '') return 'no host';
  return undefined;
}
