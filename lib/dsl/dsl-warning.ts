import { caretLines } from './format-dsl-error.js';

/**
 * Something in a valid suite file that is allowed but likely to confuse, with where it is
 * (`rocketship validate` prints these; they never change its exit code).
 *
 * ```ts
 * {
 *   file: 'users.yaml', line: 13, col: 11, path: 'tests[2].name',
 *   message: '2 tests are named "Get user" (lines 3 and 13); they still run and are reported apart, the later ones numbered as in "Get user (2)"',
 *   lines: [3, 13],
 * }
 * ```
 */
export interface DslWarning {
  /** The file as it was named to the decoder. */
  readonly file: string;
  /** 1-based line of the node the warning is about. */
  readonly line: number;
  /** 1-based column of that node. */
  readonly col: number;
  /** Key path of that node, e.g. `tests[2].name`. */
  readonly path: string;
  /** What was found, and what it leads to. */
  readonly message: string;
  /** Every line involved (e.g. each test sharing a name), in file order. */
  readonly lines: readonly number[];
  /** The text of the line at `line`, when a caret points into it (a template). */
  readonly source?: string;
  /** Width in characters of what the caret underlines on that line (at least 1). */
  readonly length?: number;
}

/**
 * Renders a {@link DslWarning}: `file:line:col: warning: message` on one line, the form editors
 * and CI problem matchers link to; when the warning points into a line (`source`), the key path
 * and that line with a caret follow, as for an error (see `formatDslError`).
 */
export function formatDslWarning(w: DslWarning): string {
  const first = `${w.file}:${w.line}:${w.col}: warning: ${w.message}`;
  if (w.source === undefined) return first;
  return [first, `  at ${w.path === '' ? 'the top level' : w.path}`, ...caretLines(w.line, w.col, w.source, w.length ?? 1)].join('\n');
}
