import type { AttemptRecord } from '../event/run-event.js';
import type { AttemptContract, ContractCheck } from '../step/contract-check.js';
import { SENSITIVE_HEADERS } from '../secrets/credentials.js';
import { formatCheck } from './format-check.js';
import { formatDuration } from '../operators/format-duration.js';
import { oneLine, printableLines } from './printable.js';
import type { Style } from './style.js';

/**
 * Where a poll stands after an attempt, and what that attempt got:
 * `attempt 3/30 · 503 · next in 2.4s · 7.2s of 5m0s`, or `attempt 3/30 · ECONNREFUSED · ...`
 * when it got no response, so that a poll that cannot connect never reads like one that is
 * answered "not yet".
 *
 * `sinceMs` is the time passed since the attempt was reported; the live console passes it on
 * each redraw so that `next in` counts down and the elapsed time counts up. Parts that do not
 * apply are left out (`attempt 1` for a step without polling; no `next in` on the last attempt).
 */
export function formatAttemptProgress(attempt: AttemptRecord, sinceMs = 0): string {
  const parts = [
    attemptNumber(attempt),
    attempt.outcome._tag === 'Response' ? (isSql(attempt) ? 'result' : String(attempt.outcome.status)) : oneLine(attempt.outcome.code),
  ];
  if (attempt.nextDelayMs !== undefined) parts.push(`next in ${formatDuration(Math.max(0, attempt.nextDelayMs - sinceMs), 'readable')}`);
  const elapsed = elapsedPart(attempt, sinceMs);
  if (elapsed !== undefined) parts.push(elapsed);
  return parts.join(' · ');
}

/**
 * The verbose console's head line for one attempt, with its outcome:
 * `attempt 3/30 status 200 · next in 2.4s · 7.2s of 5m0s`, or
 * `attempt 2/30 ECONNREFUSED · next in 1s · 1s of 30s` for a transport error.
 */
export function formatAttemptHead(attempt: AttemptRecord): string {
  const outcome =
    attempt.outcome._tag === 'Response' ? (isSql(attempt) ? 'result' : `status ${attempt.outcome.status}`) : oneLine(attempt.outcome.code);
  const parts = [`${attemptNumber(attempt)} ${outcome}`];
  if (attempt.nextDelayMs !== undefined) parts.push(`next in ${formatDuration(attempt.nextDelayMs, 'readable')}`);
  const elapsed = elapsedPart(attempt, 0);
  if (elapsed !== undefined) parts.push(elapsed);
  return parts.join(' · ');
}

/**
 * The verbose console's detail lines for one attempt (unindented): the request (`> ` lines:
 * method and URL, headers, body), the response (`< ` lines: status and time, headers with one
 * line per value, body excerpt) or the transport error (`! ` line), then the OpenAPI contract's
 * line when the step has one (see {@link formatAttemptContract}), then each condition with
 * expected vs actual.
 * Bodies longer than `maxBodyChars` are cut with `…`.
 */
export function formatAttemptDetails(attempt: AttemptRecord, style: Style, maxBodyChars = 2000): string[] {
  const { request, outcome } = attempt;
  const lines = [`> ${oneLine(request.method)} ${oneLine(request.url)}`, ...headerLines('>', request.headers)];
  if (request.body !== undefined && request.body !== '') lines.push('>', ...bodyLines('>', request.body, maxBodyChars));
  if (outcome._tag === 'Response') {
    lines.push(
      `< ${isSql(attempt) ? 'result' : outcome.status} (${formatDuration(outcome.durationMs, 'readable')})`,
      ...headerLines('<', outcome.headers),
    );
    if (outcome.bodyExcerpt !== '') lines.push('<', ...bodyLines('<', outcome.bodyExcerpt, maxBodyChars));
  } else {
    lines.push(`! ${oneLine(outcome.code)}: ${oneLine(outcome.message)}`);
  }
  const contract = attempt.contract === undefined ? [] : formatAttemptContract(attempt.contract, style);
  return [...lines.map(style.dim), ...contract, ...attempt.conditions.map((check) => formatCheck(check, style))];
}

/**
 * An attempt's OpenAPI contract validation, as the verbose console shows it: one line with the
 * operation and how each side fared (and what its body was held to: its media type's schema, or
 * its Content-Type only), then each violation, indented.
 *
 * formatAttemptContract({ operation: 'GET /jobs/{id} (getJob)',
 *   request: { _tag: 'Passed', body: { _tag: 'None' } },
 *   response: { _tag: 'Failed', violations: ['response body /id: must be string (schema at ...)'], body: { _tag: 'Schema', mediaType: 'application/json' } } }, plain)
 * // ['✗ openapi GET /jobs/{id} (getJob): request passed · response failed (application/json by schema)',
 * //  '    response body /id: must be string (schema at ...)']
 */
export function formatAttemptContract(contract: AttemptContract, style: Style): string[] {
  const broken = contract.request._tag === 'Failed' || contract.response._tag === 'Failed';
  const mark = broken ? style.failed('✗') : style.passed('✓');
  const head = `${mark} openapi ${oneLine(contract.operation)}: request ${side(contract.request)} · response ${side(contract.response)}`;
  const violations = [contract.request, contract.response].flatMap((c) => (c._tag === 'Failed' ? c.violations : []));
  return [head, ...violations.map((v) => `    ${oneLine(v)}`)];
}

function side(check: ContractCheck): string {
  if (check._tag === 'Skipped') return `skipped (${oneLine(check.reason)})`;
  const word = check._tag === 'Passed' ? 'passed' : 'failed';
  const body = check.body;
  if (body._tag === 'None') return word;
  return `${word} (${oneLine(body.mediaType)} ${body._tag === 'Schema' ? 'by schema' : 'by Content-Type only'})`;
}

/** A `sql` step's attempt: its outcome is a result, not an HTTP status (its `status` is 0). */
function isSql(attempt: AttemptRecord): boolean {
  return attempt.request.method === 'SQL';
}

function attemptNumber(attempt: AttemptRecord): string {
  return attempt.maxAttempts === undefined ? `attempt ${attempt.number}` : `attempt ${attempt.number}/${attempt.maxAttempts}`;
}

function elapsedPart(attempt: AttemptRecord, sinceMs: number): string | undefined {
  const elapsed = formatDuration(attempt.elapsedMs + sinceMs, 'readable');
  if (attempt.timeoutMs !== undefined) return `${elapsed} of ${formatDuration(attempt.timeoutMs, 'readable')}`;
  return attempt.elapsedMs + sinceMs > 0 ? `${elapsed} elapsed` : undefined;
}

/** One `> Name: value` line per header value: a header received several times gets a line each. */
function headerLines(mark: string, headers: Readonly<Record<string, string | readonly string[]>>): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    // Masked (`***`) even in events that did not come through runSuite's redaction: a verbose
    // log in CI must not leak a token.
    const masked = SENSITIVE_HEADERS.has(name.toLowerCase());
    for (const one of typeof value === 'string' ? [value] : value) lines.push(`${mark} ${oneLine(name)}: ${masked ? '***' : oneLine(one)}`);
  }
  return lines;
}

function bodyLines(mark: string, body: string, maxChars: number): string[] {
  const cut = body.length > maxChars ? `${body.slice(0, maxChars)}…` : body;
  return printableLines(cut).map((line) => `${mark} ${line}`);
}
