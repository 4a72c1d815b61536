import { CST, Parser } from 'yaml';

/** A quoted string that is never closed: where its opening quote is, and which quote it is. */
export interface UnclosedQuote {
  /** Offset of the opening quote in the text. */
  readonly offset: number;
  readonly quote: '"' | "'";
}

/**
 * The opening quote of the quoted string that a "Missing closing quote" error of the `yaml`
 * package is about. The package reports that error where it gave up, at the end of the file
 * (the string took in every line after it); the person needs the line where the quote opens.
 *
 * The string is the quoted scalar of the parse tree whose text runs over `errorOffset`, the
 * start of the package's error. Undefined when there is none (the error is about something else).
 *
 * // line 3 is `  - name: "unclosed`; the package says line 6, column 1
 * unclosedQuote(text, 56)   // { offset: 25, quote: '"' }
 */
export function unclosedQuote(text: string, errorOffset: number): UnclosedQuote | undefined {
  let found: UnclosedQuote | undefined;
  const consider = (token: CST.Token | null | undefined): void => {
    if (found !== undefined || token === null || token === undefined) return;
    if (token.type !== 'double-quoted-scalar' && token.type !== 'single-quoted-scalar') return;
    if (token.offset <= errorOffset && errorOffset <= token.offset + token.source.length)
      found = { offset: token.offset, quote: token.type === 'double-quoted-scalar' ? '"' : "'" };
  };
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    consider(token.value);
    CST.visit(token, (item) => {
      consider(item.key);
      consider(item.value);
      return found === undefined ? undefined : CST.visit.BREAK;
    });
    if (found !== undefined) break;
  }
  return found;
}

/** What to say at the opening quote: `this " is never closed: the string runs from here to the end of the file`. */
export function formatUnclosedQuote(quote: UnclosedQuote): string {
  return `this ${quote.quote} is never closed: the string runs from here to the end of the file`;
}
