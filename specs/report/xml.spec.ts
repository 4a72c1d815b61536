import { expect } from 'chai';
import { legalXmlChars, xmlAttr, xmlText } from '../../lib/report/xml.js';

describe('xml escaping', () => {
  describe('legalXmlChars', () => {
    it('keeps tab, LF, CR and ordinary text, including astral characters', () => {
      expect(legalXmlChars('a\tb\nc\rd é 🚀')).to.equal('a\tb\nc\rd é 🚀');
    });

    it('replaces control characters, lone surrogates, U+FFFE and U+FFFF by U+FFFD', () => {
      expect(legalXmlChars('\x00\x01\x08\x0b\x0c\x1b\x1f')).to.equal('\uFFFD'.repeat(7));
      expect(legalXmlChars('a\uD800b\uDFFFc')).to.equal('a\uFFFDb\uFFFDc');
      expect(legalXmlChars('\uFFFE\uFFFF')).to.equal('\uFFFD\uFFFD');
    });
  });

  describe('xmlText', () => {
    it('escapes &, < and > (so that ]]> cannot appear)', () => {
      expect(xmlText('a < b && c > d ]]>')).to.equal('a &lt; b &amp;&amp; c &gt; d ]]&gt;');
    });

    it('leaves quotes and line breaks as they are', () => {
      expect(xmlText(`"it's"\nok`)).to.equal(`"it's"\nok`);
    });
  });

  describe('xmlAttr', () => {
    it('escapes quotes and keeps tab, LF and CR as character references', () => {
      expect(xmlAttr(`say "hi" & 'bye'\n\t\r<x>`)).to.equal('say &quot;hi&quot; &amp; &apos;bye&apos;&#10;&#9;&#13;&lt;x&gt;');
    });

    it('replaces illegal characters before escaping', () => {
      expect(xmlAttr('a\x1bb')).to.equal('a\uFFFDb');
    });
  });
});
