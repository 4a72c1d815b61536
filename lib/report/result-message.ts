import { formatStepProblem } from '../step/format-step-problem.js';
import type { SuiteResult, UnpassedStep } from '../event/run-event.js';

/**
 * The text reporters show for a step that did not pass: its failure or error (see
 * `formatStepProblem`), or why it was interrupted.
 */
export function unpassedMessage(result: UnpassedStep): string {
  return result._tag === 'Interrupted' ? result.reason : formatStepProblem(result.cause);
}

/**
 * The suite-level message of a suite result, when it has one: which suite `init` step did not
 * pass, and why (the tests were then skipped).
 *
 * suiteMessage(result) // 'suite init step "login" did not pass: 1 assertion failed:\n  status_code: expected 200, actual 401'
 */
export function suiteMessage(result: SuiteResult): string | undefined {
  const init = result.initFailure;
  return init === undefined ? undefined : `suite init step "${init.step}" did not pass: ${unpassedMessage(init.result)}`;
}
