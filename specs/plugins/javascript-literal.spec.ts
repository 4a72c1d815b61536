import { expect } from 'chai';
import fc from 'fast-check';
import vm from 'node:vm';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../lib/json.js';
import { renderString } from '../../lib/template/render-string.js';
import { javascriptValueWriter } from '../../lib/plugins/javascript-literal.js';

function render(script: string, v: Json): E.Either<string, string> {
  return E.mapLeft((e: Error) => e.message)(renderString(script, { saved: { v }, vars: { x: v }, env: {} }, javascriptValueWriter()));
}

function rendered(script: string, v: Json): string {
  const r = render(script, v);
  if (E.isLeft(r)) throw new Error(`expected ${JSON.stringify(script)} to render with ${JSON.stringify(v)}: ${r.left}`);
  return r.right;
}

function refusal(script: string, v: Json): string {
  const r = render(script, v);
  if (E.isRight(r))
    throw new Error(`expected ${JSON.stringify(script)} to be refused with ${JSON.stringify(v)}, got ${JSON.stringify(r.right)}`);
  return r.left;
}

/** Runs `script` in a fresh context with `out` (an array it pushes to) and `pwned` (a flag that must stay unset). */
function run(script: string): { out: unknown[]; pwned: boolean } {
  const context = vm.createContext({ out: [] as unknown[], pwned: false, process: undefined });
  vm.runInContext(`pwn = () => { pwned = true };\n${script}`, context, { timeout: 1000 });
  return { out: JSON.parse(JSON.stringify(context.out)) as unknown[], pwned: context.pwned as boolean };
}

/** How a value reads inside a string: strings as they are, anything else as JSON text. */
const text = (v: Json) => (typeof v === 'string' ? v : JSON.stringify(v));

const HOSTILE: readonly Json[] = [
  'plain',
  "it's",
  '"double"',
  '`back`',
  '${pwn()}',
  '\\',
  'trailing\\',
  "'); pwn(); ('",
  '"); pwn(); ("',
  '`); pwn(); (`',
  'a\nb\r\nc',
  'line\u2028sep\u2029',
  '*/ pwn(); /*',
  '</script><!-- -->',
  '\n--> pwn()',
  '{',
  '}',
  '',
  'ä € 😀',
  '\u0000\u001b[31m',
  42,
  -7,
  0,
  19.99,
  true,
  null,
  [1, '"); pwn(); ("', [null]],
  JSON.parse(`{ "a": { "b": "'); pwn(); ('" }, "__proto__": { "polluted": true }, "x-y": -1 }`) as Json,
];

/** Places a template can sit, each pushing what it read to `out`. `code` places push the value itself, the others its text. */
const PLACES: ReadonlyArray<{ readonly name: string; readonly script: string; readonly code?: true }> = [
  { name: 'code', script: 'out.push({{ v }})', code: true },
  {
    name: 'code, after an operator and a keyword',
    script: 'const v = 0 -{{ v }}; out.push(typeof{{ v }} === "object" ? {{ v }} : {{ v }})',
    code: true,
  },
  { name: 'code, as a statement', script: '{{ v }}\nout.push({{ v }})', code: true },
  { name: "inside '...'", script: "out.push('[{{ v }}]')" },
  { name: 'inside "..."', script: 'out.push("[{{ v }}]")' },
  { name: 'inside `...`', script: 'out.push(`[{{ v }}]`)' },
  { name: 'inside `...`, right after a $', script: 'out.push(`[$' + '{{ v }}]`.slice(0, 1) + `${"$"}`.slice(1) + `[{{ v }}]`.slice(1))' },
  { name: 'code inside `${ }`', script: 'out.push(`${ {{ v }} === null ? "" : "" }`), out.push({{ v }})', code: true },
  { name: 'a string inside `${ }` inside `...`', script: 'out.push(`${ `${ "[{{ v }}]" }` }`)' },
  { name: 'after a line comment', script: '// {{ v }}\nout.push("[{{ v }}]")' },
  { name: 'after a block comment', script: '/* {{ v }} */ out.push("[{{ v }}]")' },
  { name: 'after a block comment, the template touching its stars', script: '/**{{ v }}*/ out.push("[{{ v }}]")' },
  { name: 'after an HTML-like comment', script: '<!-- {{ v }}\nout.push("[{{ v }}]")' },
  { name: 'after a regular expression with a / in a class', script: 'const r = /[/]"\'/g; out.push("[{{ v }}]")' },
  { name: 'after a division', script: 'const a = (4 + 2) / 2, b = a / 3; out.push("[{{ v }}]", b / 1)' },
  { name: 'after a postfix ++ and a division', script: 'let i = 4; i++ / 2; out.push("[{{ v }}]")' },
  { name: 'after if (...) /re/', script: 'if (true) /x\'/.test("x\'") && out.push("[{{ v }}]")' },
  { name: 'after the } of a block and a regular expression', script: 'if (true) {}\n/\'/.test("\'") && out.push("[{{ v }}]")' },
  { name: 'after the } of an object and a division', script: 'const o = { a: 1 } / 2 / 1; out.push("[{{ v }}]")' },
  { name: 'after an arrow function body', script: "const f = () => {}\n/'/.test(\"'\") && out.push('[{{ v }}]')" },
];

