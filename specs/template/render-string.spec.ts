import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { parse as parseYaml } from 'yaml';
import type { Json } from '../../lib/json.js';
import { renderString, type ValueWriter } from '../../lib/template/render-string.js';
import type { TemplateContext } from '../../lib/template/template-context.js';
import { TemplateError } from '../../lib/template/template-error.js';

const ctx: TemplateContext = {
  saved: {
    order_id: 'orders_0',
    user_id: 'users_3',
    price: 19.99,
    weight_kg: 6000,
    big: 12345678901234567890,
    tiny: 1e-7,
    ok: true,
    nothing: null,
    animal_profile: { name: 'Ellie', tags: ['big', 'grey'] },
    'a.b': 'dotted name',
  },
  vars: {
    base_url: 'http://127.0.0.1:8080',
    environment: 'staging',
    auth: { header_name: 'X-API-Key', token: 'test-api-key-123' },
    order_id: 'from vars',
    list: [10, 20],
  },
  env: { HOME: '/home/tester', EMPTY: '', UNSET: undefined },
  secrets: { TOKEN: 's3cr3t' },
};

function render(source: string, c: TemplateContext = ctx): string {
  const r = renderString(source, c);
  if (E.isLeft(r)) throw new Error(`expected ${source} to render: ${r.left.message}`);
  return r.right;
}

function failure(source: string, c: TemplateContext = ctx): TemplateError {
  const r = renderString(source, c);
  if (E.isRight(r)) throw new Error(`expected ${source} to fail, got ${r.right}`);
  expect(r.left).to.be.instanceOf(TemplateError);
  return r.left;
}

