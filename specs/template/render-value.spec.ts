import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../lib/json.js';
import { renderValue } from '../../lib/template/render-value.js';
import type { TemplateContext } from '../../lib/template/template-context.js';
import { TemplateError } from '../../lib/template/template-error.js';

const ctx: TemplateContext = {
  saved: { animal_profile: { name: 'Ellie', weight_kg: 6000 }, animal_score: 87.5, job_id: 'j-1', flag: false, gone: null },
  vars: { code: 200, ok: true, price: 19.99, tags: ['a', 'b'], auth: { header_name: 'X-API-Key', token: 't-123' }, h: 'X-Test' },
  env: { USER: 'tester' },
};

function render(value: Json, c: TemplateContext = ctx): Json {
  const r = renderValue(value, c);
  if (E.isLeft(r)) throw new Error(`expected to render: ${r.left.message}`);
  return r.right;
}

function failure(value: Json, c: TemplateContext = ctx): TemplateError {
  const r = renderValue(value, c);
  if (E.isRight(r)) throw new Error(`expected to fail, got ${JSON.stringify(r.right)}`);
  expect(r.left).to.be.instanceOf(TemplateError);
  return r.left;
}

describe('template/render-value', () => {
  describe('a string that is exactly one template keeps the JSON type', () => {
    it('numbers, booleans, null, arrays and objects', () => {
      expect(render('{{ .vars.code }}')).to.equal(200);
      expect(render('{{.vars.price}}')).to.equal(19.99);
      expect(render('{{ .vars.ok }}')).to.equal(true);
      expect(render('{{ flag }}')).to.equal(false);
      expect(render('{{ gone }}')).to.equal(null);
      expect(render('{{ .vars.tags }}')).to.deep.equal(['a', 'b']);
      expect(render('{{ animal_profile }}')).to.deep.equal({ name: 'Ellie', weight_kg: 6000 });
      expect(render('{{ job_id }}')).to.equal('j-1');
    });

    it('env values stay strings', () => expect(render('{{ .env.USER }}')).to.equal('tester'));

    it('anything around the template makes a string, spaces included', () => {
      expect(render('{{ .vars.code }}s')).to.equal('200s');
      expect(render(' {{ .vars.code }}')).to.equal(' 200');
      expect(render('{{ .vars.code }}{{ .vars.code }}')).to.equal('200200');
      expect(render('\\{{ .vars.code }}')).to.equal('{{ .vars.code }}');
    });
  });

  describe('deep rendering', () => {
    it('renders list items and map values, keeping non-strings', () => {
      expect(
        render({ expected: '{{ .vars.code }}', note: 'code {{ .vars.code }}', n: 1, b: false, z: null, list: ['{{ .vars.ok }}', 2] }),
      ).to.deep.equal({
        expected: 200,
        note: 'code 200',
        n: 1,
        b: false,
        z: null,
        list: [true, 2],
      });
    });

    it('renders map keys (templated header names)', () => {
      expect(render({ '{{ .vars.auth.header_name }}': '{{ .vars.auth.token }}', 'X-Environment': 'staging' })).to.deep.equal({
        'X-API-Key': 't-123',
        'X-Environment': 'staging',
      });
    });

    it('inlines an object and a number into a JSON body held as a map', () => {
      expect(render({ profile: '{{ animal_profile }}', score: '{{ animal_score }}', text: 'score={{ animal_score }}' })).to.deep.equal({
        profile: { name: 'Ellie', weight_kg: 6000 },
        score: 87.5,
        text: 'score=87.5',
      });
    });

    it('does not let a key rendering to __proto__ touch the prototype', () => {
      const out = render({ '{{ .vars.p }}': { polluted: true } }, { ...ctx, vars: { p: '__proto__' } }) as Record<string, Json>;
      expect(Object.getPrototypeOf(out)).to.equal(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).to.equal(true);
      expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    });

    it('returns scalars unchanged', () => {
      expect(render(3)).to.equal(3);
      expect(render(null)).to.equal(null);
      expect(render(true)).to.equal(true);
    });
  });

  describe('errors', () => {
    it('say where in the value the bad string is', () => {
      const e = failure({ headers: { 'X-User': '{{ .env.NOPE }}' } });
      expect(e.path).to.deep.equal(['headers', 'X-User']);
      expect(e.message).to.equal('undefined variable ".env.NOPE": the environment variable NOPE is not set (at headers["X-User"])');
      expect(failure({ list: ['ok', '{{ missing }}'] }).path).to.deep.equal(['list', 1]);
    });

    it('report a bad key at that key', () => {
      const e = failure({ '{{ nope }}': 'v' });
      expect(e.path).to.deep.equal(['{{ nope }}']);
      expect(e.problem._tag).to.equal('UndefinedVariable');
    });

    it('reject two keys rendering to the same text', () => {
      const e = failure({ '{{ .vars.h }}': 'a', 'X-Test': 'b' });
      expect(e.problem).to.deep.equal({ _tag: 'DuplicateKey', key: 'X-Test', sources: ['{{ .vars.h }}', 'X-Test'] });
      expect(e.message).to.equal('keys "{{ .vars.h }}" and "X-Test" both render to "X-Test"');
    });

    it('report syntax errors in nested strings', () => {
      const e = failure({ a: [{ b: 'x {{ }}' }] });
      expect(e.path).to.deep.equal(['a', 0, 'b']);
      expect(e.problem).to.include({ _tag: 'Syntax', offset: 2 });
    });
  });

  describe('values without "{{"', () => {
    it('come back as they are, not copied', () => {
      const check = { type: 'json_path', path: '.n', expected: [1, { a: 'x' }], note: 'no { braces } here' };
      expect(render(check)).to.equal(check);
      expect(render(check)).to.equal(check); // and again, from what was remembered
    });

    it('are still too deep past the depth limit (256 levels)', () => {
      let deep: Json = 'leaf';
      for (let i = 0; i < 300; i++) deep = [deep];
      expect(failure(deep).problem).to.deep.equal({ _tag: 'TooDeep', limit: 256 });
      expect(failure(deep).problem._tag).to.equal('TooDeep'); // remembered as needing the walk
    });

    it('do not hide a template in a key, or deep in a list', () => {
      expect(render({ a: [[{ '{{ .vars.h }}': 1 }]] })).to.deep.equal({ a: [[{ 'X-Test': 1 }]] });
      expect(render([{ b: ['x', '{{ .vars.code }}'] }])).to.deep.equal([{ b: ['x', 200] }]);
    });

    it('an object rendered once renders again with new values, and is never changed', () => {
      const body = { code: '{{ .vars.code }}', plain: { x: 1 } };
      expect(render(body)).to.deep.equal({ code: 200, plain: { x: 1 } });
      expect(render(body, { ...ctx, vars: { ...ctx.vars, code: 201 } })).to.deep.equal({ code: 201, plain: { x: 1 } });
      expect(body).to.deep.equal({ code: '{{ .vars.code }}', plain: { x: 1 } });
    });

    it('an object shared at two depths (a YAML alias) is judged at each', () => {
      const shared: Json = { v: 'plain' };
      let deep: Json = shared;
      for (let i = 0; i < 255; i++) deep = [deep];
      expect(render(shared)).to.equal(shared);
      expect(failure([deep]).problem._tag).to.equal('TooDeep');
    });
  });

  it('never throws, and values without templates come back equal', () => {
    fc.assert(
      fc.property(fc.jsonValue() as fc.Arbitrary<Json>, (v) => {
        const r = renderValue(v, ctx);
        if (E.isLeft(r)) return r.left instanceof TemplateError;
        return JSON.stringify(v).includes('{{') || JSON.stringify(r.right) === JSON.stringify(v);
      }),
    );
  });
});
