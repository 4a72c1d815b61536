import { type Document, isScalar, type LineCounter, type Node } from 'yaml';
import type { KeyPath } from './key-path.js';
import { findNode, lineCol, spanOf } from './yaml-nodes.js';

/** Characters of a string value of a suite file, by their offsets in the string as decoded. */
export interface TextSpan {
  /** The `{{` that opens the template the span is in (0-based, in the decoded string). */
  readonly open: number;
  /** First character to point at (at or after `open`). */
  readonly from: number;
  /** Just past the last character to point at. */
  readonly to: number;
  /** The string is the map key at the end of the path (a header name), not its value. */
  readonly key?: boolean | undefined;
}

/** Where a {@link TextSpan} is in the file. */
export interface TextPosition {
  /** 1-based line and column of the span's first character. */
  readonly line: number;
  readonly col: number;
  /** How many characters to underline on that line (at least 1). */
  readonly length: number;
}

/**
 * Finds characters of a string value in the source text of a YAML document, for a caret under a
 * template inside a longer string (`url: "{{ .vars.base }}/jobs/{{ job_id }}"`).
 *
 * A string's characters are not always where they read: quotes, escapes (`"\t"`), block scalar
 * indentation and folded lines come between. A template's `{{` is, though: YAML writes braces as
 * they are in every style, so the n-th `{{` of the decoded string is the n-th `{{` of its source.
 * The span is found from there when the source holds the template's text unchanged (the usual
 * case: a template is not split over lines); otherwise the `{{` alone is pointed at. When even
 * that fails (a brace written as an escape), the position is that of the string itself.
 *
 * locateTextIn(doc, lineCounter, text, ['tests', 0, 'steps', 0, 'config', 'url'], { open: 23, from: 23, to: 35 })
 * // { line: 9, col: 41, length: 12 }
 */
export function locateTextIn(
  doc: Document,
  lineCounter: LineCounter,
  text: string,
  path: KeyPath,
  span: TextSpan,
): TextPosition | undefined {
  const hit = findNode(doc, path);
  if (hit.resolved < path.length) return undefined;
  const node: Node | null = span.key === true ? hit.key : hit.node;
  const whole = (): TextPosition | undefined => {
    const at = spanOf(hit, span.key === true);
    return at === undefined ? undefined : { ...lineCol(lineCounter, at.offset), length: at.length };
  };
  if (!isScalar(node) || typeof node.value !== 'string' || node.range === undefined || node.range === null) return whole();
  const value = node.value;
  const [start, end] = node.range;
  const source = text.slice(start, end);
  const at = sourceOffset(source, value, span);
  if (at === undefined) return whole();
  return { ...lineCol(lineCounter, start + at.offset), length: at.length };
}

/**
 * The offset in `source` (a scalar's text as written) of `span` of `value` (the scalar as
 * decoded), and the width to underline; see {@link locateTextIn}.
 */
export function sourceOffset(source: string, value: string, span: TextSpan): { offset: number; length: number } | undefined {
  const nth = occurrencesBefore(value, span.open);
  const open = nthOccurrence(source, nth);
  if (open === undefined || value.slice(span.open, span.open + 2) !== '{{') return undefined;
  const written = value.slice(span.open, span.to);
  if (source.slice(open, open + written.length) === written)
    return { offset: open + (span.from - span.open), length: Math.max(1, span.to - span.from) };
  return { offset: open, length: 2 };
}

/** How many `{{` start before `end` in `s` (overlapping ones too: `{{{` holds two). */
function occurrencesBefore(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('{{'); i >= 0 && i < end; i = s.indexOf('{{', i + 1)) n += 1;
  return n;
}

/** Where the n-th (0-based) `{{` of `s` starts, counted as {@link occurrencesBefore} counts. */
function nthOccurrence(s: string, n: number): number | undefined {
  let i = s.indexOf('{{');
  for (let k = 0; k < n && i >= 0; k += 1) i = s.indexOf('{{', i + 1);
  return i < 0 ? undefined : i;
}
