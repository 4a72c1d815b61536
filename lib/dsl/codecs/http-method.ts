import * as E from 'fp-ts/lib/Either.js';
import { checkedString } from './checked-string.js';
import { unsupportedMessage } from './keyword.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'] as const;

/**
 * An HTTP method, case-insensitive, decoded upper-case (`post` -> `POST`). A template is kept
 * as written and checked once rendered.
 *
 * HttpMethod.decode('post')   // Right('POST')
 * HttpMethod.decode('GETT')   // Left: method "GETT" is not supported; supported: GET, POST, ...; did you mean "GET"?
 */
export const HttpMethod = checkedString(
  `an HTTP method (${METHODS.join(', ')})`,
  (u) => {
    const upper = u.trim().toUpperCase();
    return (METHODS as readonly string[]).includes(upper) ? E.right(upper) : E.left(unsupportedMessage('method', u, METHODS));
  },
  // The enum is what an editor offers; the pattern is the rule (any case, blanks around).
  { anyOf: [{ enum: [...METHODS] }, { type: 'string', pattern: `^\\s*(?:${METHODS.map(anyCase).join('|')})\\s*$` }] },
);
export type HttpMethod = string;

/** `get` -> `[Gg][Ee][Tt]`: a pattern matching the word in any case. */
function anyCase(word: string): string {
  return [...word].map((ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`).join('');
}
