/**
 * Makes text from the run (names, log messages, response bodies) safe to print on a terminal or
 * in a CI log: control characters that could move the cursor, recolour or overwrite the output
 * (ESC, CR, BEL, C1 controls...) become visible escapes such as `\x1b`; tabs are kept.
 * CRLF and lone CR line ends become LF.
 *
 * @example
 * printable('ok\x1b[31m red')   // 'ok\\x1b[31m red'
 */
export function printable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Splits text into printable lines: `printable`, then one entry per line. An empty text gives
 * one empty line.
 *
 * @example
 * printableLines('a\r\nb')   // ['a', 'b']
 */
export function printableLines(text: string): string[] {
  return printable(text).split('\n');
}

/**
 * Puts text on one printable line: line breaks become a space. Used for names inside `[...]`.
 *
 * @example
 * oneLine('Create\njob')   // 'Create job'
 */
export function oneLine(text: string): string {
  return printable(text).replace(/\n+/g, ' ');
}
