import * as E from 'fp-ts/lib/Either.js';
import { checkedString } from './checked-string.js';

/**
 * A JavaScript regular expression source (the `matches` matcher), compiled when the file is
 * decoded so that a broken pattern is reported with its line. A pattern containing a template
 * is compiled when the step runs instead.
 *
 * RegexString.decode('^job-[0-9]+$')   // Right('^job-[0-9]+$')
 * RegexString.decode('([a-z]')         // Left: invalid regular expression "([a-z]": ...
 */
export const RegexString = checkedString('a regular expression', (u) => {
  const problem = regexProblem(u);
  return problem === undefined ? E.right(u) : E.left(`invalid regular expression ${JSON.stringify(u)}: ${problem}`);
});
export type RegexString = string;

function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    // The engine's message repeats the pattern ("Invalid regular expression: /x/u: ..."); keep the reason.
    const message = e instanceof Error ? e.message : String(e);
    return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}
