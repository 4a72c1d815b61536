import type { ExchangeBreak, ExchangePhase, ExchangeTrace } from './exchange-trace.js';
import { hostOf } from './host-of.js';
import { TransportError } from './http-client.js';

/**
 * Which request failed: the hop's method and URL (after a redirect, not the first request's),
 * the request's timeout, and, after redirects, where the chain started.
 */
export interface HopContext {
  readonly method: string;
  readonly url: string;
  readonly timeoutMs?: number | undefined;
  /** Set when the hop was reached by redirects: the first request's URL and how many redirects led here. */
  readonly redirectedFrom?: { readonly url: string; readonly redirects: number };
}

/** What {@link toTransportError} needs to know beyond the error itself. */
export interface TransportErrorContext {
  /** The request's own timer aborted it. */
  readonly timedOut: boolean;
  readonly maxBodyBytes: number;
  /** What the exchange got to before it failed; without it the phase is guessed from the error. */
  readonly trace?: ExchangeTrace;
  /** The failure was the keep-alive race on a reused connection, and the method is not retried. */
  readonly notRetried?: boolean;
}

/**
 * Maps whatever axios or Node rejected with to a {@link TransportError} with a stable code and a
 * message a user can act on, naming the hop that failed. A connection closed by the server is
 * described by the phase the exchange's trace reached (while connecting, while sending, before
 * the response headers, after a 1xx, in the middle of the response body, ...).
 *
 * toTransportError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' },
 *   { method: 'GET', url: 'http://127.0.0.1:9/' }, { timedOut: false, maxBodyBytes: 1 }).message
 * // 'GET http://127.0.0.1:9/: connection refused (ECONNREFUSED)'
 */
