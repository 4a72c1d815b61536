import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { parseTemplate } from '../../lib/template/parse-template.js';
import { hasTemplate, TEMPLATE_PATTERN } from '../../lib/template/has-template.js';

describe('template/has-template', () => {
  describe('hasTemplate', () => {
    it('finds references', () => {
      expect(hasTemplate('{{ job_id }}')).to.equal(true);
      expect(hasTemplate('{{.vars.x}}s')).to.equal(true);
      expect(hasTemplate('a \\{{ literal }} then {{ real }}')).to.equal(true);
    });
    it('ignores escaped openers and plain text', () => {
      expect(hasTemplate('\\{{ literal }}')).to.equal(false);
      expect(hasTemplate('\\\\{{ literal }}')).to.equal(false);
      expect(hasTemplate('{"a": {"b": 1}}')).to.equal(false);
      expect(hasTemplate('plain')).to.equal(false);
      expect(hasTemplate('')).to.equal(false);
    });
    it('treats four backslashes as an escaped backslash before a real template, like Rocketship', () => {
      expect(hasTemplate('\\\\\\\\{{ x }}')).to.equal(true);
    });
    it('agrees with the parser: true exactly when rendering has a reference to resolve or fails', () => {
      const text = fc.array(fc.constantFrom('{', '}', '\\', 'a', ' ', '.'), { maxLength: 14 }).map((cs) => cs.join(''));
      fc.assert(
        fc.property(text, (s) => {
          const parsed = parseTemplate(s);
          const templated = E.isLeft(parsed) || parsed.right.some((p) => p._tag === 'Reference');
          return hasTemplate(s) === templated;
        }),
        { numRuns: 2000 },
      );
    });
    it('counts a malformed opener as a template, so rendering reports it', () => {
      expect(hasTemplate('{{ }}')).to.equal(true);
      expect(hasTemplate('unclosed {{')).to.equal(true);
    });
  });

  describe('TEMPLATE_PATTERN (the JSON Schema says it with it)', () => {
    const pattern = new RegExp(TEMPLATE_PATTERN, 'u');

    it('matches what hasTemplate finds, escapes included', () => {
      for (const s of ['{{ x }}', 'a{{', '\\\\\\\\{{ x }}', 'a \\{{ literal }} then {{ real }}', '\\{{{{ x }}'])
        expect(pattern.test(s), s).to.equal(true);
      for (const s of ['', 'plain', '\\{{ x }}', '\\\\{{ x }}', '\\\\\\{{ x }}', '\\{{{', '{"a": {"b": 1}}', '{ {'])
        expect(pattern.test(s), s).to.equal(false);
    });

    it('agrees with hasTemplate on any text of braces and backslashes', () => {
      const text = fc.string({ unit: fc.constantFrom('{', '}', '\\', 'a', ' '), maxLength: 24 });
      fc.assert(
        fc.property(text, (s) => pattern.test(s) === hasTemplate(s)),
        { numRuns: 20_000 },
      );
    });
  });
});
