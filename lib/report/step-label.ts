import type { Phase, StepRef } from '../event/run-event.js';
import { oneLine } from './printable.js';

/**
 * The bracketed path that starts every console line, `[suite] [test] [step]`.
 *
 * Steps of a test's `steps` phase get exactly that; the other phases add their name before the
 * step (`[suite] [test] [cleanup] [Delete job]`), and suite-level steps, which belong to no
 * test, name the phase in the test's place (`[suite] [suite init] [Create token]`).
 *
 * @example
 * formatStepLabel({ suite: 'Async', test: 'Jobs', phase: 'steps', step: 'Wait', ... })
 * // '[Async] [Jobs] [Wait]'
 */
export function formatStepLabel(ref: StepRef): string {
  return bracket(stepLabelParts(ref));
}

/** The parts of `formatStepLabel`, unbracketed. */
export function stepLabelParts(ref: StepRef): string[] {
  if (ref.test === undefined) return [ref.suite, PHASE_NAMES[ref.phase], ref.step];
  return ref.phase === 'steps' ? [ref.suite, ref.test, ref.step] : [ref.suite, ref.test, PHASE_NAMES[ref.phase], ref.step];
}

/** The label of a step inside its test, as used in JUnit `system-out`: `[Wait]`, `[cleanup] [Delete job]`. */
export function formatStepLabelInTest(ref: Pick<StepRef, 'phase' | 'step'>): string {
  return bracket(ref.phase === 'steps' ? [ref.step] : [PHASE_NAMES[ref.phase], ref.step]);
}

/** `[a] [b] [c]`, each part on one printable line. */
export function bracket(parts: readonly string[]): string {
  return parts.map((part) => `[${oneLine(part)}]`).join(' ');
}

/** How each lifecycle phase is named in console lines and reports. */
export const PHASE_NAMES: Readonly<Record<Phase, string>> = {
  suite_init: 'suite init',
  init: 'init',
  steps: 'steps',
  cleanup_on_failure: 'cleanup on failure',
  cleanup_always: 'cleanup',
  suite_cleanup_on_failure: 'suite cleanup on failure',
  suite_cleanup_always: 'suite cleanup',
};
