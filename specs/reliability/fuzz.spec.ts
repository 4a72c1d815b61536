import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { stringify } from 'yaml';
import { parseEnvFile } from '../../lib/cli/env-file.js';
import { parseVarFile } from '../../lib/cli/var-args.js';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import type { DslError } from '../../lib/dsl/dsl-error.js';
import { formatKeyPath } from '../../lib/dsl/key-path.js';
import type { Json } from '../../lib/json.js';
import { hasTemplate } from '../../lib/template/has-template.js';
import { MAX_RENDER_DEPTH, renderString } from '../../lib/template/render-string.js';
import { renderValue } from '../../lib/template/render-value.js';
import type { TemplateContext } from '../../lib/template/template-context.js';
import { TemplateError } from '../../lib/template/template-error.js';
import {
  nearValidSuite,
  nodePaths,
  ODD_UNICODE,
  type SuiteDoc,
  TEMPLATE_NOISE,
  validSuite,
  YAML_NOISE,
} from '../helpers/suite-arbitrary.js';

// Fuzzing of the two parsers that see user text: the suite decoder and the template renderer.
//
// Properties: never a throw, always an Either, and every decode error located (file, line and
// column inside the text, a key path, a message). "Never a hang": each property runs under
// fast-check's `interruptAfterTimeLimit` (so the spec's length is bounded however slow the
// machine) and under a generous mocha timeout, which mocha also enforces on synchronous code
// after the fact: one decode that goes quadratic (seconds for a 100 KB input) fails the test.

/** How long each property may keep generating runs; then it stops, passing with the runs done. */
const BUDGET_MS = 15_000;
const RUN = { interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false } as const;

/** Errors reported about the whole file rather than a node, the only ones with an empty key path. */
const FILE_LEVEL = [
  /^YAML syntax error/,
  /^the file is empty/,
  /^a suite file must be a map/,
  /^a suite file holds one YAML document/,
  /^could not /,
  /nest/,
  /alias/,
];

/** Keys under which maps hold data rather than DSL keys. */
const FREE_FORM = new Set(['vars', 'body', 'form', 'headers', 'schema', 'expected', 'not_equals', 'contains', 'one_of', 'openapi']);

/** A copy of `doc` with the key at `path` renamed, keeping its place among its siblings. */
function renamed(doc: SuiteDoc, path: ReadonlyArray<string | number>, to: string): SuiteDoc {
  const copy = structuredClone(doc);
  const parent = path.slice(0, -1).reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], copy) as Record<
    string,
    unknown
  >;
  const from = path[path.length - 1] as string;
  const entries = Object.entries(parent);
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) parent[k === from ? to : k] = v;
  return copy;
}

/** Decodes `text` and checks the result is an Either whose errors all point into `text`. */
function decodeIsLocated(text: string): E.Either<DslError[], unknown> {
  let result: E.Either<DslError[], unknown>;
  try {
    result = decodeSuiteText(text, 'fuzz.yaml');
  } catch (e) {
    throw new Error(`decodeSuiteText threw: ${shortStack(e)}`);
  }
  expect(result._tag === 'Left' || result._tag === 'Right', 'an Either').to.equal(true);
  if (E.isRight(result)) return result;
  expect(result.left, 'a Left holds at least one error').to.not.be.empty;
  const lines = text.split(/\r?\n/);
  for (const e of result.left) expectLocated(e, lines);
  return result;
}

/** The first lines of a stack: enough to see where, short enough to read when it overflowed. */
function shortStack(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e);
}

function expectLocated(e: DslError, lines: readonly string[]): void {
  const what = `${e.line}:${e.col} ${e.path} ${e.message.slice(0, 200)}`;
  expect(e.file, what).to.equal('fuzz.yaml');
  expect(e.message, what).to.be.a('string').and.not.equal('');
  expect(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines.length + 1, `line in the file: ${what}`).to.equal(true);
  expect(Number.isInteger(e.col) && e.col >= 1, `col >= 1: ${what}`).to.equal(true);
  expect(e.path, what).to.be.a('string');
  if (e.path === '')
    expect(
      FILE_LEVEL.some((re) => re.test(e.message)),
      `only file-level errors have no key path: ${what}`,
    ).to.equal(true);
  if (e.source !== undefined) expect(e.source, what).to.equal(lines[e.line - 1]);
  if (e.length !== undefined) expect(e.length, what).to.be.at.least(1);
}

