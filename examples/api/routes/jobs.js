/**
 * Jobs that complete after a delay: the spec's "Job processing" scenario.
 *
 * - `POST /jobs` with an optional JSON object body (`{"data": "process this"}`) answers 202
 *   `{ "job_id": "job-1-3f9a1c", "status": "queued" }` and `Location: /jobs/<id>`.
 *   Options, in the query or the body: `duration_ms` (default 1000: time until the job ends),
 *   `fail` (`true`: the job ends `failed` instead of `completed`).
 * - `GET /jobs/<id>` answers `{ job_id, status, progress }` where `status` goes
 *   `queued` (first quarter of the duration) -> `running` -> `completed` (with `result`) or
 *   `failed` (with `error`). The `X-Job-Status` header says `queued`, `running`, `finished` or
 *   `failed`. An unknown id answers 404.
 * - `DELETE /jobs/<id>` answers 202 `{ job_id, status: "deleting" }`; the job then answers
 *   `status: "deleting"` for `delete_ms` (query, default 300) and 404 afterwards, so a suite can
 *   poll until `status_code: 404`.
 *
 * State depends only on the clock, never on timers: nothing to cancel when the server stops.
 *
 * @module
 */
import { createStore, flagOption, intOption, objectBody, sendJson } from '../http-kit.js';

/** The share of a job's duration it spends `queued` before it is `running`. */
const QUEUED_SHARE = 0.25;
const MAX_DELAY_MS = 10 * 60 * 1000;

/**
 * @typedef {object} Job
 * @property {string} id
 * @property {number} submittedAt
 * @property {number} durationMs Already scaled.
 * @property {boolean} fail
 * @property {unknown} data The `data` field of the submitted body, returned in the result.
 * @property {number | undefined} deletedAt
 * @property {number} deleteMs Already scaled.
 */

/**
 * @param {import('../http-kit.js').Env} env
 * @returns {import('../http-kit.js').Route[]}
 */
export function jobRoutes(env) {
  /** @type {ReturnType<typeof createStore<Job>>} */
  const jobs = createStore(env.now);

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function submit(ctx) {
    const body = objectBody(ctx);
    if (body === undefined) return;
    const duration = intOption(ctx, body, 'duration_ms', { fallback: 1000, min: 0, max: MAX_DELAY_MS });
    if (duration === undefined) return;
    const id = env.newId('job');
    jobs.set(id, {
      id,
      submittedAt: env.now(),
      durationMs: env.scale(duration),
      fail: flagOption(ctx, body, 'fail'),
      data: body['data'] ?? null,
      deletedAt: undefined,
      deleteMs: 0,
    });
    sendJson(ctx.res, 202, { job_id: id, status: 'queued' }, { Location: `/jobs/${encodeURIComponent(id)}` });
  }

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function show(ctx) {
    const job = findJob(ctx);
    if (job === undefined) return;
    const view = viewJob(job, env.now());
    sendJson(ctx.res, 200, view.body, { 'X-Job-Status': view.header });
  }

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function remove(ctx) {
    const job = findJob(ctx);
    if (job === undefined) return;
    const deleteMs = intOption(ctx, {}, 'delete_ms', { fallback: 300, min: 0, max: MAX_DELAY_MS });
    if (deleteMs === undefined) return;
    // A second DELETE keeps the first one's schedule (DELETE is idempotent).
    if (job.deletedAt === undefined) {
      job.deletedAt = env.now();
      job.deleteMs = env.scale(deleteMs);
    }
    sendJson(ctx.res, 202, { job_id: job.id, status: 'deleting' }, { 'X-Job-Status': 'deleting' });
  }

  /**
   * The job named in the path, or `undefined` after answering 404 (unknown or deleted).
   * @param {import('../http-kit.js').RequestContext} ctx
   */
  function findJob(ctx) {
    const id = ctx.params['id'] ?? '';
    const job = jobs.get(id);
    if (job === undefined || isGone(job, env.now())) {
      sendJson(ctx.res, 404, { error: 'job not found', job_id: id });
      return undefined;
    }
    return job;
  }

  return [
    { method: 'POST', path: '/jobs', handle: submit },
    { method: 'GET', path: '/jobs/:id', handle: show },
    { method: 'DELETE', path: '/jobs/:id', handle: remove },
  ];
}

/**
 * @param {Job} job
 * @param {number} now
 */
function isGone(job, now) {
  return job.deletedAt !== undefined && now - job.deletedAt >= job.deleteMs;
}

/**
 * What `GET /jobs/<id>` shows at time `now`.
 *
 * @param {Job} job
 * @param {number} now
 * @returns {{ body: Record<string, unknown>, header: string }}
 */
function viewJob(job, now) {
  if (job.deletedAt !== undefined) {
    return { body: { job_id: job.id, status: 'deleting' }, header: 'deleting' };
  }
  const elapsed = now - job.submittedAt;
  if (elapsed >= job.durationMs) {
    return job.fail
      ? {
          body: {
            job_id: job.id,
            status: 'failed',
            progress: 100,
            error: { code: 'JOB_FAILED', message: 'the job failed on purpose (submitted with "fail": true)' },
          },
          header: 'failed',
        }
      : { body: { job_id: job.id, status: 'completed', progress: 100, result: resultOf(job.data) }, header: 'finished' };
  }
  const status = elapsed < job.durationMs * QUEUED_SHARE ? 'queued' : 'running';
  return { body: { job_id: job.id, status, progress: Math.floor((elapsed / job.durationMs) * 100) }, header: status };
}

/**
 * The result of a completed job: the submitted `data` and, when it is a string, its words.
 *
 * @param {unknown} data
 */
function resultOf(data) {
  const words = typeof data === 'string' ? data.split(/\s+/).filter((w) => w !== '') : [];
  return { data, words, word_count: words.length };
}
