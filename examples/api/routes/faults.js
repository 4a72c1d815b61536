/**
 * Endpoints that misbehave on purpose, counted per caller-chosen `key` so concurrent tests never
 * share a counter (get a fresh key from `GET /uuid`).
 *
 * - `GET /flaky?key=K&fail=N`: the first N requests (default 1) for key K answer 500
 *   `{ "error": "flaky failure", key, attempt, fail }`, later ones 200 `{ "ok": true, key, attempt }`.
 *   Every answer carries `X-Attempt: <n>`. Made for a step's `retry:` policy.
 * - `GET /busy?key=K&busy=N&retry_after=S&status=429|503`: the first N requests (default 1)
 *   answer 429 (or 503) with `Retry-After: S` (default 1 second), later ones 200. Made to show that
 *   polling honours `Retry-After`.
 * - `GET /flaky/stats?key=K` and `GET /busy/stats?key=K` answer `{ key, requests, gaps_ms }`:
 *   how many requests that key made and the milliseconds between consecutive ones, so a suite
 *   can assert how often and how patiently it retried. Stats requests are not counted.
 *
 * A missing `key` answers 400: a shared default counter would make concurrent tests interfere.
 *
 * @module
 */
import { createStore, intOption, sendJson } from '../http-kit.js';

/** Request times kept per key; enough for any example, bounded for a long-running server. */
const MAX_TIMES = 1000;

/**
 * @param {import('../http-kit.js').Env} env
 * @returns {import('../http-kit.js').Route[]}
 */
export function faultRoutes(env) {
  const flaky = createKeyLog(env);
  const busy = createKeyLog(env);

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function flakyRoute(ctx) {
    const key = requireKey(ctx);
    if (key === undefined) return;
    const fail = intOption(ctx, {}, 'fail', { fallback: 1, min: 0, max: 1000 });
    if (fail === undefined) return;
    const attempt = flaky.hit(key);
    if (attempt <= fail) sendJson(ctx.res, 500, { error: 'flaky failure', key, attempt, fail }, { 'X-Attempt': attempt });
    else sendJson(ctx.res, 200, { ok: true, key, attempt }, { 'X-Attempt': attempt });
  }

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function busyRoute(ctx) {
    const key = requireKey(ctx);
    if (key === undefined) return;
    const times = intOption(ctx, {}, 'busy', { fallback: 1, min: 0, max: 1000 });
    if (times === undefined) return;
    const retryAfter = intOption(ctx, {}, 'retry_after', { fallback: 1, min: 0, max: 3600 });
    if (retryAfter === undefined) return;
    const status = intOption(ctx, {}, 'status', { fallback: 429, min: 429, max: 503 });
    if (status === undefined) return;
    if (status !== 429 && status !== 503) {
      sendJson(ctx.res, 400, { error: `status must be 429 or 503, got ${status}` });
      return;
    }
    const attempt = busy.hit(key);
    if (attempt <= times) {
      sendJson(
        ctx.res,
        status,
        { error: 'busy, retry later', key, attempt, retry_after: retryAfter },
        {
          'Retry-After': retryAfter,
          'X-Attempt': attempt,
        },
      );
    } else {
      sendJson(ctx.res, 200, { ok: true, key, attempt }, { 'X-Attempt': attempt });
    }
  }

  /** @param {ReturnType<typeof createKeyLog>} log */
  const statsOf = (log) => (/** @type {import('../http-kit.js').RequestContext} */ ctx) => {
    const key = requireKey(ctx);
    if (key === undefined) return;
    sendJson(ctx.res, 200, { key, ...log.stats(key) });
  };

  return [
    { method: 'GET', path: '/flaky', handle: flakyRoute },
    { method: 'GET', path: '/flaky/stats', handle: statsOf(flaky) },
    { method: 'GET', path: '/busy', handle: busyRoute },
    { method: 'GET', path: '/busy/stats', handle: statsOf(busy) },
  ];
}

/**
 * The `key` query parameter, or `undefined` after answering 400.
 * @param {import('../http-kit.js').RequestContext} ctx
 */
function requireKey(ctx) {
  const key = ctx.url.searchParams.get('key');
  if (key === null || key === '') {
    sendJson(ctx.res, 400, {
      error:
        'the key query parameter is required (one per test, e.g. a value saved from GET /uuid), so that concurrent tests do not share a counter',
    });
    return undefined;
  }
  return key;
}

/**
 * Request times per key.
 * @param {import('../http-kit.js').Env} env
 */
function createKeyLog(env) {
  /** @type {ReturnType<typeof createStore<{ count: number, times: number[] }>>} */
  const byKey = createStore(env.now);
  return {
    /**
     * Records a request for `key`; returns its 1-based number.
     * @param {string} key
     */
    hit(key) {
      let log = byKey.get(key);
      if (log === undefined) {
        log = { count: 0, times: [] };
        byKey.set(key, log);
      }
      log.count += 1;
      if (log.times.length < MAX_TIMES) log.times.push(env.now());
      return log.count;
    },
    /** @param {string} key */
    stats(key) {
      const log = byKey.get(key) ?? { count: 0, times: [] };
      const { times } = log;
      return { requests: log.count, gaps_ms: times.slice(1).map((t, i) => Math.round(t - (times[i] ?? t))) };
    },
  };
}
