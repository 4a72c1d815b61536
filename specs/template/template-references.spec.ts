import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { templateReferences } from '../../lib/template/template-references.js';

describe('template/template-references', () => {
  it('lists references of a string, in order, without resolving them', () => {
    expect(templateReferences('{{ .vars.base_url }}/x?token={{ .secrets.TOKEN }}&u={{ user }}')).to.deep.equal(
      E.right([
        { scope: 'vars', path: ['base_url'], name: '.vars.base_url' },
        { scope: 'secrets', path: ['TOKEN'], name: '.secrets.TOKEN' },
        { scope: 'auto', path: ['user'], name: 'user' },
      ]),
    );
  });

  it('walks lists, map keys and map values, and skips escaped templates', () => {
    const r = templateReferences({ '{{ .vars.h }}': ['{{ .env.A }}', 3, null, { k: '\\{{ literal }} {{ b.c }}' }] });
    expect(E.map((refs: readonly { name: string }[]) => refs.map((x) => x.name))(r)).to.deep.equal(E.right(['.vars.h', '.env.A', 'b.c']));
  });

  it('returns nothing for values without templates', () => {
    expect(templateReferences({ a: 1, b: ['x'] })).to.deep.equal(E.right([]));
  });

  it('reports a syntax error with its location', () => {
    const r = templateReferences({ body: ['{{ a b }}'] });
    if (E.isRight(r)) throw new Error('expected a Left');
    expect(r.left.path).to.deep.equal(['body', 0]);
    expect(r.left.problem._tag).to.equal('Syntax');
  });
});