export function toTransportError(error: unknown, where: HopContext, context: TransportErrorContext): TransportError {
  const make = (code: string, detail: string): TransportError => transportError(where, code, detail, safeCause(error));
  const { code, message, hasResponse } = describe(error);
  const trace = context.trace;

  if (context.timedOut) {
    return make('ETIMEDOUT', `no complete response within ${String(where.timeoutMs)} ms${trace === undefined ? '' : stillWaiting(trace)}`);
  }
  if (code === 'ERR_BAD_RESPONSE' && message.startsWith('maxContentLength')) {
    return make('BODY_TOO_LARGE', `response body is larger than the limit of ${formatBytes(context.maxBodyBytes)}`);
  }
  if (code === 'ERR_CANCELED') return make('ABORTED', 'request aborted');
  const effective = effectiveErrorCode(error);
  const aborted = effective === 'ERR_BAD_RESPONSE' && message === 'stream has been aborted';
  if (aborted || effective === 'ECONNRESET' || effective === 'EPIPE') {
    if (trace === undefined) {
      // No trace (a caller's own use): the best guess axios's error allows.
      return make(
        'ECONNRESET',
        aborted || hasResponse
          ? 'connection closed by the server in the middle of the response body'
          : 'connection closed by the server before the response headers',
      );
    }
    const reused =
      trace.reusedConnection && trace.responseBytes === 0 ? ' (on a reused keep-alive connection the server may have closed as idle)' : '';
    const notRetried =
      context.notRetried === true ? `; the request may have reached the server, so ${where.method.toUpperCase()} is not retried` : '';
    return make(aborted ? 'ECONNRESET' : effective, `${closedDuring(trace)}${reused}${notRetried}`);
  }
  switch (effective) {
    case 'ECONNREFUSED':
      return make('ECONNREFUSED', 'connection refused');
    case 'ENOTFOUND':
      return make('ENOTFOUND', `host name ${JSON.stringify(hostOf(where.url))} does not resolve`);
    case 'EAI_AGAIN':
      return make('EAI_AGAIN', `DNS lookup of ${JSON.stringify(hostOf(where.url))} failed, try again later`);
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

/**
 * The error for an exchange that broke in a way Node reports as neither error nor response (see
 * `ExchangeBreak`): `UNEXPECTED_UPGRADE`, `CONNECT_NOT_SUPPORTED` or `NO_RESPONSE`.
 */
export function brokenExchangeError(why: ExchangeBreak, where: HopContext, trace: ExchangeTrace): TransportError {
  if (why._tag === 'Upgrade') {
    const upgrade = why.upgrade === undefined ? '' : `, Upgrade: ${why.upgrade}`;
    return transportError(
      where,
      'UNEXPECTED_UPGRADE',
      `the server switched protocols (${why.statusLine}${upgrade}); rocketship does not follow protocol upgrades`,
    );
  }
  if (why._tag === 'Tunnel') {
    return transportError(
      where,
      'CONNECT_NOT_SUPPORTED',
      `the server answered ${why.statusLine}; a CONNECT request opens a tunnel, which rocketship does not use`,
    );
  }
  return transportError(where, 'NO_RESPONSE', `the exchange ended without a response or an error (it had got ${PHASE_WORDS[trace.phase]})`);
}

/**
 * A {@link TransportError} for the hop `where`, with a code and the detail after the method and URL.
 *
 * transportError({ method: 'GET', url: 'http://a/x' }, 'TOO_MANY_REDIRECTS', 'more than 10 redirects (a redirect loop?)')
 */
export function transportError(where: HopContext, code: string, detail: string, cause?: unknown): TransportError {
  return new TransportError(
    {
      code,
      method: where.method,
      url: where.url,
      detail,
      ...(where.redirectedFrom === undefined ? {} : { redirectedFrom: where.redirectedFrom }),
    },
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The code that says what went wrong: the error's own, or, when it has none or only axios's
 * generic `ERR_BAD_*`, its cause's (the Node error axios wrapped).
 *
 * effectiveErrorCode({ code: 'ERR_BAD_RESPONSE', cause: { code: 'ECONNRESET' } })   // 'ECONNRESET'
 */
export function effectiveErrorCode(error: unknown): string | undefined {
  const { code, cause } = describe(error);
  return code === undefined || code.startsWith('ERR_BAD_') ? (cause?.code ?? code) : code;
}

/** How far an exchange got, in words. */
const PHASE_WORDS: Readonly<Record<ExchangePhase, string>> = {
  Connecting: 'no connection yet',
  Sending: 'as far as sending the request',
  Sent: 'as far as sending the request, and no response',
  Head: 'part of the response head',
  Body: 'the response headers',
};

/** Node/OpenSSL codes of certificate verification failures. */
const TLS_CERT_CODE = /CERT|SELF_SIGNED|^ERR_TLS_|^ERR_SSL_|HOSTNAME_MISMATCH|UNABLE_TO_VERIFY/;

/** `connection closed by the server ...`, by how far the exchange got. */
function closedDuring(trace: ExchangeTrace): string {
  const closed = 'connection closed by the server';
  switch (trace.phase) {
    case 'Connecting':
      return `${closed} while connecting`;
    case 'Sending':
      return `${closed} while the request was being sent`;
    case 'Sent':
      return `${closed} before the response headers`;
    case 'Head':
      return trace.informational === undefined
        ? `${closed} in the middle of the response headers`
        : `${closed} after ${informationalText(trace.informational)}, before the final response`;
    case 'Body':
      return trace.bodyBytes === 0
        ? `${closed} after the response headers, before the body`
        : `${closed} in the middle of the response body`;
  }
}

/** What the exchange was still waiting for when its time ran out, when that is worth saying. */
function stillWaiting(trace: ExchangeTrace): string {
  if (trace.isQueued()) {
    return `; it was still waiting for a free connection (this client opens at most ${String(trace.connectionCap)} to one host at once)`;
  }
  if (trace.phase === 'Head' && trace.informational !== undefined) {
    return `; the server sent only ${informationalText(trace.informational)}, no final response`;
  }
  return '';
}

/** `100 Continue (an informational response)`, or `103 Early Hints and 4 more informational responses`. */
function informationalText(informational: NonNullable<ExchangeTrace['informational']>): string {
  return informational.count === 1
    ? `${informational.first} (an informational response)`
    : `${informational.first} and ${informational.count - 1} more informational responses`;
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
    typeof e.cause === 'object' && e.cause !== null ? { code: stringOrUndefined((e.cause as { code?: unknown }).code) } : undefined;
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

/** `10485760` -> `10 MiB`, `1500` -> `1500 bytes`. */
function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