function expected(place: { readonly code?: true; readonly name: string }, v: Json): unknown[] {
  if (place.name.startsWith('after a division')) return [`[${text(v)}]`, 1];
  if (place.name === 'code inside `${ }`') return ['', v];
  if (place.name.includes('right after a $')) return [`[${text(v)}]`];
  return place.code ? [v] : [`[${text(v)}]`];
}

describe('plugins/javascript-literal', () => {
  describe('every value reads as exactly itself, and never runs', () => {
    for (const place of PLACES) {
      it(place.name, () => {
        for (const v of HOSTILE) {
          if (place.name === 'code, after an operator and a keyword' && typeof v !== 'number') continue;
          const script = rendered(place.script, v);
          const result = run(script);
          expect(result.pwned, script).to.equal(false);
          const want = place.name === 'code, after an operator and a keyword' ? [v] : expected(place, v);
          expect(result.out, `${JSON.stringify(v)} as ${script}`).to.deep.equal(JSON.parse(JSON.stringify(want)));
        }
      });
    }

    it('any string, in every place (property)', function () {
      // 150 strings x every place, each a vm script: a few seconds alone, more on a loaded machine.
      this.timeout(60_000);
      fc.assert(
        fc.property(
          fc.string({
            unit: fc.constantFrom('a', "'", '"', '`', '$', '{', '}', '\\', '\n', '\r', '\u2028', '/', '*', '<', '!', '-', ' ', '(', ')'),
          }),
          (v) => {
            for (const place of PLACES) {
              if (place.name.startsWith('code, after an operator')) continue;
              const result = run(rendered(place.script, v));
              expect(result.pwned).to.equal(false);
              expect(result.out).to.deep.equal(expected(place, v));
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  });

  it('keeps a map key "__proto__" a key, as JSON.parse does, and pollutes nothing', () => {
    const script = rendered(
      'const o = {{ v }}; out.push(Object.keys(o), Object.getPrototypeOf(o) === Object.prototype, ({}).polluted === undefined)',
      JSON.parse('{"__proto__": {"polluted": true}}') as Json,
    );
    expect(run(script).out).to.deep.equal([['__proto__'], true, true]);
  });

  it('keeps existing suites working: templates in double-quoted strings (Rocketship custom-scripting.yaml)', () => {
    const script = rendered(
      'let systemUser = "{{ v }}";\nlet maxRetries = parseInt("{{ v }}") || 3;\nout.push(systemUser, maxRetries)',
      '5',
    );
    expect(run(script).out).to.deep.equal(['5', 5]);
  });

  it('refuses a template inside a regular expression literal', () => {
    expect(refusal('const r = /^{{ v }}$/;', 'a|.*')).to.equal(
      'line 1 of the script: a template inside a regular expression literal would be read as part of the pattern; build it with new RegExp(...) from the value, escaping what must match as text; read it as state.v (or vars.v for a var) instead',
    );
  });

  it('refuses a template right after a backslash in a string, and right after a name', () => {
    expect(refusal("const s = 'a\\\\\\\\{{ v }}';", "'")).to.equal(
      'line 1 of the script: a template right after a backslash would have its first character escaped; read it as state.v (or vars.v for a var) instead',
    );
    expect(refusal('\n\nconst s = x{{ v }};', 1)).to.equal(
      'line 3 of the script: a template right after "x" would join it into one name; put a space or an operator between them',
    );
    expect(refusal('const s = "{{ .vars.x }}" + /{{ .vars.x }}/;', 1)).to.contain('read it as vars.x instead');
    // After a keyword, a space keeps them apart.
    expect(rendered('return{{ v }}', 2)).to.equal('return 2');
  });

  it('counts lines across \\r\\n, \\r and U+2028 as JavaScript does', () => {
    expect(refusal('a\r\nb\rc\u2028d\ne = /{{ v }}/', 'x')).to.match(/^line 5 of the script: /);
  });
});
