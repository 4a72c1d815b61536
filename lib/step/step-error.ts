import type { CheckRecord } from './attempt-record.js';

/** The step ran, and what it saw is wrong (a check, a poll, a script assertion, an exit code). */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  constructor(
    message: string,
    readonly data: { readonly checks: readonly CheckRecord[]; readonly attempts: number; readonly kind: string } = {
      checks: [],
      attempts: 0,
      kind: 'failed',
    },
  ) {
    super(message);
  }
}

/** The step could not run as written: an undefined variable, a bad rendered value, a missing file. */
export class StepConfigError extends Error {
  override readonly name = 'StepConfigError';
  constructor(message: string) {
    super(message);
  }
}
