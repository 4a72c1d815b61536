import type { RunEvent } from '../../lib/event/run-event.js';

/** A compact, comparable line per event: `t=<virtual ms> <tag> <test>/<step> <result>`. */
export function line(e: RunEvent): string {
  switch (e._tag) {
    case 'SuiteStarted':
      return `${e.at} SuiteStarted`;
    case 'SuiteEnded':
      return `${e.at} SuiteEnded ${e.result._tag} p${e.result.passed} f${e.result.failed} s${e.result.skipped} i${e.result.interrupted}`;
    case 'TestStarted':
      return `${e.at} TestStarted ${e.ref.test}`;
    case 'TestEnded':
      return `${e.at} TestEnded ${e.ref.test} ${e.result._tag}`;
    case 'StepStarted':
      return `${e.at} StepStarted ${e.ref.test ?? '-'}/${e.ref.phase}/${e.ref.step}`;
    case 'StepEnded':
      return `${e.at} StepEnded ${e.ref.test ?? '-'}/${e.ref.phase}/${e.ref.step} ${e.result._tag}`;
    case 'AttemptMade':
      return `${e.at} Attempt ${e.ref.step} #${e.attempt.number}`;
    case 'LogEmitted':
      return `${e.at} Log ${e.message}`;
  }
}

/** {@link line} of each event. */
export const lines = (events: RunEvent[]) => events.map(line);
