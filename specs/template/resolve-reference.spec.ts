import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { resolveReference } from '../../lib/template/resolve-reference.js';
import type { TemplateContext } from '../../lib/template/template-context.js';

const ctx: TemplateContext = {
  saved: { a: { x: 1 }, 'job.id': 'j-9', items: [] },
  vars: { a: { y: 2 }, b: { y: 3 }, expected_status: 'completed' },
  env: {},
};

describe('template/resolve-reference', () => {
  it('falls back from saved to vars by name, not by path', () => {
    expect(resolveReference({ scope: 'auto', path: ['b', 'y'], name: 'b.y' }, ctx)).to.deep.equal(E.right(3));
    const r = resolveReference({ scope: 'auto', path: ['a', 'y'], name: 'a.y' }, ctx);
    if (E.isRight(r)) throw new Error('a is saved, so a.y must not come from vars');
    expect(r.left.message).to.equal('undefined variable "a.y"; available: a.x');
  });

  it('lets {{ expected_status }} come from vars when no step saved it (the polling spec)', () => {
    expect(resolveReference({ scope: 'auto', path: ['expected_status'], name: 'expected_status' }, ctx)).to.deep.equal(
      E.right('completed'),
    );
    expect(
      resolveReference(
        { scope: 'auto', path: ['expected_status'], name: 'expected_status' },
        { ...ctx, saved: { expected_status: 'done' } },
      ),
    ).to.deep.equal(E.right('done'));
  });

  it('prefers the longest dotted saved name', () => {
    expect(resolveReference({ scope: 'auto', path: ['job', 'id'], name: 'job.id' }, ctx)).to.deep.equal(E.right('j-9'));
  });

  it('says when an array has no elements', () => {
    const r = resolveReference({ scope: 'auto', path: ['items', '0'], name: 'items.0' }, ctx);
    expect(E.isLeft(r) && r.left.message).to.equal('undefined variable "items.0"; available: (none)');
  });
});
