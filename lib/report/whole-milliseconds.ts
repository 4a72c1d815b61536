import type { AttemptRecord, RunEvent, StepResult, SuiteResult, TestResult } from '../event/run-event.js';

/**
 * The run's data with every duration in whole milliseconds, as the JSON report writes it. A
 * response's time is measured to fractions of a millisecond (`12.4567`), and a backoff's wait or
 * a duration such as `1.5ms` can be fractional too: a report is for reading and comparing, so
 * each is rounded to the nearest millisecond.
 *
 * Only the runner's own fields are rounded: the `*Ms` fields of attempt records (and of their
 * response outcome), of results, and of a failure's `cause`. Data from outside (saved values,
 * check operands and actual values, bodies, headers) is never touched, whatever its keys. An
 * object whose fields are whole already is returned as it is, and an attempt record rounded once
 * is the same copy wherever it appears (under its step and in its `AttemptMade` event).
 *
 * const whole = wholeMilliseconds();
 * whole.attempt({ ...record, outcome: { ...response, durationMs: 12.4567 } }).outcome.durationMs   // 12
 */
export function wholeMilliseconds(): WholeMilliseconds {
  const attempts = new WeakMap<AttemptRecord, AttemptRecord>();
  const attempt = (record: AttemptRecord): AttemptRecord => {
    const known = attempts.get(record);
    if (known !== undefined) return known;
    const outcome = roundFields(record.outcome);
    const rounded = roundFields(outcome === record.outcome ? record : { ...record, outcome });
    attempts.set(record, rounded);
    return rounded;
  };
  const result = <R extends StepResult | TestResult | SuiteResult>(r: R): R => {
    let out = roundFields(r);
    if ('cause' in out) {
      const cause = roundFields(out.cause);
      if (cause !== out.cause) out = { ...out, cause };
    }
    if ('initFailure' in out && out.initFailure !== undefined) {
      const inner = result(out.initFailure.result);
      if (inner !== out.initFailure.result) out = { ...out, initFailure: { ...out.initFailure, result: inner } };
    }
    return out;
  };
  const event = (e: RunEvent): RunEvent => {
    switch (e._tag) {
      case 'AttemptMade': {
        const a = attempt(e.attempt);
        return a === e.attempt ? e : { ...e, attempt: a };
      }
      case 'StepEnded':
      case 'TestEnded':
      case 'SuiteEnded': {
        const r = result(e.result);
        return r === e.result ? e : ({ ...e, result: r } as RunEvent);
      }
      default:
        return e;
    }
  };
  return { attempt, result, event };
}

/** See {@link wholeMilliseconds}. */
export interface WholeMilliseconds {
  attempt(record: AttemptRecord): AttemptRecord;
  result<R extends StepResult | TestResult | SuiteResult>(result: R): R;
  event(event: RunEvent): RunEvent;
}

/** `o` with each own `*Ms` number rounded; `o` itself when there is nothing to round. */
function roundFields<T extends object>(o: T): T {
  let out: T | undefined;
  for (const [key, value] of Object.entries(o)) {
    if (!key.endsWith('Ms') || typeof value !== 'number' || Number.isInteger(value) || !Number.isFinite(value)) continue;
    out ??= { ...o };
    (out as Record<string, unknown>)[key] = Math.round(value);
  }
  return out ?? o;
}
