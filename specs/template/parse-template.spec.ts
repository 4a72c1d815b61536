import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { parseTemplate, type TemplatePart } from '../../lib/template/parse-template.js';
import { TemplateError } from '../../lib/template/template-error.js';

function parts(source: string): readonly TemplatePart[] {
  const r = parseTemplate(source);
  if (E.isLeft(r)) throw new Error(`expected ${source} to parse: ${r.left.message}`);
  return r.right;
}

function syntaxError(source: string): { offset: number; message: string } {
  const r = parseTemplate(source);
  if (E.isRight(r)) throw new Error(`expected ${source} to be rejected`);
  expect(r.left).to.be.instanceOf(TemplateError);
  const p = r.left.problem;
  if (p._tag !== 'Syntax') throw new Error(`expected a syntax error, got ${p._tag}`);
  return { offset: p.offset, message: r.left.message };
}

describe('template/parse-template', () => {
  it('splits text and references', () => {
    expect(parts('id={{ job_id }}!')).to.deep.equal([
      { _tag: 'Text', text: 'id=' },
      { _tag: 'Reference', offset: 3, scope: 'auto', path: ['job_id'], name: 'job_id' },
      { _tag: 'Text', text: '!' },
    ]);
  });

  it('recognises the scopes, with or without spaces', () => {
    const refs = parts('{{.vars.a.b}}{{ .env.HOME }}{{  .secrets.TOKEN  }}{{ a.b }}{{ .saved_name }}').filter(
      (p) => p._tag === 'Reference',
    );
    expect(refs.map((r) => r._tag === 'Reference' && [r.scope, r.path, r.name])).to.deep.equal([
      ['vars', ['a', 'b'], '.vars.a.b'],
      ['env', ['HOME'], '.env.HOME'],
      ['secrets', ['TOKEN'], '.secrets.TOKEN'],
      ['auto', ['a', 'b'], 'a.b'],
      ['auto', ['saved_name'], 'saved_name'],
    ]);
  });

  it('allows dashes and digits in names', () => {
    expect(parts('{{ my-var.0 }}')).to.deep.equal([
      { _tag: 'Reference', offset: 0, scope: 'auto', path: ['my-var', '0'], name: 'my-var.0' },
    ]);
  });

  it('turns \\{{ and \\\\{{ into a literal {{ with no backslash left', () => {
    expect(parts('Escaped: \\{{ user_id }}')).to.deep.equal([{ _tag: 'Text', text: 'Escaped: {{ user_id }}' }]);
    expect(parts('Escaped: \\\\{{ user_id }}')).to.deep.equal([{ _tag: 'Text', text: 'Escaped: {{ user_id }}' }]);
  });

  it('keeps other backslashes and braces', () => {
    expect(parts('C:\\path\\ {"a": {"b": [1]}} }} {')).to.deep.equal([{ _tag: 'Text', text: 'C:\\path\\ {"a": {"b": [1]}} }} {' }]);
  });

  it('lets JSON braces touch a reference', () => {
    expect(parts('{"p":{{ profile }}}')).to.deep.equal([
      { _tag: 'Text', text: '{"p":' },
      { _tag: 'Reference', offset: 5, scope: 'auto', path: ['profile'], name: 'profile' },
      { _tag: 'Text', text: '}' },
    ]);
  });

  it('rejects an empty template with its offset', () => {
    const e = syntaxError('x {{ }}');
    expect(e.offset).to.equal(2);
    expect(e.message).to.contain('empty template');
  });

  it('rejects two words', () => {
    const e = syntaxError('{{ a b }}');
    expect(e.offset).to.equal(5);
    expect(e.message).to.equal(
      'invalid template at offset 5 of "{{ a b }}": unexpected "b" in "{{ a b }}"; a reference looks like {{ name }}, {{ a.b }}, {{ .vars.name }}, {{ .env.NAME }} or {{ .secrets.NAME }}',
    );
  });

  it('rejects an unclosed {{ at its offset', () => {
    const e = syntaxError('ok {{ a }} then {{ b');
    expect(e.offset).to.equal(16);
    expect(e.message).to.contain('unclosed "{{"');
  });

  it('rejects pipes, functions and dangling dots', () => {
    expect(syntaxError('{{ .vars.x | upper }}').offset).to.equal(11);
    expect(syntaxError('{{ a. }}').message).to.contain('expected a name');
    expect(syntaxError('{{ .vars }}').message).to.contain('expected a name after ".vars"');
    expect(syntaxError('{{ . }}').message).to.contain('expected a name');
    expect(syntaxError('{{{ a }}}').offset).to.equal(2);
  });

  it('never throws, and text without {{ is returned as it is', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseTemplate(s);
        if (!s.includes('{{') && E.isRight(r)) {
          return s === '' ? r.right.length === 0 : r.right.length === 1 && r.right[0]?._tag === 'Text' && r.right[0].text === s;
        }
        return E.isLeft(r) ? r.left instanceof TemplateError : Array.isArray(r.right);
      }),
    );
  });
});
