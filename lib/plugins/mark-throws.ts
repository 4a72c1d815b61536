import { JavaScriptLexer } from './javascript-lexer.js';

/**
 * The name of the function `markThrows` calls; the script's context defines it (see the prelude
 * in `script-worker.ts`).
 */
export const THROW_MARK = '__rocketship_throw__';

/**
 * Notes the line and column of each `throw` statement as it runs: `throw x` becomes
 * `throw __rocketship_throw__(3, 5), x` (the comma expression throws `x`; 3 and 5 are where the
 * `throw` keyword is in `code`, 1-based), with no line added or removed. Why: a thrown value that
 * is not an Error has no stack, so nothing else can tell where it was thrown. Columns after a mark
 * on its line move right in the marked text: {@link codeColumn} moves them back.
 *
 * Only the keyword in code counts (not `x.throw()`, strings, comments or regular expressions), and
 * only when the thrown expression starts on the same line (`throw` then a line break is a syntax
 * error, which must stay one). A script in which `throw` names something else (a method
 * `throw() {}`) no longer compiles once marked: the caller then runs it unmarked.
 *
 * markThrows('if (bad)\n  throw { code: 7 }')   // 'if (bad)\n  throw __rocketship_throw__(2, 3), { code: 7 }'
 */
export function markThrows(code: string): string {
  let out = '';
  let from = 0;
  for (const mark of throwMarks(code)) {
    out += `${code.slice(from, mark.at)}${mark.text}`;
    from = mark.at;
  }
  return out + code.slice(from);
}

/**
 * The column in `code` of a place that is at `line`, `column` (1-based) in `markThrows(code)`:
 * the text the marks on that line added before it is taken off. A place inside a mark (it never
 * should be) is the end of its `throw` keyword.
 *
 * codeColumn('if (bad) throw new Error("x")', 1, 43)   // 16: `new`, past the mark's 27 characters
 */
export function codeColumn(code: string, line: number, column: number): number {
  let shift = 0;
  for (const mark of throwMarks(code)) {
    if (mark.line !== line) continue;
    // Where the mark starts in the marked line (0-based), with the marks before it on the line.
    const start = mark.column - 1 + shift;
    if (column - 1 < start) break;
    if (column - 1 < start + mark.text.length) return mark.column;
    shift += mark.text.length;
  }
  return column - shift;
}

/** A mark to insert: at offset `at` of the code (just after `throw`), at `line` and `column` (1-based) there. */
interface ThrowMark {
  readonly at: number;
  readonly line: number;
  readonly column: number;
  /** The text inserted: ` __rocketship_throw__(LINE, COLUMN),` with the keyword's own line and column. */
  readonly text: string;
}

function throwMarks(code: string): ThrowMark[] {
  const marks: ThrowMark[] = [];
  const lexer: JavaScriptLexer = new JavaScriptLexer((word, end, previous) => {
    if (word !== 'throw' || (previous._tag === 'Punctuator' && previous.text === '.')) return;
    const next = /[^ \t]/.exec(code.slice(end, end + 200));
    if (next === null || /[\n\r\u2028\u2029/:]/.test(next[0])) return;
    const keyword = end - word.length;
    const lineStart = lastLineBreak(code, keyword) + 1;
    marks.push({
      at: end,
      line: lexer.line,
      column: end - lineStart + 1,
      text: ` ${THROW_MARK}(${lexer.line}, ${keyword - lineStart + 1}),`,
    });
  });
  lexer.feed(code);
  return marks;
}

/** The offset of the last line terminator before `offset` (as JavaScript counts lines), or -1. */
function lastLineBreak(code: string, offset: number): number {
  for (let i = offset - 1; i >= 0; i--) if (/[\n\r\u2028\u2029]/.test(code[i] as string)) return i;
  return -1;
}
