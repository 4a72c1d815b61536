/**
 * One problem found in a suite file, with everything needed to show it to a person or a
 * program (`rocketship validate --json` prints these as they are).
 *
 * ```ts
 * {
 *   file: 'jobs/rocketship.yaml', line: 12, col: 19,
 *   path: 'tests[0].steps[1].config.polling.interval',
 *   message: '"2 seconds" is not a duration: write a number and a unit (ns, us, ms, s, m, h), e.g. "250ms", "2s", "1.5s", "1m30s"',
 *   expected: 'a duration such as "250ms", "2s", "1.5s", "1m30s"', found: '"2 seconds"',
 *   source: '        interval: "2 seconds"', length: 11,
 * }
 * ```
 */
export interface DslError {
  /** The file as it was named to the decoder. */
  readonly file: string;
  /** 1-based line of the offending node (of the key itself for an unknown or duplicate key). */
  readonly line: number;
  /** 1-based column of the offending node. */
  readonly col: number;
  /** Key path of the node, e.g. `tests[0].steps[1].config.polling.interval`; `''` for the whole file. */
  readonly path: string;
  /** What is wrong, and when possible what to write instead. */
  readonly message: string;
  /** What the decoder expected there. */
  readonly expected?: string;
  /** What it found, shortly described (`"2 seconds"`, `5`, `a list`, `nothing`). */
  readonly found?: string;
  /** The text of the line at `line`, without its line break. */
  readonly source?: string;
  /** Width in characters of the offending node on that line, for the caret (at least 1). */
  readonly length?: number;
}
