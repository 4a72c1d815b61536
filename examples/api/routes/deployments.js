/**
 * Deployments that roll out: the spec's "Deployment status" scenario.
 *
 * - `POST /deployments` with an optional JSON object body answers 201
 *   `{ "id": "dep-1-3f9a1c", "status": "pending" }`. Options, in the query or the body:
 *   `duration_ms` (default 1500: time until the rollout ends), `unavailable_polls` (default 2:
 *   how many first `GET`s answer 503), `fail` (`true`: the rollout ends `failed`).
 * - `GET /deployments/<id>`: the first `unavailable_polls` requests answer 503
 *   `{ "error": "deployment status temporarily unavailable" }` (no `Retry-After`); later ones answer
 *   200 `{ "deployment": { "id", "status", "progress" } }` where `status` goes `pending` (first
 *   fifth of the duration, progress 0) -> `in_progress` (progress 1-99) -> `success` (progress
 *   100) or `failed`. Polling therefore needs both `status_code: 200` and
 *   `.deployment.status == "success"`. An unknown id answers 404.
 *
 * @module
 */
import { createStore, flagOption, intOption, objectBody, sendJson } from '../http-kit.js';

const PENDING_SHARE = 0.2;

/**
 * @typedef {object} Deployment
 * @property {string} id
 * @property {number} createdAt
 * @property {number} durationMs Already scaled.
 * @property {number} unavailablePolls
 * @property {number} polls Status requests answered so far.
 * @property {boolean} fail
 */

/**
 * @param {import('../http-kit.js').Env} env
 * @returns {import('../http-kit.js').Route[]}
 */
export function deploymentRoutes(env) {
  /** @type {ReturnType<typeof createStore<Deployment>>} */
  const deployments = createStore(env.now);

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function create(ctx) {
    const body = objectBody(ctx);
    if (body === undefined) return;
    const duration = intOption(ctx, body, 'duration_ms', { fallback: 1500, min: 0, max: 10 * 60 * 1000 });
    if (duration === undefined) return;
    const unavailablePolls = intOption(ctx, body, 'unavailable_polls', { fallback: 2, min: 0, max: 1000 });
    if (unavailablePolls === undefined) return;
    const id = env.newId('dep');
    deployments.set(id, {
      id,
      createdAt: env.now(),
      durationMs: env.scale(duration),
      unavailablePolls,
      polls: 0,
      fail: flagOption(ctx, body, 'fail'),
    });
    sendJson(ctx.res, 201, { id, status: 'pending' }, { Location: `/deployments/${encodeURIComponent(id)}` });
  }

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function show(ctx) {
    const id = ctx.params['id'] ?? '';
    const deployment = deployments.get(id);
    if (deployment === undefined) {
      sendJson(ctx.res, 404, { error: 'deployment not found', id });
      return;
    }
    deployment.polls += 1;
    if (deployment.polls <= deployment.unavailablePolls) {
      sendJson(ctx.res, 503, { error: 'deployment status temporarily unavailable', id });
      return;
    }
    sendJson(ctx.res, 200, { deployment: viewDeployment(deployment, env.now()) });
  }

  return [
    { method: 'POST', path: '/deployments', handle: create },
    { method: 'GET', path: '/deployments/:id', handle: show },
  ];
}

/**
 * @param {Deployment} d
 * @param {number} now
 */
function viewDeployment(d, now) {
  const elapsed = now - d.createdAt;
  if (elapsed >= d.durationMs) return { id: d.id, status: d.fail ? 'failed' : 'success', progress: 100 };
  if (elapsed < d.durationMs * PENDING_SHARE) return { id: d.id, status: 'pending', progress: 0 };
  // Clamp to 1..99 so `in_progress` never shows 0 (pending) or 100 (done).
  const progress = Math.min(99, Math.max(1, Math.floor((elapsed / d.durationMs) * 100)));
  return { id: d.id, status: 'in_progress', progress };
}
