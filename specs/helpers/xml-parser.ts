// A small, strict XML 1.0 parser for the JUnit specs: it accepts only well-formed documents
// (matching tags, quoted attributes, no duplicate attribute, no raw `<` or `&` in text or
// attributes, only the predefined entities and character references, only characters XML 1.0
// allows) and throws with the offset otherwise. Attribute values are normalised as the spec
// says (a literal tab or line break becomes a space; `&#10;` stays a line break).

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (CDATA included), children's text excluded. */
  readonly text: string;
}

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
  }
}

const LEGAL = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;

export function parseXml(source: string): XmlElement {
  if (!LEGAL.test(source)) {
    const bad = [...source].findIndex((c) => !LEGAL.test(c));
    throw new XmlSyntaxError(`illegal XML 1.0 character U+${source.codePointAt(bad)?.toString(16)}`, bad);
  }
  let pos = 0;
  const fail = (message: string): never => {
    throw new XmlSyntaxError(message, pos);
  };
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('unclosed comment');
        pos = end + 3;
      } else return;
    }
  };
  const name = (): string => {
    const match = NAME.exec(source.slice(pos));
    if (match === null) return fail('expected a name');
    pos += match[0].length;
    return match[0];
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&<]*);|&/g, (_whole, ref: string | undefined) => {
      if (ref === undefined) throw new XmlSyntaxError('bare &', at);
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (ref in named) return named[ref]!;
      const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
      if (num === null) throw new XmlSyntaxError(`unknown entity &${ref};`, at);
      const code = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
      const char = String.fromCodePoint(code);
      if (!LEGAL.test(char)) throw new XmlSyntaxError(`reference to an illegal character &${ref};`, at);
      return char;
    });

  const element = (): XmlElement => {
    if (source[pos] !== '<') fail('expected <');
    pos++;
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (source.startsWith('/>', pos)) {
        pos += 2;
        return { name: tag, attributes, children: [], text: '' };
      }
      if (source[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) fail('expected whitespace before an attribute');
      const attr = name();
      if (attr in attributes) fail(`duplicate attribute ${attr}`);
      skipSpace();
      if (source[pos] !== '=') fail('expected =');
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted value');
      const end = source.indexOf(quote, pos + 1);
      if (end < 0) fail('unclosed attribute value');
      const raw = source.slice(pos + 1, end);
      if (raw.includes('<')) fail('< in an attribute value');
      attributes[attr] = decode(raw.replace(/[\t\n\r]/g, ' '), pos);
      pos = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (pos >= source.length) fail(`unclosed <${tag}>`);
      if (source.startsWith('</', pos)) {
        pos += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        skipSpace();
        if (source[pos] !== '>') fail('expected >');
        pos++;
        return { name: tag, attributes, children, text };
      }
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('unclosed comment');
        pos = end + 3;
      } else if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos + 9);
        if (end < 0) fail('unclosed CDATA');
        text += source.slice(pos + 9, end);
        pos = end + 3;
      } else if (source[pos] === '<') {
        children.push(element());
      } else {
        const end = source.indexOf('<', pos);
        const raw = source.slice(pos, end < 0 ? source.length : end);
        if (raw.includes(']]>')) fail(']]> in text');
        text += decode(raw, pos);
        pos += raw.length;
      }
    }
  };

  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('unclosed declaration');
    pos = end + 2;
  }
  skipMisc();
  const root = element();
  skipMisc();
  if (pos !== source.length) fail('content after the root element');
  return root;
}

/** Children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}
