import type { AttemptMade, AttemptRecord, CheckRecord, LogEmitted, RunEvent, StepEnded, StepRef } from '../../lib/event/run-event.js';

/** Events and records for the redaction specs (create-redactor, redact-events). */

export const ref: StepRef = {
  suite: 'suite',
  file: '/x/rocketship.yaml',
  test: 'test',
  testIndex: 0,
  phase: 'steps',
  index: 0,
  step: 'get',
  line: 7,
};

export function log(message: string, at: StepRef = ref): LogEmitted {
  return { _tag: 'LogEmitted', ref: at, message, at: 5 };
}

export function message(event: RunEvent): string {
  return (event as LogEmitted).message;
}

export function failed(message: string, checks: readonly CheckRecord[] = []): StepEnded {
  return {
    _tag: 'StepEnded',
    ref,
    result: { _tag: 'Failed', durationMs: 12, attempts: 1, checks, cause: { _tag: 'PluginFailed', message } },
    at: 9,
  };
}

export function attempt(
  parts: {
    url?: string;
    request?: Record<string, string>;
    response?: Record<string, string | string[]>;
    body?: string;
    conditions?: CheckRecord[];
  },
  at: StepRef = ref,
): AttemptMade {
  const record: AttemptRecord = {
    number: 1,
    maxAttempts: undefined,
    elapsedMs: 0,
    timeoutMs: undefined,
    request: { method: 'GET', url: parts.url ?? 'http://127.0.0.1:1/x', headers: parts.request ?? {} },
    outcome: { _tag: 'Response', status: 200, headers: parts.response ?? {}, bodyExcerpt: parts.body ?? '', durationMs: 3 },
    conditions: parts.conditions ?? [],
    nextDelayMs: undefined,
  };
  return { _tag: 'AttemptMade', ref: at, attempt: record, at: 4 };
}

export function check(expected: CheckRecord['expected'], actual: CheckRecord['actual']): CheckRecord {
  return { _tag: 'Failed', label: 'json_path .token', matcher: 'expected', expected, actual };
}

/** Freezes a value deeply, so that any mutation by the redactor throws. */
export function deepFreeze<A>(value: A): A {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
