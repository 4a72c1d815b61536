import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';

// Property tests: whatever text comes in, the decoder returns an Either and never throws, and
// every error it reports points at a real line and column of that text.

const VALID = {
  name: 'Jobs',
  vars: { base: 'https://api.example.com', n: 3 },
  tests: [
    {
      name: 'submit and wait',
      steps: [
        {
          name: 'submit',
          plugin: 'http',
          config: { method: 'POST', url: '{{ .vars.base }}/jobs', headers: { 'X-A': 1 }, body: { data: [1, 2] } },
          save: [
            { json_path: '.id', as: 'id' },
            { header: 'Location', as: 'where', required: false },
          ],
          assertions: [{ type: 'status_code', expected: 201 }],
          retry: { maximum_attempts: 2, initial_interval: '1s' },
        },
        {
          name: 'wait',
          plugin: 'http',
          config: {
            method: 'GET',
            url: 'https://api.example.com/jobs/{{ id }}',
            polling: {
              interval: '2s',
              timeout: '5m',
              max_attempts: '{{ .vars.n }}',
              backoff_coefficient: 1.5,
              conditions: [
                { type: 'json_path', path: '.status', expected: 'done' },
                { type: 'header', name: 'X-State', exists: true },
              ],
              fail_conditions: [{ type: 'json_path', path: '.status', one_of: ['failed', 'cancelled'] }],
            },
          },
        },
        { name: 'pause', plugin: 'delay', config: { duration: '250ms' } },
        { name: 'say', plugin: 'log', config: { message: 'done {{ id }}' } },
        { name: 'js', plugin: 'script', config: { language: 'javascript', script: 'save("a", 1)' } },
      ],
      cleanup: { always: [{ name: 'bye', plugin: 'log', config: { message: 'bye' } }] },
    },
  ],
};

type Mutable = Record<string, unknown> | unknown[];
type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (typeof value === 'object' && value !== null)
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return here;
}

interface Mutation {
  readonly seed: number;
  readonly kind: 'replace' | 'delete' | 'rename' | 'wrap';
  readonly value: unknown;
  readonly key: string;
}

function mutate(base: unknown, mutations: readonly Mutation[]): unknown {
  const doc = structuredClone(base) as Mutable;
  for (const m of mutations) {
    const paths = pathsOf(doc);
    if (paths.length === 0) break;
    const path = paths[m.seed % paths.length] as Path;
    const parent = path.slice(0, -1).reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], doc) as Mutable;
    const last = path[path.length - 1] as string | number;
    const p = parent as Record<string | number, unknown>;
    if (m.kind === 'replace') p[last] = m.value;
    else if (m.kind === 'wrap') p[last] = [p[last]];
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete p[last];
    } else if (!Array.isArray(parent)) {
      p[m.key] = p[last];
      delete p[last];
    }
  }
  return doc;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  seed: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'rename', 'wrap'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('2s', '-1s', '{{ x }}', 0, -1, 0.5, '', null, 'status', '.a[')),
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('intervall', 'plugin', 'type', '__proto__', 'constructor', 'toString')),
});

function checkDecodes(text: string): void {
  const result = decodeSuiteText(text, 'prop.yaml');
  expect(result._tag === 'Left' || result._tag === 'Right').to.equal(true);
  if (result._tag === 'Right') return;
  expect(result.left.length).to.be.greaterThan(0);
  const lines = text.split(/\r?\n/);
  for (const e of result.left) {
    expect(e.file).to.equal('prop.yaml');
    expect(e.line, e.message).to.be.at.least(1);
    expect(e.col, e.message).to.be.at.least(1);
    expect(e.line, e.message).to.be.at.most(lines.length + 1);
    expect(e.message).to.be.a('string').and.not.equal('');
    if (e.source !== undefined) expect(e.source).to.equal(lines[e.line - 1]);
  }
}

describe('dsl: decoding never throws (property)', () => {
  it('accepts the unmutated base suite', () => {
    const result = decodeSuiteText(stringify(VALID), 'prop.yaml');
    if (result._tag === 'Left') expect.fail(result.left.map((e) => e.message).join('\n'));
  });

  it('random YAML values', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withNullPrototype: false }), (value) => checkDecodes(stringify(value) ?? '')),
      { numRuns: 300 },
    );
  });

  it('random JSON values under suite-like keys', () => {
    const suiteLike = fc.record(
      {
        name: fc.jsonValue({ maxDepth: 1 }),
        tests: fc.jsonValue({ maxDepth: 4 }),
        vars: fc.jsonValue({ maxDepth: 2 }),
        init: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(suiteLike, (value) => checkDecodes(stringify(value) ?? '')),
      { numRuns: 300 },
    );
  });

  it('near-valid suites: random replacements, deletions, renames and wrappings', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => checkDecodes(stringify(mutate(VALID, ms)))),
      { numRuns: 400 },
    );
  });

  it('random edits of the suite text (lines dropped, duplicated, characters inserted)', () => {
    const base = stringify(VALID).split('\n');
    const edit = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('drop', 'dup', 'insert'),
      text: fc.constantFrom(':', '- ', '"', '{', '[', '\t', '  ', '&a ', '*a', '---', '? ', '#', '|'),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        const lines = [...base];
        for (const e of edits) {
          const i = e.at % lines.length;
          const line = lines[i] ?? '';
          if (e.kind === 'drop') lines.splice(i, 1);
          else if (e.kind === 'dup') lines.splice(i, 0, line);
          else lines[i] = line.slice(0, e.at % (line.length + 1)) + e.text + line.slice(e.at % (line.length + 1));
          if (lines.length === 0) lines.push('');
        }
        checkDecodes(lines.join('\n'));
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => checkDecodes(text)),
      { numRuns: 300 },
    );
  });
});
