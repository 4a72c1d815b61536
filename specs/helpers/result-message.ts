import type { StepResult, TestResult } from '../../lib/event/run-event.js';
import { formatStepProblem } from '../../lib/step/format-step-problem.js';

/** The text a reporter shows for a result: its failure's or error's message, or its reason; '' for a pass. */
export function messageOf(result: StepResult | TestResult): string {
  switch (result._tag) {
    case 'Failed':
    case 'Errored':
      return formatStepProblem(result.cause);
    case 'Skipped':
    case 'Interrupted':
      return result.reason;
    case 'Passed':
      return '';
  }
}
