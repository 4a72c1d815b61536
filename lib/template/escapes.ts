/**
 * What a run of backslashes written right before `{{` leaves behind, following Rocketship, which
 * consumes escapes twice (once when the suite's config variables are processed, once when the
 * plugin renders the value). Each pass halves the backslashes; an odd count makes the `{{` literal.
 *
 * | written      | result                  |
 * |--------------|-------------------------|
 * | `{{ x }}`    | the value of x          |
 * | `\{{ x }}`   | `{{ x }}` (literal)     |
 * | `\\{{ x }}`  | `{{ x }}` (literal)     |
 * | `\\\{{ x }}` | `\{{ x }}` (literal)    |
 * | `\\\\{{ x }}`| `\` then the value of x |
 *
 * Backslashes anywhere else are ordinary text and are kept.
 */
export interface EscapeOutcome {
  /** How many backslashes remain in the output, before the `{{`. */
  readonly kept: number;
  /** Whether the `{{` is literal text (true) or opens a template (false). */
  readonly literal: boolean;
}

export function escapeOutcome(backslashes: number): EscapeOutcome {
  if (backslashes === 0) return { kept: 0, literal: false };
  if (backslashes % 2 === 1) return { kept: (backslashes - 1) / 2, literal: true };
  const half = backslashes / 2;
  if (half % 2 === 1) return { kept: (half - 1) / 2, literal: true };
  return { kept: half / 2, literal: false };
}

/** The number of consecutive backslashes ending right before index `i`, not looking before `floor`. */
export function backslashesBefore(s: string, i: number, floor = 0): number {
  let n = 0;
  while (i - n - 1 >= floor && s[i - n - 1] === '\\') n += 1;
  return n;
}
