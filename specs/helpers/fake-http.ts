import type { Observable } from 'rxjs';
import type { Json } from '../../lib/json.js';
import type { HttpClient, HttpHeaders, HttpRequest, HttpResponse } from '../../lib/http/http-client.js';
import { decodeSuiteText, type LoadedSuite } from '../../lib/dsl/index.js';

/**
 * A response value for marble specs: `fakeResponse(200, { status: 'done' }, { 'X-Job': 'a' })`.
 * A string body is sent as text (JSON when it parses).
 */
export function fakeResponse(status: number, body: Json | string = null, headers: Record<string, string> = {}): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let parsed: HttpResponse['body'];
  try {
    parsed = { _tag: 'Json', value: JSON.parse(text) as Json, text };
  } catch (e) {
    parsed = { _tag: 'NotJson', text, reason: (e as Error).message };
  }
  const entries = Object.entries(headers);
  const all = (name: string) => entries.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  const h: HttpHeaders = { get: (n) => all(n)[0], getAll: all, entries: () => entries };
  return { status, statusText: '', headers: h, url: 'http://fake', durationMs: 0, body: parsed, headerValues: all };
}

/** An HTTP client whose answers come from `route` (usually marble `cold(...)` Observables); records every request. */
export function fakeHttp(
  route: (request: HttpRequest, n: number) => Observable<HttpResponse>,
): HttpClient & { readonly requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const client = (request: HttpRequest) => {
    requests.push(request);
    return route(request, requests.length);
  };
  return Object.assign(client, { requests });
}

/** Decodes a suite written inline in a spec, failing the spec on errors. */
export function suite(text: string, file = '/specs/inline/rocketship.yaml'): LoadedSuite {
  const decoded = decodeSuiteText(text, file);
  if (decoded._tag === 'Left') throw new Error(decoded.left.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`).join('\n'));
  return decoded.right;
}