describe('template/render-string', () => {
  describe('references', () => {
    it('renders saved values, vars, env and secrets', () => {
      expect(render('{{ .vars.base_url }}/orders/{{ order_id }}')).to.equal('http://127.0.0.1:8080/orders/orders_0');
      expect(render('{{.vars.auth.header_name}}: {{ .vars.auth.token }}')).to.equal('X-API-Key: test-api-key-123');
      expect(render('home={{ .env.HOME }} empty=[{{ .env.EMPTY }}]')).to.equal('home=/home/tester empty=[]');
      expect(render('Bearer {{ .secrets.TOKEN }}')).to.equal('Bearer s3cr3t');
    });

    it('prefers a saved value over a var of the same name', () => {
      expect(render('{{ order_id }}')).to.equal('orders_0');
      expect(render('{{ .vars.order_id }}')).to.equal('from vars');
    });

    it('falls back to vars when no step saved the name', () => {
      expect(render('{{ environment }} {{ auth.token }}')).to.equal('staging test-api-key-123');
    });

    it('walks into objects and arrays, and finds saved names containing dots', () => {
      expect(render('{{ animal_profile.tags.1 }} {{ .vars.list.0 }} {{ a.b }}')).to.equal('grey 10 dotted name');
    });

    it('also accepts the Go-template spelling {{ .name }} for saved values', () => {
      expect(render('{{ .order_id }}')).to.equal('orders_0');
    });
  });

  describe('values inside text', () => {
    it("writes numbers exactly as JSON, never rounded (unlike Rocketship's %.0f saves)", () => {
      expect(render('{{ price }}|{{ weight_kg }}|{{ tiny }}|{{ big }}')).to.equal('19.99|6000|1e-7|12345678901234567000');
    });

    it('writes booleans and null as JSON', () => {
      expect(render('{{ ok }} {{ nothing }}')).to.equal('true null');
    });

    it('writes objects and arrays as compact JSON, so they can be inlined in a JSON body', () => {
      const body = render('{"profile": {{ animal_profile }}, "weight": {{ weight_kg }}}');
      expect(body).to.equal('{"profile": {"name":"Ellie","tags":["big","grey"]}, "weight": 6000}');
      expect(JSON.parse(body)).to.deep.equal({ profile: { name: 'Ellie', tags: ['big', 'grey'] }, weight: 6000 });
    });

    it('inserts strings raw, without quotes or escaping', () => {
      expect(render('"{{ .vars.environment }}"')).to.equal('"staging"');
    });
  });

  describe('escapes and literal braces', () => {
    it('turns \\{{ and \\\\{{ into {{ with no backslash left', () => {
      expect(render('Escaped: \\{{ user_id }}')).to.equal('Escaped: {{ user_id }}');
      expect(render('Escaped: \\\\{{ user_id }}')).to.equal('Escaped: {{ user_id }}');
      expect(render('Real: {{ .vars.environment }}, Literal: \\{{ placeholder }}')).to.equal('Real: staging, Literal: {{ placeholder }}');
    });

    it('keeps other backslashes and non-template braces', () => {
      expect(render('{"re": "\\\\d+", "path": "C:\\\\x", "o": {"a": {"b": 1}}}')).to.equal(
        '{"re": "\\\\d+", "path": "C:\\\\x", "o": {"a": {"b": 1}}}',
      );
      expect(render('}} and { and {x}')).to.equal('}} and { and {x}');
    });

    it("handles the handlebars demo of Rocketship's config-variables suite (tryme trap 2)", () => {
      // The same YAML constructs as the suite: a block-scalar body holding \\{{ (two backslashes,
      // to stay valid JSON after one unescape in Rocketship) and double-quoted expected values
      // holding "\\{{" (one backslash after YAML). Both must end as a plain {{.
      const step = parseYaml(
        [
          'body: |-',
          '  {',
          '    "author": "{{ .vars.environment }}",',
          '    "description": "Normal var: {{ .vars.environment }}, Escaped: \\\\{{ user_id }}",',
          '    "template_guide": "Syntax: \\\\{{ variable_name }} for literals"',
          '  }',
          'expected_description: "Normal var: staging, Escaped: \\\\{{ user_id }}"',
          'expected_guide: "Syntax: \\\\{{ variable_name }} for literals"',
        ].join('\n'),
      ) as { body: string; expected_description: string; expected_guide: string };
      expect(step.body).to.contain('Escaped: \\\\{{ user_id }}'); // two backslashes in the YAML value
      expect(step.expected_description).to.contain('Escaped: \\{{ user_id }}'); // one backslash

      const sent = render(step.body);
      const received = JSON.parse(sent) as Record<string, Json>; // valid JSON: no stray \{ escape
      expect(received['description']).to.equal('Normal var: staging, Escaped: {{ user_id }}');
      expect(received['template_guide']).to.equal('Syntax: {{ variable_name }} for literals');
      expect(render(step.expected_description)).to.equal(received['description']);
      expect(render(step.expected_guide)).to.equal(received['template_guide']);
    });

    it('renders text without {{ unchanged', () => {
      fc.assert(
        fc.property(
          fc.string().filter((s) => !s.includes('{{')),
          (s) => render(s) === s,
        ),
      );
    });

    it('makes any escaped template literal', () => {
      const inner = fc.string().filter((s) => !s.includes('{') && !s.includes('}') && !s.includes('\\'));
      fc.assert(fc.property(inner, fc.constantFrom('\\', '\\\\'), (s, escape) => render(`${escape}{{${s}}}`) === `{{${s}}}`));
    });
  });

  describe('errors', () => {
    it('names an undefined variable and lists saved names, then vars', () => {
      const e = failure('{{ .vars.base_url }}/jobs/{{ job_id }}', {
        saved: { user_id: 'u', order_id: 'o' },
        vars: { base_url: 'x' },
        env: {},
      });
      expect(e.message).to.equal('undefined variable "job_id"; available: order_id, user_id, .vars.base_url');
      expect(e.problem).to.deep.equal({
        _tag: 'UndefinedVariable',
        variable: 'job_id',
        available: ['order_id', 'user_id', '.vars.base_url'],
      });
      expect(e.name).to.equal('TemplateError');
    });

    it('lists the keys where a nested lookup stopped', () => {
      expect(failure('{{ .vars.auth.tokn }}').message).to.equal(
        'undefined variable ".vars.auth.tokn"; available: .vars.auth.header_name, .vars.auth.token',
      );
      expect(failure('{{ .vars.nope }}').message).to.match(/^undefined variable "\.vars\.nope"; available: \.vars\.auth, \.vars\.base_url/);
      expect(failure('{{ order_id.x }}').message).to.equal(
        'undefined variable "order_id.x": order_id is a string ("orders_0"), which has no field "x"',
      );
      expect(failure('{{ .vars.list.2 }}').message).to.equal('undefined variable ".vars.list.2"; available: .vars.list.0 .. .vars.list.1');
    });

    it('treats an unset environment variable as undefined (tryme trap 1: USER may be unset)', () => {
      const e = failure('User: {{ .env.USER }}');
      expect(e.message).to.equal('undefined variable ".env.USER": the environment variable USER is not set');
      expect(failure('{{ .env.UNSET }}').message).to.contain('UNSET is not set');
      expect(render('User: {{ .env.USER }}', { ...ctx, env: { USER: 'tester' } })).to.equal('User: tester');
    });

    it('lists secret names, never values', () => {
      const e = failure('{{ .secrets.OTHER }}');
      expect(e.message).to.equal('undefined variable ".secrets.OTHER"; available: .secrets.TOKEN');
      expect(e.message).not.to.contain('s3cr3t');
      expect(failure('{{ .secrets.X }}', { saved: {}, vars: {}, env: {} }).message).to.contain('available: (none)');
    });

    it('does not find inherited members', () => {
      expect(failure('{{ toString }}', { saved: {}, vars: {}, env: {} }).problem._tag).to.equal('UndefinedVariable');
      expect(failure('{{ .vars.auth.constructor }}').problem._tag).to.equal('UndefinedVariable');
      expect(failure('{{ .env.constructor }}').problem._tag).to.equal('UndefinedVariable');
    });

    it('reports syntax errors with the offset', () => {
      expect(failure('abc {{ }}').message).to.match(/^invalid template at offset 4 of "abc \{\{ \}\}": empty template/);
      expect(failure('{{ a b }}').problem).to.include({ _tag: 'Syntax', offset: 5 });
      expect(failure('x {{ a').problem).to.include({ _tag: 'Syntax', offset: 2 });
    });

    it('never throws', () => {
      fc.assert(
        fc.property(fc.string(), (s) => {
          const r = renderString(s, ctx);
          return E.isRight(r) || r.left instanceof TemplateError;
        }),
      );
    });
  });

  describe('with a ValueWriter', () => {
    it("shows the writer the template's own text in order, escapes applied, and writes what it returns for each value", () => {
      const seen: string[] = [];
      const writer: ValueWriter = {
        text: (t) => void seen.push(`text:${t}`),
        value: (v, ref) => (seen.push(`value:${ref.name}`), E.right(`<${JSON.stringify(v)}>`)),
        end: () => void seen.push('end'),
      };
      expect(renderString('a \\{{ x }} {{ price }}{{ .vars.list }}!', ctx, writer)).to.deep.equal(E.right('a {{ x }} <19.99><[10,20]>!'));
      expect(seen).to.deep.equal(['text:a {{ x }} ', 'value:price', 'value:.vars.list', 'text:!', 'end']);
    });

    it('turns a refusal into a TemplateError naming why; text without templates never reaches the writer', () => {
      const refuse: ValueWriter = {
        text: () => undefined,
        value: (_v, ref) => E.left(`cannot write ${ref.name} here`),
        end: () => undefined,
      };
      const r = renderString('x {{ price }}', ctx, refuse);
      expect(E.isLeft(r) && r.left.problem).to.deep.equal({ _tag: 'Unwritable', message: 'cannot write price here', variable: 'price' });
      expect(E.isLeft(r) && r.left.message).to.equal('cannot write price here');
      const stopAtEnd: ValueWriter = { text: () => undefined, value: (v) => E.right(String(v)), end: () => 'unfinished' };
      expect(E.isLeft(renderString('{{ price }}', ctx, stopAtEnd))).to.equal(true);
      expect(renderString('no templates', ctx, stopAtEnd)).to.deep.equal(E.right('no templates'));
    });
  });
});
