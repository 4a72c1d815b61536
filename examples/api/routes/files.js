/**
 * Files that get processed: the spec's "File processing" scenario.
 *
 * - `POST /files` with an optional JSON object body (`{"name": "report.csv"}`) answers 201
 *   `{ "file_id": "file-1-3f9a1c", "name": "report.csv", "status": "uploaded" }`. Options, in
 *   the query or the body: `duration_ms` (default 1000), `fail` (`true`: processing ends with
 *   an error that stays).
 * - `GET /files/<id>/status` answers, while processing,
 *   `{ file_id, processing_complete: false, progress, errors: ["virus scan: not done yet", ...] }`
 *   (the checks still pending; the list shrinks as processing goes on), then
 *   `{ file_id, processing_complete: true, progress: 100 }` with no `errors` key at all: the
 *   spec's `.errors` `exists: false`. A file submitted with `fail: true` ends
 *   `{ processing_complete: true, errors: ["checksum mismatch"] }`, so `exists: false` never holds.
 *   An unknown id answers 404.
 *
 * @module
 */
import { createStore, flagOption, intOption, objectBody, sendJson } from '../http-kit.js';

/** The checks a file goes through, in order; each is an `errors` entry until it is done. */
const CHECKS = ['checksum', 'virus scan', 'thumbnail'];

/**
 * @typedef {object} UploadedFile
 * @property {string} id
 * @property {string} name
 * @property {number} uploadedAt
 * @property {number} durationMs Already scaled.
 * @property {boolean} fail
 */

/**
 * @param {import('../http-kit.js').Env} env
 * @returns {import('../http-kit.js').Route[]}
 */
export function fileRoutes(env) {
  /** @type {ReturnType<typeof createStore<UploadedFile>>} */
  const files = createStore(env.now);

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function upload(ctx) {
    const body = objectBody(ctx);
    if (body === undefined) return;
    const duration = intOption(ctx, body, 'duration_ms', { fallback: 1000, min: 0, max: 10 * 60 * 1000 });
    if (duration === undefined) return;
    const id = env.newId('file');
    const name = typeof body['name'] === 'string' ? body['name'] : 'upload.bin';
    files.set(id, { id, name, uploadedAt: env.now(), durationMs: env.scale(duration), fail: flagOption(ctx, body, 'fail') });
    sendJson(ctx.res, 201, { file_id: id, name, status: 'uploaded' }, { Location: `/files/${encodeURIComponent(id)}/status` });
  }

  /** @param {import('../http-kit.js').RequestContext} ctx */
  function status(ctx) {
    const id = ctx.params['id'] ?? '';
    const file = files.get(id);
    if (file === undefined) {
      sendJson(ctx.res, 404, { error: 'file not found', file_id: id });
      return;
    }
    sendJson(ctx.res, 200, viewStatus(file, env.now()));
  }

  return [
    { method: 'POST', path: '/files', handle: upload },
    { method: 'GET', path: '/files/:id/status', handle: status },
  ];
}

/**
 * @param {UploadedFile} file
 * @param {number} now
 */
function viewStatus(file, now) {
  const elapsed = now - file.uploadedAt;
  if (elapsed >= file.durationMs) {
    return file.fail
      ? { file_id: file.id, processing_complete: true, progress: 100, errors: ['checksum mismatch'] }
      : { file_id: file.id, processing_complete: true, progress: 100 };
  }
  const share = elapsed / file.durationMs;
  const done = Math.min(CHECKS.length - 1, Math.floor(share * CHECKS.length));
  return {
    file_id: file.id,
    processing_complete: false,
    progress: Math.floor(share * 100),
    errors: CHECKS.slice(done).map((check) => `${check}: not done yet`),
  };
}
