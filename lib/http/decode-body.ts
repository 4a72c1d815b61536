import { isUtf8 } from 'node:buffer';
import type { Json } from '../json.js';
import type { Body } from './http-client.js';

/**
 * Bodies up to this size (in bytes) keep their text; a larger body keeps only its bytes (and its
 * parsed value) and decodes `text` when asked. A 10 MB JSON body would otherwise be held three
 * times over (bytes, text, parsed value) for as long as its response lives.
 */
export const EAGER_TEXT_BYTES = 64 * 1024;

/**
 * Turns response bytes into a {@link Body}: JSON when the bytes are UTF-8 text that parses as
 * JSON, whatever the Content-Type says (Rocketship parses the body the same way for `json_path`
 * checks); otherwise the text and the reason it is not JSON.
 *
 * A UTF-8 byte order mark is dropped. Bytes that are not UTF-8 give `NotJson` with the text decoded
 * leniently (U+FFFD for each bad sequence), so reports can still show an excerpt.
 *
 * Memory: the text is decoded once to be parsed, then dropped when the body is larger than
 * {@link EAGER_TEXT_BYTES}: such a body keeps its bytes once plus its parsed value, and its
 * `text` is decoded again on each read (use {@link bodyExcerpt} for the start of it).
 *
 * decodeBody(Buffer.from('{"a":1}'))   // { _tag: 'Json', value: { a: 1 }, text: '{"a":1}' }
 * decodeBody(Buffer.from('<html>'))    // { _tag: 'NotJson', text: '<html>', reason: 'not JSON: Unexpected token ...' }
 * decodeBody(new Uint8Array())         // { _tag: 'NotJson', text: '', reason: 'empty body' }
 */
export function decodeBody(bytes: Uint8Array): Body {
  if (bytes.length === 0) return { _tag: 'NotJson', text: '', reason: 'empty body' };
  // Checked, then decoded (which replaces nothing in valid text): faster than a fatal
  // TextDecoder, which goes through ICU (~0.3 ms to make and first use, then slower per body).
  if (!isUtf8(bytes)) return withText({ _tag: 'NotJson', reason: `not UTF-8 text (${bytes.length} bytes)` }, bytes, utf8.decode(bytes));
  const text = utf8.decode(bytes);
  try {
    // JSON.parse yields exactly the Json shapes (null, boolean, number, string, arrays, objects).
    return withText({ _tag: 'Json', value: JSON.parse(text) as Json }, bytes, text);
  } catch (e) {
    return withText({ _tag: 'NotJson', reason: `not JSON: ${e instanceof Error ? e.message : String(e)}` }, bytes, text);
  }
}

/**
 * The start of a body's text for reports: the whole text when it has at most `maxChars`
 * characters, else its first `maxChars` followed by `… (N chars)`. Only the start of a large
 * body is decoded, and the result is a string of its own (a slice of the body's text would keep
 * the whole text alive for as long as the excerpt: in a report, for the whole run).
 *
 * bodyExcerpt(decodeBody(Buffer.from('x'.repeat(1000))), 5)   // 'xxxxx… (1000 chars)'
 */
export function bodyExcerpt(body: Body, maxChars: number): string {
  const large = lazy.get(body);
  if (large === undefined) {
    const text = body.text;
    return text.length <= maxChars ? text : `${ownCopy(text.slice(0, maxChars))}… (${text.length} chars)`;
  }
  if (large.length <= maxChars) return body.text;
  // At most 4 bytes a character: this many bytes hold the first maxChars characters.
  const head = utf8.decode(large.bytes.subarray(0, 4 * maxChars + 4)).slice(0, maxChars);
  return `${ownCopy(head)}… (${large.length} chars)`;
}

/** Bodies whose text is decoded on demand: their bytes and the length of their text. */
const lazy = new WeakMap<Body, { readonly bytes: Uint8Array; readonly length: number }>();

/** Adds `text` to a body: the string itself when small, else a getter that decodes the bytes. */
function withText(body: DistributiveOmit<Body, 'text'>, bytes: Uint8Array, text: string): Body {
  // Written out, not `{ ...body, text }`: this runs on every response, mostly before V8 has
  // optimized it, where a spread is a runtime call.
  if (bytes.length <= EAGER_TEXT_BYTES)
    return body._tag === 'Json' ? { _tag: 'Json', value: body.value, text } : { _tag: 'NotJson', reason: body.reason, text };
  const out = Object.defineProperty({ ...body }, 'text', { get: () => utf8.decode(bytes), enumerable: true }) as Body;
  lazy.set(out, { bytes, length: text.length });
  return out;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A copy of a (short) string that shares no memory with the string it was cut from. */
function ownCopy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/** UTF-8, a byte order mark dropped, U+FFFD for each bad sequence. */
const utf8 = new TextDecoder('utf-8');
