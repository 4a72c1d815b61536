import { JavaScriptLexer } from './javascript-lexer.js';

/**
 * The name of the function `markThrows` calls; the script's context defines it (see the prelude
 * in `script-worker.ts`).
 */
export const THROW_MARK = '__rocketship_throw__';

/**
 * Notes the line of each `throw` statement as it runs: `throw x` becomes
 * `throw __rocketship_throw__(3), x` (the comma expression throws `x`), with no line added or
 * removed. Why: a thrown value that is not an Error has no stack, so nothing else can tell which
 * line threw it.
 *
 * Only the keyword in code counts (not `x.throw()`, strings, comments or regular expressions), and
 * only when the thrown expression starts on the same line (`throw` then a line break is a syntax
 * error, which must stay one). A script in which `throw` names something else (a method
 * `throw() {}`) no longer compiles once marked: the caller then runs it unmarked.
 *
 * markThrows('if (bad)\n  throw { code: 7 }')   // 'if (bad)\n  throw __rocketship_throw__(2), { code: 7 }'
 */
export function markThrows(code: string): string {
  const marks: Array<{ readonly at: number; readonly line: number }> = [];
  const lexer: JavaScriptLexer = new JavaScriptLexer((word, end, previous) => {
    if (word !== 'throw' || (previous._tag === 'Punctuator' && previous.text === '.')) return;
    const next = /[^ \t]/.exec(code.slice(end, end + 200));
    if (next === null || /[\n\r\u2028\u2029/:]/.test(next[0])) return;
    marks.push({ at: end, line: lexer.line });
  });
  lexer.feed(code);
  let out = '';
  let from = 0;
  for (const { at, line } of marks) {
    out += `${code.slice(from, at)} ${THROW_MARK}(${line}),`;
    from = at;
  }
  return out + code.slice(from);
}
