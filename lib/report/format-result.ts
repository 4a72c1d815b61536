import { formatStepProblem } from '../step/format-step-problem.js';
import { suiteMessage } from './result-message.js';
import type { StepResult, SuiteResult, TestResult } from '../event/run-event.js';
import { formatDuration } from '../operators/format-duration.js';
import { printableLines } from './printable.js';
import type { Style } from './style.js';

/** A head line, and detail lines to print under it (unindented here; the console indents them). */
export interface TextBlock {
  readonly head: string;
  readonly details: readonly string[];
}

/**
 * How a step ended, as printed after its label. A poll's attempts fold into the head line, and
 * so do a retried step's runs and requests (`passed on run 2 of 3, 4 requests in 3.2s`).
 *
 * @example
 * formatStepResult({ _tag: 'Passed', durationMs: 1200, attempts: 4, checks: [], saved: {} }, style).head
 * // 'passed after 4 attempts in 1.2s'
 * formatStepResult({ _tag: 'Failed', durationMs: 300000, attempts: 30, checks, cause: { _tag: 'PollTimedOut', timeoutMs: 300000, ... } }, style)
 * // { head: 'failed after 30 attempts in 5m', details: ['polling timed out after 5m', ...the rest of the message] }
 */
export function formatStepResult(result: StepResult, style: Style): TextBlock {
  switch (result._tag) {
    case 'Passed':
      return { head: style.passed('passed') + style.dim(howItRan(result)), details: [] };
    case 'Failed':
      return {
        head: style.failed('failed') + style.dim(howItRan(result)),
        // The message carries the evidence (failed checks, last status, body excerpt).
        details: printableLines(formatStepProblem(result.cause)),
      };
    case 'Errored':
      return {
        head: style.failed('errored') + style.dim(` in ${formatDuration(result.durationMs, 'readable')}`),
        details: printableLines(formatStepProblem(result.cause)),
      };
    case 'Skipped':
      return withReason(style.skipped('skipped'), result.reason);
    case 'Interrupted':
      return interrupted(result.durationMs, result.reason, style);
  }
}

/**
 * How a test ended. The failing step already printed its message, so a failed test names it.
 *
 * @example
 * formatTestResult({ _tag: 'Failed', durationMs: 3100, step: 'Wait', cause, stepPhase: 'steps', stepIndex: 1 }, style).head
 * // 'failed in 3.1s at step "Wait"'
 */
export function formatTestResult(result: TestResult, style: Style): TextBlock {
  switch (result._tag) {
    case 'Passed':
      return { head: style.passed('passed') + style.dim(` in ${formatDuration(result.durationMs, 'readable')}`), details: [] };
    case 'Failed':
      return {
        head:
          style.failed('failed') +
          style.dim(` in ${formatDuration(result.durationMs, 'readable')}`) +
          ` at step ${JSON.stringify(result.step)}`,
        details: [],
      };
    case 'Skipped':
      return withReason(style.skipped('skipped'), result.reason);
    case 'Interrupted':
      return interrupted(result.durationMs, result.reason, style);
  }
}

/**
 * How a suite ended, with its counts: `failed in 4.1s (3 passed, 1 failed, 0 skipped)`, and the
 * suite-level message (init or cleanup failure) as details.
 */
export function formatSuiteResult(result: SuiteResult, style: Style): TextBlock {
  const paint = result._tag === 'Passed' ? style.passed : result._tag === 'Failed' ? style.failed : style.skipped;
  const interrupted = result.interrupted > 0 ? `, ${result.interrupted} interrupted` : '';
  return {
    head: `${paint(result._tag.toLowerCase())}${style.dim(` in ${formatDuration(result.durationMs, 'readable')}`)} (${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${interrupted})`,
    details: ((message) => (message === undefined ? [] : printableLines(message)))(suiteMessage(result)),
  };
}

/**
 * After `passed` or `failed`: the runs of a retried step and its requests in all
 * (` on run 2 of 3, 4 requests in 3.2s`; ` on run 1 of 3 (not retryable), ...` for a failure
 * its policy does not retry), else the attempts of a poll (` after 4 attempts in 1.2s`), else
 * the time (` in 35ms`).
 */
function howItRan(result: Extract<StepResult, { readonly _tag: 'Passed' | 'Failed' }>): string {
  const { retry } = result;
  const retried = retry !== undefined && (retry.runs > 1 || (result._tag === 'Failed' && retry.runs < retry.maxRuns));
  if (!retried) return afterAttempts(result.attempts, result.durationMs);
  const notRetryable = result._tag === 'Failed' && retry.runs < retry.maxRuns ? ' (not retryable)' : '';
  const requests = retry.requests === 0 ? '' : `, ${retry.requests} request${retry.requests === 1 ? '' : 's'}`;
  return ` on run ${retry.runs} of ${retry.maxRuns}${notRetryable}${requests} in ${formatDuration(result.durationMs, 'readable')}`;
}

function afterAttempts(attempts: number, durationMs: number): string {
  return attempts > 1
    ? ` after ${attempts} attempts in ${formatDuration(durationMs, 'readable')}`
    : ` in ${formatDuration(durationMs, 'readable')}`;
}

// `interrupted after 2.2s`, with the reason when it says more than that word.
function interrupted(durationMs: number, reason: string, style: Style): TextBlock {
  const head = style.skipped('interrupted') + style.dim(` after ${formatDuration(durationMs, 'readable')}`);
  return reason.trim().toLowerCase() === 'interrupted' ? { head, details: [] } : withReason(head, reason);
}

// `head: first line of the reason`, further lines of the reason as details.
function withReason(head: string, reason: string): TextBlock {
  const [first = '', ...rest] = printableLines(reason);
  return { head: first === '' ? head : `${head}: ${first}`, details: rest };
}
