import { expect } from 'chai';
import { bodyExcerpt, decodeBody, EAGER_TEXT_BYTES } from '../../lib/http/decode-body.js';

describe('decodeBody', () => {
  it('parses a JSON object', () => {
    expect(decodeBody(Buffer.from('{"status":"done","n":1.5,"list":[true,null]}'))).to.deep.equal({
      _tag: 'Json',
      value: { status: 'done', n: 1.5, list: [true, null] },
      text: '{"status":"done","n":1.5,"list":[true,null]}',
    });
  });

  it('parses any JSON value, with surrounding whitespace', () => {
    expect(decodeBody(Buffer.from(' 42\n'))).to.deep.equal({ _tag: 'Json', value: 42, text: ' 42\n' });
    expect(decodeBody(Buffer.from('"hi"'))).to.deep.equal({ _tag: 'Json', value: 'hi', text: '"hi"' });
    expect(decodeBody(Buffer.from('null'))).to.deep.equal({ _tag: 'Json', value: null, text: 'null' });
  });

  it('decodes UTF-8 text', () => {
    const body = decodeBody(Buffer.from('{"name":"café ☕ 🚀"}', 'utf8'));
    expect(body).to.deep.include({ _tag: 'Json', value: { name: 'café ☕ 🚀' } });
  });

  it('drops a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
    expect(decodeBody(bytes)).to.deep.equal({ _tag: 'Json', value: { a: 1 }, text: '{"a":1}' });
  });

  it('gives the text and the parse error for text that is not JSON', () => {
    const body = decodeBody(Buffer.from('<html>oops</html>'));
    expect(body._tag).to.equal('NotJson');
    expect(body.text).to.equal('<html>oops</html>');
    expect(body)
      .to.have.property('reason')
      .that.matches(/^not JSON: /);
  });

  it('does not accept truncated JSON', () => {
    expect(decodeBody(Buffer.from('{"a":'))._tag).to.equal('NotJson');
  });

  it('says when the body is empty', () => {
    expect(decodeBody(new Uint8Array())).to.deep.equal({ _tag: 'NotJson', text: '', reason: 'empty body' });
  });

  it('says when the bytes are not UTF-8, and still gives a readable text', () => {
    // Latin-1 "café" and a lone continuation byte: not UTF-8.
    const bytes = Buffer.from([0x7b, 0x22, 0x63, 0x61, 0x66, 0xe9, 0x22, 0x3a, 0x31, 0x7d, 0x80]);
    expect(decodeBody(bytes)).to.deep.equal({
      _tag: 'NotJson',
      text: '{"caf\ufffd":1}\ufffd',
      reason: 'not UTF-8 text (11 bytes)',
    });
  });

  it('treats binary data as not UTF-8', () => {
    const gzip = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
    expect(decodeBody(gzip)).to.have.property('reason', 'not UTF-8 text (10 bytes)');
  });

  it('calls UTF-8 exactly what a fatal UTF-8 decoder accepts (overlong forms, surrogates, code points past U+10FFFF, cut sequences)', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const cases: Record<string, number[]> = {
      'a 4-byte character': [0x22, 0xf0, 0x9f, 0x9a, 0x80, 0x22],
      'a 3-byte character': [0x22, 0xe2, 0x80, 0xa6, 0x22],
      'an overlong slash': [0x22, 0xc0, 0xaf, 0x22],
      'an overlong 3-byte form': [0x22, 0xe0, 0x80, 0xaf, 0x22],
      'an encoded surrogate': [0x22, 0xed, 0xa0, 0x80, 0x22],
      'a code point past U+10FFFF': [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22],
      'a cut 3-byte sequence at the end': [0x22, 0x61, 0x22, 0xe2, 0x80],
      'a byte order mark, then text': [0xef, 0xbb, 0xbf, 0x22, 0x61, 0x22],
    };
    for (const [what, list] of Object.entries(cases)) {
      const bytes = Buffer.from(list);
      let expected: string | undefined;
      try {
        expected = fatal.decode(bytes);
      } catch {
        expected = undefined;
      }
      const body = decodeBody(bytes);
      if (expected === undefined) expect(body, what).to.have.property('reason', `not UTF-8 text (${bytes.length} bytes)`);
      else expect(body, what).to.deep.include({ _tag: 'Json', text: expected, value: JSON.parse(expected) });
    }
  });

  describe(`a body larger than ${EAGER_TEXT_BYTES / 1024} KiB (issue 11, item 20)`, () => {
    const text = JSON.stringify({ status: 'pending', pad: 'é'.repeat(100_000) });
    const body = decodeBody(Buffer.from(text));

    it('keeps its bytes and parsed value, not a third copy as text: text is decoded again when read', () => {
      expect(body._tag).to.equal('Json');
      expect(Object.getOwnPropertyDescriptor(body, 'text')?.get).to.be.a('function');
      expect(body.text).to.equal(text);
      expect(body).to.deep.include({ _tag: 'Json', value: JSON.parse(text) });
    });

    it('gives an excerpt of its start, with the length of the whole text, decoding only the start', () => {
      expect(bodyExcerpt(body, 20)).to.equal(`${text.slice(0, 20)}… (${text.length} chars)`);
      const html = decodeBody(Buffer.from(`<html>${'x'.repeat(200_000)}</html>`));
      expect(html._tag).to.equal('NotJson');
      expect(bodyExcerpt(html, 6)).to.equal(`<html>… (${200_013} chars)`);
    });
  });

  describe('bodyExcerpt of a small body', () => {
    it('is the whole text when it fits, else its start and the length', () => {
      expect(bodyExcerpt(decodeBody(Buffer.from('{"a":1}')), 10)).to.equal('{"a":1}');
      expect(bodyExcerpt(decodeBody(Buffer.from('{"a":12345}')), 4)).to.equal('{"a"… (11 chars)');
    });
  });
});
