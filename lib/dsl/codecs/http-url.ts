import * as E from 'fp-ts/lib/Either.js';
import { checkedString } from './checked-string.js';

/**
 * An absolute `http://` or `https://` URL. A URL holding a template (`{{ .vars.base_url }}/x`)
 * is only known once rendered and is accepted as written.
 *
 * HttpUrl.decode('https://api.example.com/jobs/123')   // Right(...)
 * HttpUrl.decode('api.example.com/jobs')               // Left: url must be absolute ...
 */
export const HttpUrl = checkedString(
  'an absolute http(s) URL such as "https://api.example.com/jobs"',
  (u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      return E.left(`url ${JSON.stringify(u)} is not an absolute URL; write it with its scheme, e.g. "https://${u.replace(/^\/+/, '')}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return E.left(`url ${JSON.stringify(u)} must use http or https, found ${url.protocol.replace(/:$/, '')}`);
    }
    return E.right(u);
  },
  // The scheme as the URL parser reads it: any case, after C0 controls and spaces, with tabs
  // and line breaks anywhere ignored. The rest of the URL's syntax is the parser's.
  { type: 'string', pattern: `^[\\u0000-\\u0020]*${[...'http'].map(ignoringBreaks).join('')}(?:${ignoringBreaks('s')})?:` },
);
export type HttpUrl = string;

/** `h` -> `[Hh][\t\n\r]*`: the letter in any case, then what the URL parser removes. */
function ignoringBreaks(letter: string): string {
  return `[${letter.toUpperCase()}${letter}][\\t\\n\\r]*`;
}
