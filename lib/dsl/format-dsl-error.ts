import type { DslError } from './dsl-error.js';

/**
 * Renders a {@link DslError} for a terminal, in the manner of Hurl and rustc: location and
 * message first, then the key path, what was expected and found, and the source line with a
 * caret under the offending node.
 *
 * formatDslError(e) ===
 * `jobs.yaml:12:19: "2 seconds" is not a duration: write a number and a unit (ns, us, ms, s, m, h), e.g. "250ms", "2s", "1.5s", "1m30s"
 *   at tests[0].steps[1].config.polling.interval
 *   expected: a duration such as "250ms", "2s", "1.5s", "1m30s"
 *   found:    "2 seconds"
 *    |
 * 12 |         interval: "2 seconds"
 *    |                   ^^^^^^^^^^^`
 *
 * The expected/found lines are left out when the message already says both.
 */
export function formatDslError(e: DslError): string {
  const lines = [`${e.file}:${e.line}:${e.col}: ${e.message}`];
  lines.push(`  at ${e.path === '' ? 'the top level' : e.path}`);
  const saysBoth = e.expected !== undefined && e.found !== undefined && e.message.includes(e.expected) && e.message.includes(e.found);
  if (!saysBoth) {
    if (e.expected !== undefined) lines.push(`  expected: ${e.expected}`);
    if (e.found !== undefined) lines.push(`  found:    ${e.found}`);
  }
  if (e.source !== undefined) lines.push(...caretLines(e.line, e.col, e.source, e.length ?? 1));
  return lines.join('\n');
}

/**
 * The source line of a problem with a caret under `length` characters from `col`, in three
 * lines (a gutter with the line number, as rustc and Hurl print it):
 *
 * caretLines(12, 19, '        interval: "2 seconds"', 11)
 * // ['   |', '12 |         interval: "2 seconds"', '   |                   ^^^^^^^^^^^']
 */
export function caretLines(line: number, col: number, source: string, length: number): string[] {
  const number = String(line);
  const gutter = ' '.repeat(number.length);
  const clipped = clip(source, Math.max(1, col));
  // Keep tabs in the padding so the caret lines up under tab-indented text.
  const pad = clipped.text.slice(0, clipped.col - 1).replace(/[^\t]/g, ' ');
  const room = Math.max(1, clipped.end - (clipped.col - 1));
  const width = Math.max(1, Math.min(length, room));
  return [`${gutter} |`, `${number} | ${clipped.text}`, `${gutter} | ${pad}${'^'.repeat(width)}`];
}

/** The widest source line shown; a longer one is cut to this many characters around the column. */
const MAX_SOURCE = 160;

/**
 * A source line cut around `col` (with `…` where text was left out), the column in the cut
 * text, and where the source text in it ends (before a trailing `…`).
 */
function clip(source: string, col: number): { text: string; col: number; end: number } {
  if (source.length <= MAX_SOURCE) return { text: source, col, end: source.length };
  const start = Math.max(0, Math.min(col - 1 - MAX_SOURCE / 2, source.length - MAX_SOURCE));
  const end = Math.min(source.length, start + MAX_SOURCE);
  const head = start > 0 ? '…' : '';
  const shown = `${head}${source.slice(start, end)}`;
  return { text: `${shown}${end < source.length ? '…' : ''}`, col: col - start + head.length, end: shown.length };
}
