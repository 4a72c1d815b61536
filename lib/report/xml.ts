/**
 * Replaces what XML 1.0 cannot hold at all, even escaped: control characters other than tab, LF
 * and CR, lone UTF-16 surrogates, U+FFFE and U+FFFF. Each becomes U+FFFD (the replacement
 * character), so a report built from a binary response body still parses.
 *
 * @example
 * legalXmlChars('a\x00b\x1bc')   // 'a\uFFFDb\uFFFDc'
 */
export function legalXmlChars(text: string): string {
  return text.replace(ILLEGAL_XML_CHARS, '\uFFFD');
}

/**
 * Text content of an element: illegal characters replaced, then `&`, `<` and `>` escaped (`>`
 * so that `]]>` can never appear).
 *
 * @example
 * xmlText('a < b && c')   // 'a &lt; b &amp;&amp; c'
 */
export function xmlText(text: string): string {
  return legalXmlChars(text).replace(/[&<>]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/**
 * An attribute value (to go between double quotes): as `xmlText`, plus quotes, and tab, LF and
 * CR as character references, which attribute-value normalisation would otherwise turn into
 * spaces.
 *
 * @example
 * xmlAttr('say "hi"\nbye')   // 'say &quot;hi&quot;&#10;bye'
 */
export function xmlAttr(text: string): string {
  return legalXmlChars(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

// With the `u` flag a lone surrogate is one code point outside the allowed ranges.
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
