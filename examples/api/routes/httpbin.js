/**
 * httpbin-like routes, for examples that look at the request itself.
 *
 * - `GET /health` answers `{ "status": "ok" }`.
 * - `GET /uuid` answers `{ "uuid": "…" }`: a fresh value per call, handy as a per-test key.
 * - `ANY /status/<code>` answers that status (200-599) with `{ "status": <code> }` (no body for
 *   204 and 304).
 * - `ANY /echo` answers 200 with what it received:
 *   `{ method, path, url, headers, query, body, json, form }` where `headers` uses canonical
 *   names (`Content-Type`, `X-Custom-Header`; repeated headers joined with `, `), `query` and
 *   `form` map each key to a string (or a list when the key repeats), `body` is the raw text,
 *   `json` the body parsed as JSON (or `null`), and `form` the url-encoded body (or `null` when the
 *   content type is not `application/x-www-form-urlencoded`).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { canonicalHeaderName, parseJson, sendEmpty, sendJson } from '../http-kit.js';

/**
 * @returns {import('../http-kit.js').Route[]}
 */
export function httpbinRoutes() {
  return [
    { method: 'GET', path: '/health', handle: (ctx) => sendJson(ctx.res, 200, { status: 'ok' }) },
    { method: 'GET', path: '/uuid', handle: (ctx) => sendJson(ctx.res, 200, { uuid: randomUUID() }) },
    { method: '*', path: '/status/:code', handle: status },
    { method: '*', path: '/echo', handle: echo },
  ];
}

/** @param {import('../http-kit.js').RequestContext} ctx */
function status(ctx) {
  const raw = ctx.params['code'] ?? '';
  const code = /^\d{3}$/.test(raw) ? Number(raw) : NaN;
  if (!(code >= 200 && code <= 599)) {
    sendJson(ctx.res, 400, { error: `the status code must be a number from 200 to 599, got ${JSON.stringify(raw)}` });
    return;
  }
  if (code === 204 || code === 304) sendEmpty(ctx.res, code);
  else sendJson(ctx.res, code, { status: code });
}

/** @param {import('../http-kit.js').RequestContext} ctx */
function echo(ctx) {
  const contentType = ctx.req.headers['content-type'] ?? '';
  const parsed = parseJson(ctx.body);
  const isForm = contentType.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
  sendJson(ctx.res, 200, {
    method: ctx.req.method,
    path: ctx.url.pathname,
    url: `http://${ctx.req.headers.host ?? ctx.url.host}${ctx.url.pathname}${ctx.url.search}`,
    headers: canonicalHeaders(ctx.req.rawHeaders),
    query: paramsObject(ctx.url.searchParams),
    body: ctx.body,
    json: parsed.ok && parsed.value !== undefined ? parsed.value : null,
    form: isForm ? paramsObject(new URLSearchParams(ctx.body)) : null,
  });
}

/**
 * Raw header pairs -> `{ "Content-Type": "...", ... }`, repeated names joined with `, `.
 * @param {string[]} raw
 */
function canonicalHeaders(raw) {
  /** @type {Record<string, string>} */
  const out = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = canonicalHeaderName(raw[i] ?? '');
    const value = raw[i + 1] ?? '';
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}

/**
 * `a=1&b=2&b=3` -> `{ a: "1", b: ["2", "3"] }`.
 * @param {URLSearchParams} params
 */
function paramsObject(params) {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return out;
}
