import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
/**
 * Small helpers shared by the example API's routes: reading a bounded request body, answering
 * JSON, reading numeric options from the query string or the JSON body, and matching
 * `/jobs/:id`-style paths. Node standard library only.
 *
 * @module
 */

/** Bodies larger than this are refused with 413: the example API is not a file store. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * @typedef {object} Env
 * What every route factory receives: the server's clock and id source, so that state never
 * lives in module globals and two servers (or two tests) never share anything.
 * @property {() => number} now Milliseconds on a monotonic clock (injectable in specs).
 * @property {(ms: number) => number} scale Applies the server's `timeScale` to a delay in ms.
 * @property {(prefix: string) => string} newId A fresh id such as `job-7-3f9a1c`, unique per server.
 */

/**
 * @typedef {object} RequestContext
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {URL} url The request URL (host is always the loopback address).
 * @property {Record<string, string>} params Path parameters, already percent-decoded.
 * @property {string} body The request body as UTF-8 text (empty string when there is none).
 */

/**
 * @typedef {object} Route
 * @property {string} method `GET`, `POST`, `DELETE`, ... or `*` for any method. `GET` routes also answer `HEAD`.
 * @property {string} path A pattern such as `/jobs/:id`; `:name` matches one path segment.
 * @property {(ctx: RequestContext) => void} handle Answers the request (synchronously).
 */

/**
 * Answers `status` with `value` as JSON. The content type is exactly `application/json` (no
 * charset) so that a suite can assert it with a plain `header` check.
 *
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} value
 * @param {Record<string, string | number>} [headers] Extra response headers.
 */
export function sendJson(res, status, value, headers = {}) {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Answers `status` with no body (204, 304, ...).
 *
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {Record<string, string | number>} [headers]
 */
export function sendEmpty(res, status, headers = {}) {
  res.writeHead(status, { 'Content-Length': 0, ...headers });
  res.end();
}

/**
 * Reads the whole request body as UTF-8 text, up to `limit` bytes.
 * Resolves `{ ok: true, text }`, or `{ ok: false, reason: 'too_large' }` once the limit is
 * passed (the rest of the body is drained and dropped). Rejects only on a socket error.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [limit]
 * @returns {Promise<{ ok: true, text: string } | { ok: false, reason: 'too_large' }>}
 */
export function readBody(req, limit = MAX_BODY_BYTES) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      // Keep reading (and dropping) so the client is not left writing into a stalled socket.
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(tooLarge ? { ok: false, reason: 'too_large' } : { ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
  });
}

/**
 * Parses a body as JSON. An empty body is `{ ok: true, value: undefined }`.
 *
 * @param {string} text
 * @returns {{ ok: true, value: unknown } | { ok: false, reason: string }}
 */
export function parseJson(text) {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Parses the body of a route that takes an optional JSON object (`POST /jobs`, ...).
 * Answers 400 itself and returns `undefined` when the body is not a JSON object.
 *
 * @param {RequestContext} ctx
 * @returns {Record<string, unknown> | undefined}
 */
export function objectBody(ctx) {
  const parsed = parseJson(ctx.body);
  if (!parsed.ok) {
    sendJson(ctx.res, 400, { error: `the body is not JSON: ${parsed.reason}` });
    return undefined;
  }
  if (parsed.value === undefined) return {};
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    sendJson(ctx.res, 400, { error: 'the body must be a JSON object, e.g. {"data": "process this"}' });
    return undefined;
  }
  return /** @type {Record<string, unknown>} */ (parsed.value);
}

/**
 * Reads a numeric option from the query string (`?duration_ms=500`) or, failing that, from a
 * JSON body (`{"duration_ms": 500}`). Returns `fallback` when neither has it.
 * Answers 400 itself and returns `undefined` when the value is not an integer in `[min, max]`.
 *
 * @param {RequestContext} ctx
 * @param {Record<string, unknown>} body
 * @param {string} name
 * @param {{ fallback: number, min: number, max: number }} range
 * @returns {number | undefined}
 */
export function intOption(ctx, body, name, { fallback, min, max }) {
  const fromQuery = ctx.url.searchParams.get(name);
  /** @type {unknown} */
  const raw = fromQuery !== null ? Number(fromQuery) : body[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    sendJson(ctx.res, 400, {
      error: `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(fromQuery ?? raw)}`,
    });
    return undefined;
  }
  return raw;
}

/**
 * Reads a boolean option from the query (`?fail=true`) or a JSON body (`{"fail": true}`).
 *
 * @param {RequestContext} ctx
 * @param {Record<string, unknown>} body
 * @param {string} name
 * @returns {boolean}
 */
export function flagOption(ctx, body, name) {
  const fromQuery = ctx.url.searchParams.get(name);
  if (fromQuery !== null) return fromQuery === 'true' || fromQuery === '1' || fromQuery === '';
  return body[name] === true;
}

/**
 * `content-type` -> `Content-Type`, `x-job-status` -> `X-Job-Status`: the canonical form that
 * httpbin and Go's net/http show, so suites can write `.headers["Content-Type"]`.
 *
 * @param {string} name
 * @returns {string}
 */
export function canonicalHeaderName(name) {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}

/**
 * Compiles a route pattern (`/files/:id/status`) to a matcher returning the decoded params, or
 * `undefined` when the path does not match. A malformed percent-escape never matches.
 *
 * @param {string} pattern
 * @returns {(path: string) => Record<string, string> | undefined}
 */
export function compilePath(pattern) {
  /** @type {string[]} */
  const names = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  const re = new RegExp(`^${source}$`);
  return (path) => {
    const m = re.exec(path);
    if (m === null) return undefined;
    /** @type {Record<string, string>} */
    const params = {};
    try {
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
    } catch {
      // A malformed escape (`%zz`) cannot name any resource: treat it as no match (404).
      return undefined;
    }
    return params;
  };
}

/**
 * A map whose entries expire `ttlMs` after they were created, so a long-running example API does
 * not grow without bound. Expired entries are dropped lazily when new ones are added.
 *
 * @template V
 * @param {() => number} now
 * @param {number} [ttlMs] Default one hour.
 */
export function createStore(now, ttlMs = 60 * 60 * 1000) {
  /** @type {Map<string, { at: number, value: V }>} */
  const entries = new Map();
  return {
    /** @param {string} id */
    get(id) {
      return entries.get(id)?.value;
    },
    /** @param {string} id @param {V} value */
    set(id, value) {
      const t = now();
      // Map iterates in insertion order: the oldest entries come first.
      for (const [key, entry] of entries) {
        if (t - entry.at < ttlMs) break;
        entries.delete(key);
      }
      entries.set(id, { at: t, value });
    },
    /** @param {string} id */
    delete(id) {
      entries.delete(id);
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * Whether the module at `moduleUrl` (pass `import.meta.url`) is the program node was started
 * with, rather than imported.
 *
 * @param {string} moduleUrl
 * @returns {boolean}
 */
export function isMainModule(moduleUrl) {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