const CTX: TemplateContext = {
  saved: { id: 'j-1', user: { id: 42, tags: ['a', 'b'] }, 'dotted.name': true },
  vars: { base: 'https://api.example.com', n: 3, code: 200, nested: { a: [1, { b: 'c' }] } },
  env: { USER: 'tester', EMPTY: '' },
  secrets: { TOKEN: 's3cr3t' },
};

/** Renders with both entry points and checks the results are Eithers of the right kind. */
function renderIsTotal(value: Json, ctx: TemplateContext = CTX): void {
  let rendered: E.Either<TemplateError, Json>;
  try {
    rendered = renderValue(value, ctx);
    if (typeof value === 'string') {
      const text = renderString(value, ctx);
      expect(text._tag === 'Left' || text._tag === 'Right').to.equal(true);
      if (E.isLeft(text)) expect(text.left).to.be.instanceOf(TemplateError);
      // Text without an unescaped "{{" has nothing to render: it always succeeds.
      if (!hasTemplate(value)) expect(text._tag, 'no template, no error').to.equal('Right');
      if (!value.includes('{{')) expect(text).to.deep.equal(E.right(value));
    }
  } catch (e) {
    throw new Error(`the renderer threw: ${shortStack(e)}`);
  }
  expect(rendered._tag === 'Left' || rendered._tag === 'Right').to.equal(true);
  if (E.isLeft(rendered)) {
    expect(rendered.left).to.be.instanceOf(TemplateError);
    expect(rendered.left.message).to.be.a('string').and.not.equal('');
  }
}

/**
 * The lookup of a dotted name, written plainly: the longest prefix that is a key, then a walk
 * through maps (these values hold no lists to index). `undefined` when the walk stops.
 */
function lookUp(root: Record<string, Json>, path: readonly string[]): Json | undefined {
  for (let k = path.length; k >= 1; k--) {
    const key = path.slice(0, k).join('.');
    if (!Object.prototype.hasOwnProperty.call(root, key)) continue;
    let cur: Json | undefined = root[key];
    for (const seg of path.slice(k)) {
      const map = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, Json>) : undefined;
      cur = map !== undefined && Object.prototype.hasOwnProperty.call(map, seg) ? map[seg] : undefined;
    }
    return cur;
  }
  return undefined;
}

