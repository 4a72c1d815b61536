import type { AxiosResponse } from 'axios';
import { decodeBody } from './decode-body.js';
import type { HttpHeaders, HttpResponse } from './http-client.js';
import { headersFromEntries, headersFromRaw } from './http-headers.js';

/**
 * An axios response as the port describes it: headers with every line kept (from Node's
 * `rawHeaders`, else axios's merged object), the body's exact bytes decoded by `decodeBody`, the
 * URL that answered and how long the exchange took.
 *
 * toHttpResponse(response, 'http://127.0.0.1:8080/health', 12.5)
 * // { status: 200, statusText: 'OK', headers, headerValues, body: { _tag: 'Json', ... }, url, durationMs: 12.5 }
 */
export function toHttpResponse(response: AxiosResponse<Buffer>, url: string, durationMs: number): HttpResponse {
  // Node's response: it has every header line (`rawHeaders`).
  const native = (response.request as { res?: { rawHeaders?: string[] } } | undefined)?.res;
  const headers: HttpHeaders = native?.rawHeaders !== undefined ? headersFromRaw(native.rawHeaders) : headersFromAxios(response.headers);
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
