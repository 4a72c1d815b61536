/**
 * JSON text made safe to put inside an HTML `<script>` element, as the same JSON value.
 *
 * The HTML parser ends a script at the first `</script` (any case) and treats `<!--` and
 * `<script` inside it specially, whatever the script's type; JSON text from a server can hold
 * all three. In JSON, `<` and `>` can only be inside strings, where `\u003c` and `\u003e` mean
 * the same characters, so every one is escaped and the parser never sees a tag. `&` is escaped
 * too (harmless, and safe should the text ever land in an attribute), and U+2028 and U+2029,
 * which JSON allows raw in strings but older JavaScript engines read as line ends.
 *
 * scriptSafeJson('{"body":"</script><script>alert(1)</script>"}')
 * // '{"body":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'
 */
export function scriptSafeJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c] as string);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
