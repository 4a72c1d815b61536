import { expect } from 'chai';
import { formatPath, TemplateError } from '../../lib/template/template-error.js';

describe('template/template-error', () => {
  it('is a named error carrying its problem', () => {
    const e = new TemplateError({ _tag: 'UndefinedVariable', variable: 'job_id', available: ['order_id'] });
    expect(e).to.be.instanceOf(Error);
    expect(e.name).to.equal('TemplateError');
    expect(e.message).to.equal('undefined variable "job_id"; available: order_id');
    expect(e.path).to.deep.equal([]);
  });

  it('says "(none)" when nothing is available', () => {
    expect(new TemplateError({ _tag: 'UndefinedVariable', variable: 'x', available: [] }).message).to.equal(
      'undefined variable "x"; available: (none)',
    );
  });

  it('summarises long lists', () => {
    const names = Array.from({ length: 30 }, (_, i) => `v${i}`);
    expect(new TemplateError({ _tag: 'UndefinedVariable', variable: 'x', available: names }).message).to.match(/v24, \.\.\. and 5 more$/);
  });

  it('locates itself inside enclosing values', () => {
    const e = new TemplateError({ _tag: 'Syntax', source: '{{', offset: 0, message: 'unclosed' }).within(2).within('body');
    expect(e.path).to.deep.equal(['body', 2]);
    expect(e.message).to.equal('invalid template at offset 0 of "{{": unclosed (at body[2])');
  });

  it('formats paths like code', () => {
    expect(formatPath(['config', 'headers', 'X-User', 0, 'a_b'])).to.equal('config.headers["X-User"][0].a_b');
  });
});
