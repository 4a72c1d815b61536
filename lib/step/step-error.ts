import type { CheckRecord } from './attempt-record.js';
import { formatStepProblem } from './format-step-problem.js';
import type { StepError, StepFailure } from './step-failure.js';

/**
 * The step ran, and what it saw is wrong (a check, a poll, a script assertion, an exit code).
 * Plugins error their Observable with it; the runner turns it into a `Failed` step result
 * carrying `failure`. A message alone (for plugins of your own) is a `PluginFailed` failure.
 *
 * throw new StepFailedError({ _tag: 'Transport', code: 'ECONNRESET', message: 'socket hang up' });
 * throw new StepFailedError('the queue is empty');
 */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  readonly failure: StepFailure;
  /** Checks evaluated before the failure (a poll's conditions on its last response, assertions). */
  readonly checks: readonly CheckRecord[];
  /** Requests or runs the step made. */
  readonly attempts: number;
  constructor(failure: StepFailure | string, evidence: { readonly checks?: readonly CheckRecord[]; readonly attempts?: number } = {}) {
    const data: StepFailure = typeof failure === 'string' ? { _tag: 'PluginFailed', message: failure } : failure;
    super(formatStepProblem(data));
    this.failure = data;
    this.checks = evidence.checks ?? [];
    this.attempts = evidence.attempts ?? 0;
  }
}

/** The step could not run as written: an undefined variable, a bad rendered value, a missing file. */
export class StepConfigError extends Error {
  override readonly name = 'StepConfigError';
  readonly error: Extract<StepError, { _tag: 'Config' }>;
  constructor(message: string) {
    super(message);
    this.error = { _tag: 'Config', message };
  }
}
