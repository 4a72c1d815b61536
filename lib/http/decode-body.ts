import type { Json } from '../json.js';
import type { Body } from './http-client.js';

/**
 * Turns response bytes into a {@link Body}: JSON when the bytes are UTF-8 text that parses as
 * JSON, whatever the Content-Type says (Rocketship parses the body the same way for `json_path`
 * checks); otherwise the text and the reason it is not JSON.
 *
 * A UTF-8 byte order mark is dropped. Bytes that are not UTF-8 give `NotJson` with the text decoded
 * leniently (U+FFFD for each bad sequence), so reports can still show an excerpt.
 *
 * decodeBody(Buffer.from('{"a":1}'))   // { _tag: 'Json', value: { a: 1 }, text: '{"a":1}' }
 * decodeBody(Buffer.from('<html>'))    // { _tag: 'NotJson', text: '<html>', reason: 'not JSON: Unexpected token ...' }
 * decodeBody(new Uint8Array())         // { _tag: 'NotJson', text: '', reason: 'empty body' }
 */
export function decodeBody(bytes: Uint8Array): Body {
  if (bytes.length === 0) return { _tag: 'NotJson', text: '', reason: 'empty body' };
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return {
      _tag: 'NotJson',
      text: lenientUtf8.decode(bytes),
      reason: `not UTF-8 text (${bytes.length} bytes)`,
    };
  }
  try {
    // JSON.parse yields exactly the Json shapes (null, boolean, number, string, arrays, objects).
    return { _tag: 'Json', value: JSON.parse(text) as Json, text };
  } catch (e) {
    return { _tag: 'NotJson', text, reason: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
