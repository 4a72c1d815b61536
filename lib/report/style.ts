/**
 * Colours for the console, or none. The reporter receives `color: boolean` (the CLI maps
 * `NO_COLOR` and `--no-color`); with `false` every function returns its text unchanged, so no
 * ANSI code can reach the output.
 */
export interface Style {
  /** Green: a passed test or step. */
  readonly passed: (text: string) => string;
  /** Red: a failed or errored test or step. */
  readonly failed: (text: string) => string;
  /** Yellow: skipped and interrupted. */
  readonly skipped: (text: string) => string;
  /** Dim: details (durations, requests, responses, progress). */
  readonly dim: (text: string) => string;
  /** Bold: the final summary. */
  readonly bold: (text: string) => string;
}

/** Returns the colouring functions: ANSI SGR codes when `color` is true, identity otherwise. */
export function makeStyle(color: boolean): Style {
  if (!color) return PLAIN;
  return {
    passed: sgr(32, 39),
    failed: sgr(31, 39),
    skipped: sgr(33, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
  };
}

const identity = (text: string): string => text;

const PLAIN: Style = { passed: identity, failed: identity, skipped: identity, dim: identity, bold: identity };

// Each colour closes with its own reset code (39: default colour, 22: normal intensity) so that
// nesting `dim(passed(x))` leaves the outer style intact.
function sgr(open: number, close: number): (text: string) => string {
  return (text) => (text === '' ? '' : `\x1b[${open}m${text}\x1b[${close}m`);
}