/** Strings made of the pieces that matter to templates: braces, escapes, names, dots and odd unicode. */
const templateText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...TEMPLATE_NOISE),
      fc.constantFrom(...ODD_UNICODE),
      fc.constantFrom(
        '{{ id }}',
        '{{ user.id }}',
        '{{ user.tags.1 }}',
        '{{ .vars.nested.a.1.b }}',
        '{{ .env.USER }}',
        '{{ dotted.name }}',
        '{',
        '}',
        '\\',
        '.',
        ' ',
        'a',
        '-',
      ),
      fc.string({ maxLength: 4, unit: 'binary' }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('reliability: fuzzing the decoder and the template renderer', function () {
  this.timeout(120_000);

  describe('decodeSuiteText', () => {
    it('accepts every generated valid suite (the generator is sound)', () => {
      fc.assert(
        fc.property(validSuite, (suite) => {
          const result = decodeIsLocated(stringify(suite, { lineWidth: 0 }));
          if (E.isLeft(result)) expect.fail(result.left.map((e) => `${e.path}: ${e.message}`).join('\n'));
        }),
        { ...RUN, numRuns: 150 },
      );
    });

    it('near-valid suites (typos, wrong types, missing keys, deep nesting, huge strings, odd unicode, braces, text edits): a located Either', () => {
      fc.assert(
        fc.property(nearValidSuite, ({ text }) => void decodeIsLocated(text)),
        { ...RUN, numRuns: 400 },
      );
    });

    it('a misspelt DSL key is always an error that names it', () => {
      fc.assert(
        fc.property(validSuite, fc.nat(), fc.nat(), (suite, at, index) => {
          // Keys of the DSL only: below vars, bodies, headers and matcher values any key is data.
          const keys = nodePaths(suite).filter(
            (p) => typeof p[p.length - 1] === 'string' && !p.some((s) => typeof s === 'string' && FREE_FORM.has(s)),
          );
          const path = keys[at % keys.length] as ReadonlyArray<string | number>;
          const key = path[path.length - 1] as string;
          const typo = `${key.slice(0, (index % key.length) + 1)}${key.slice(index % key.length)}`;
          const mutated = renamed(suite, path, typo);
          const result = decodeIsLocated(stringify(mutated, { lineWidth: 0 }));
          if (E.isRight(result)) return expect.fail(`${formatKeyPath(path)} spelt ${typo} was accepted`);
          const named = result.left.some((e) => e.path.endsWith(typo) || e.message.includes(`"${typo}"`) || e.message.includes(`"${key}"`));
          expect(named, `${formatKeyPath(path)} spelt ${typo}: ${result.left.map((e) => `${e.path}: ${e.message}`).join('; ')}`).to.equal(
            true,
          );
        }),
        { ...RUN, numRuns: 200 },
      );
    });

    it('arbitrary text, YAML punctuation and odd unicode: a located Either', () => {
      const piece = fc.oneof(
        fc.constantFrom(...YAML_NOISE),
        fc.constantFrom(...ODD_UNICODE),
        fc.constantFrom(...TEMPLATE_NOISE),
        fc.constantFrom('\n', 'name: x\n', 'tests:\n', '  - ', 'a'),
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 40 }), (parts) => void decodeIsLocated(parts.join(''))),
        { ...RUN, numRuns: 400 },
      );
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void decodeIsLocated(text)),
        { ...RUN, numRuns: 300 },
      );
    });

    it('deep nesting, hundreds to a hundred thousand levels, in flow and block style', () => {
      const base =
        'name: x\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: log\n        config:\n          message: hi\n';
      for (const depth of [100, 300, 600, 1_000, 5_000, 100_000]) {
        decodeIsLocated(`${base}vars:\n  deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
        decodeIsLocated(`${base}vars:\n  deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`);
        decodeIsLocated(`${base}vars:\n  deep: ${'['.repeat(depth)}\n`); // never closed
        if (depth <= 1_000) {
          decodeIsLocated(
            `${base}vars:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 2)}k:\n`).join('')}${' '.repeat(depth + 2)}v\n`,
          );
          decodeIsLocated(`${base}vars:\n  deep:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 4)}-\n`).join('')}`);
        }
      }
    });

    it('100 KB values and keys of every kind of character: a located Either', () => {
      const base =
        'name: x\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: log\n        config:\n          message: hi\n';
      for (const unit of ['a', '{{', '{{ a }}', '\\{{', 'a.', '😀', '\uD800', '\u202E', '\u0000', ' ', '"', "'", ':', '- ']) {
        const huge = unit.repeat(Math.ceil((100 * 1024) / unit.length));
        decodeIsLocated(`${base}vars:\n  huge: ${JSON.stringify(huge)}\n`);
        decodeIsLocated(`${base}vars:\n  ${JSON.stringify(huge)}: 1\n`);
        decodeIsLocated(`${base.replace('message: hi', `message: ${huge}`)}`);
        decodeIsLocated(`${base.replace('plugin: log', `plugin: ${JSON.stringify(huge)}`)}`);
        decodeIsLocated(`${base.replace('          message: hi', `          ${JSON.stringify(huge)}: hi`)}`);
      }
    });
  });

  describe('parseVarFile and parseEnvFile', () => {
    it('near-valid YAML as a var file, and arbitrary lines as an env file: an Either that names the flag', () => {
      fc.assert(
        fc.property(nearValidSuite, ({ text }) => {
          const result = parseVarFile(text, 'v.yaml');
          if (E.isLeft(result)) expect(result.left).to.match(/^--var-file v\.yaml:\d+:\d+: \S/);
        }),
        { ...RUN, numRuns: 200 },
      );
      const line = fc.oneof(
        fc.constantFrom(
          'A=1',
          'export B="x y"',
          "C='z'",
          '# c',
          '',
          'D="open',
          "E='open",
          'F="x"y',
          '=1',
          'no equals',
          '__proto__=1',
          ' G = 2 # c',
        ),
        fc.string({ unit: 'binary', maxLength: 12 }),
      );
      fc.assert(
        fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
          const result = parseEnvFile(lines.join(eol), '.env');
          if (E.isLeft(result)) expect(result.left).to.match(/^--env-file \.env:\d+: \S/);
          else expect(Object.getPrototypeOf(result.right)).to.equal(Object.prototype);
        }),
        { ...RUN, numRuns: 500 },
      );
    });
  });

  describe('renderString and renderValue', () => {
    it('any string of braces, escapes, names and odd unicode: an Either, never a throw', () => {
      fc.assert(
        fc.property(templateText, (s) => renderIsTotal(s)),
        { ...RUN, numRuns: 1000 },
      );
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => renderIsTotal(s)),
        { ...RUN, numRuns: 500 },
      );
    });

    it('any JSON value, templated keys and values included: an Either, never a throw', () => {
      const json = fc.letrec((tie) => ({
        value: fc.oneof(
          { depthSize: 'small' },
          templateText,
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.array(tie('value'), { maxLength: 4 }),
          fc.dictionary(templateText, tie('value'), { maxKeys: 4 }),
        ),
      })).value as fc.Arbitrary<Json>;
      fc.assert(
        fc.property(json, (v) => renderIsTotal(v)),
        { ...RUN, numRuns: 500 },
      );
    });

    it('the strings of near-valid suites: an Either, never a throw', () => {
      fc.assert(
        fc.property(nearValidSuite, ({ text }) => {
          const decoded = decodeSuiteText(text, 'fuzz.yaml');
          if (E.isRight(decoded)) renderIsTotal(decoded.right.suite as unknown as Json);
        }),
        { ...RUN, numRuns: 200 },
      );
    });

    it('100 KB templates: long names, many references, many braces, long escapes', () => {
      const n = 50_000;
      const names = Array.from({ length: n }, () => 'a').join('.');
      for (const s of [
        `{{ ${names} }}`,
        `{{ .vars.${names} }}`,
        `{{ .env.${names} }}`,
        `{{ .secrets.${names} }}`,
        '{{ id }}'.repeat(12_000),
        '{{'.repeat(n),
        '}}'.repeat(n),
        '\\{{'.repeat(30_000),
        `${'\\'.repeat(100_000)}{{ id }}`,
        `{{${' '.repeat(100_000)}id }}`,
        `{{${' '.repeat(100_000)}id x }}`,
        `${'x'.repeat(100_000)}{{ nope }}`,
        '😀{{ id }}\uD800'.repeat(10_000),
      ]) {
        renderIsTotal(s);
        renderIsTotal({ [s]: s });
      }
    });

    it('long dotted names resolve to the longest saved key that prefixes them, as short ones do', () => {
      const name = fc.constantFrom('a', 'b', 'c0');
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 40 }).chain((n) => fc.array(name, { minLength: n, maxLength: n })),
          fc.array(fc.nat(40), { maxLength: 4 }),
          fc.boolean(),
          fc.array(fc.array(name, { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
          (path, cuts, whole, others) => {
            // keys that are prefixes of the name (the case to get right), maybe the whole name, and a few others
            const keys = [...cuts.map((n) => path.slice(0, Math.max(1, n % (path.length + 1)))), ...(whole ? [path] : []), ...others];
            const saved: Record<string, Json> = {};
            keys.forEach((k, i) => (saved[k.join('.')] = { a: { b: i }, c0: [i] }));
            const rendered = renderValue(`{{ ${path.join('.')} }}`, { saved, vars: {}, env: {} });
            const expected = lookUp(saved, path);
            if (expected === undefined) expect(rendered._tag).to.equal('Left');
            else expect(rendered).to.deep.equal(E.right(expected));
          },
        ),
        { ...RUN, numRuns: 500 },
      );
    });

    it('values nested a hundred thousand levels deep, in the template or in a variable', () => {
      const nest = (depth: number, leaf: Json): Json => {
        let v = leaf;
        for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
        return v;
      };
      for (const depth of [100, 1_000, 10_000, 100_000]) {
        renderIsTotal(nest(depth, '{{ id }}'));
        renderIsTotal(nest(depth, '{{ nope }}'));
        const deep: TemplateContext = { ...CTX, saved: { ...CTX.saved, deep: nest(depth, 1) } };
        renderIsTotal('{{ deep }}', deep);
        renderIsTotal('deep={{ deep }}', deep);
        renderIsTotal({ body: ['{{ deep }}', 'x {{ deep }}'] }, deep);
      }
      // past MAX_RENDER_DEPTH levels, and past what JSON.stringify can write: an error that says so
      const tooDeep = renderValue(nest(1_000, '{{ id }}'), CTX);
      expect(E.isLeft(tooDeep) && tooDeep.left.problem).to.deep.equal({ _tag: 'TooDeep', limit: MAX_RENDER_DEPTH });
      expect(renderValue(nest(MAX_RENDER_DEPTH - 1, '{{ id }}'), CTX)._tag).to.equal('Right');
      const deepVar = renderString('deep={{ deep }}', { ...CTX, saved: { deep: nest(100_000, 1) } });
      expect(E.isLeft(deepVar) && deepVar.left.message).to.equal('the value of "deep" is nested too deeply to write as text');
      expect(
        renderValue('{{ deep }}', { ...CTX, saved: { deep: nest(100_000, 1) } })._tag,
        'a whole value is passed on, not written',
      ).to.equal('Right');
    });
  });
});
