import fc from 'fast-check';
import { stringify, type ToStringOptions } from 'yaml';

/**
 * fast-check generators of suite files for property tests: valid suites (steps of every
 * plugin, polling, checks, saves, retry, init and cleanup hooks), and near-valid ones made
 * from them by mutations a person or a broken tool might make.
 *
 * validSuite                     // Arbitrary<SuiteDoc>: decodes without errors
 * nearValidSuite                 // Arbitrary<NearValidSuite>: { text, mutations } (YAML text)
 * applyMutation(doc, mutation)   // one structural mutation, on a copy
 *
 * Every generated value is shrinkable: a failing case shrinks to few, small mutations.
 */

/** A suite as plain data, before it is written as YAML. */
export type SuiteDoc = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Valid suites

const jsonPath = fc.constantFrom(
  '.status',
  '.items[0].id',
  '.headers["X-Custom"]',
  '.',
  '.[0].id',
  '$.a.b',
  '$..x',
  '$.a[*]',
  '.items | length',
  '.["key.with.dots"]',
);
const headerName = fc.constantFrom('X-Job-Status', 'Location', 'content-type', 'X-Api-Key');
const duration = fc.constantFrom('250ms', '1s', '2s', '1.5s', '1m30s', '5m', '100us', '{{ .vars.wait }}', '{{ .vars.n }}s');
const shortText = fc.constantFrom('done', 'ok', 'héllo ✓', '{{ id }}', 'id={{ job_id }}', 'Escaped: \\{{ user_id }}', '{"a": 1}', '');
const jsonLeaf = fc.oneof(
  fc.integer({ min: -5, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
  shortText,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** One matcher (at least one is needed by every check). */
const matchers = (statusCode: boolean): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(
    fc.record({ expected: statusCode ? fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constant('{{ .vars.code }}')) : jsonLeaf }),
    fc.record({ not_equals: statusCode ? fc.integer({ min: 100, max: 599 }) : jsonLeaf }),
    ...(statusCode ? [] : [fc.record({ exists: fc.boolean() })]),
    fc.record({ one_of: fc.array(statusCode ? fc.integer({ min: 100, max: 599 }) : jsonLeaf, { minLength: 1, maxLength: 3 }) }),
    fc.record({ matches: fc.constantFrom('^a', '\\d+', '(done|ok)', '.*') }),
    fc.record({ greater_than: fc.integer(), less_than_or_equal: fc.integer() }),
    fc.record({ value_type: fc.constantFrom('string', 'number', 'boolean', 'null', 'array', 'object') }),
    fc.record({ length: fc.nat(10) }),
    fc.record({ contains: shortText }),
    fc.record({ schema: fc.constant({ type: 'object', required: ['id'] }) }),
  );

export const check: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  matchers(true).map((m) => ({ type: 'status_code', ...m })),
  fc.tuple(jsonPath, matchers(false)).map(([path, m]) => ({ type: 'json_path', path, ...m })),
  fc.tuple(headerName, matchers(false)).map(([name, m]) => ({ type: 'header', name, ...m })),
);

const save = fc.oneof(
  fc.record(
    { json_path: jsonPath, as: fc.constantFrom('id', 'job_id', 'user.id'), required: fc.boolean() },
    { requiredKeys: ['json_path', 'as'] },
  ),
  fc.record({ header: headerName, as: fc.constantFrom('where', 'etag'), required: fc.boolean() }, { requiredKeys: ['header', 'as'] }),
);

const retry = fc.record(
  {
    initial_interval: duration,
    maximum_interval: duration,
    maximum_attempts: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant('{{ .vars.n }}')),
    backoff_coefficient: fc.constantFrom(1, 1.5, 2),
    non_retryable_errors: fc.array(fc.constantFrom('ValidationError', 'TransportError'), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const polling = fc.record(
  {
    interval: duration,
    timeout: duration,
    max_attempts: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constant('{{ .vars.n }}')),
    backoff_coefficient: fc.constantFrom(1, 1.2, 2),
    max_interval: duration,
    jitter: fc.constantFrom(0, 0.2, 1),
    conditions: fc.array(check, { minLength: 1, maxLength: 2 }),
    fail_conditions: fc.array(check, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ['interval', 'timeout', 'conditions'] },
);

const httpConfig = fc
  .record(
    {
      method: fc.constantFrom('GET', 'POST', 'put', 'DELETE', 'PATCH', 'HEAD', '{{ .vars.method }}'),
      url: fc.constantFrom('https://api.example.com/jobs', 'http://127.0.0.1:8080/x?y=1', '{{ .vars.base }}/jobs/{{ job_id }}'),
      headers: fc.dictionary(
        headerName,
        fc.oneof(
          shortText.filter((s) => s !== ''),
          fc.integer(),
          fc.boolean(),
        ),
        { minKeys: 1, maxKeys: 2 },
      ),
      payload: fc.oneof(
        fc.record({ body: fc.oneof(shortText, fc.constant({ data: [1, 2], nested: { ok: true } })) }),
        fc.record({ form: fc.constant({ foo: 'bar', n: 1, tag: ['a', 'b'] }) }),
        fc.constant({}),
      ),
      timeout: duration,
      insecure: fc.boolean(),
      polling,
    },
    { requiredKeys: ['method', 'url', 'payload'] },
  )
  .map(({ payload, ...rest }) => ({ ...rest, ...payload }));

const pluginStep = fc.oneof(
  httpConfig.map((config) => ({ plugin: 'http', config })),
  duration.map((d) => ({ plugin: 'delay', config: { duration: d } })),
  shortText.map((message) => ({ plugin: 'log', config: { message } })),
  fc
    .record({
      language: fc.constantFrom('javascript', 'shell'),
      code: fc.oneof(
        fc.record({ script: fc.constantFrom('save("a", 1)', 'echo hi', '') }),
        fc.record({ file: fc.constantFrom('scripts/a.js', 'b.sh') }),
      ),
      timeout: fc.option(duration, { nil: undefined }),
    })
    .map(({ language, code, timeout }) => ({
      plugin: 'script',
      config: { language, ...code, ...(timeout === undefined ? {} : { timeout }) },
    })),
);

export const step: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      name: fc.constantFrom('submit', 'wait for it', 'Étape ✓', 'log'),
      body: pluginStep,
      assertions: fc.array(check, { minLength: 1, maxLength: 2 }),
      save: fc.array(save, { minLength: 1, maxLength: 2 }),
      retry,
    },
    { requiredKeys: ['name', 'body'] },
  )
  .map(({ name, body, ...common }) => ({ name, ...body, ...common }));

const steps = (min: number): fc.Arbitrary<Array<Record<string, unknown>>> => fc.array(step, { minLength: min, maxLength: 3 });

const cleanup = fc.record({ always: steps(1), on_failure: steps(1) }, { requiredKeys: [] });

const test = fc.record(
  { name: fc.constantFrom('submit and wait', 'lifecycle', 'test ✓'), init: steps(1), steps: steps(1), cleanup },
  { requiredKeys: ['name', 'steps'] },
);

/** A suite that decodes without errors. */
export const validSuite: fc.Arbitrary<SuiteDoc> = fc.record(
  {
    name: fc.constantFrom('Jobs API', 'suite', 'Suite ✓ 𝄞'),
    description: fc.constantFrom('Submits a job and waits for it', ''),
    vars: fc.record({
      base: fc.constant('https://api.example.com'),
      n: fc.integer({ min: 1, max: 9 }),
      code: fc.constant(200),
      nested: fc.constant({ a: [1, { b: 'c' }] }),
    }),
    init: steps(1),
    tests: fc.array(test, { minLength: 1, maxLength: 2 }),
    cleanup,
  },
  { requiredKeys: ['name', 'tests'] },
);

// ---------------------------------------------------------------------------------------------
// Mutations

/** Strings that have broken parsers before: astral characters, RTL marks, NUL, lone surrogates, BOM, separators. */
export const ODD_UNICODE = [
  '😀',
  '𝄞',
  '\u200F',
  '\u202E',
  '\u200B',
  '\u0000',
  '\uD800',
  '\uDC00',
  '\uDBFF\uD800',
  '\uFEFF',
  '\u2028',
  '\u2029',
  '\u0085',
  'e\u0301',
  '\t',
  '\r',
  '\u001B[31m',
  '\uFFFE',
] as const;

/** Template-like text in odd places: unclosed, empty, escaped, nested, bad names. */
export const TEMPLATE_NOISE = [
  '{{',
  '}}',
  '\\{{',
  '\\\\{{',
  '\\\\\\{{',
  '{{}}',
  '{{ }}',
  '{{ a b }}',
  '{{ .vars. }}',
  '{{ .env }}',
  '{{ {{ x }} }}',
  '}}{{',
  '{{ x',
  'x }}',
  '{{ .secrets.TOKEN }}',
  '{{ __proto__ }}',
  '{{ constructor.name }}',
  '{{ a.0.b }}',
  '{{-x-}}',
] as const;

/** YAML-significant characters, for raw text edits. */
export const YAML_NOISE = [
  ':',
  '- ',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '\t',
  '  ',
  '&a ',
  '*a',
  '---',
  '...',
  '? ',
  '#',
  '|',
  '>',
  '!!str ',
  '!!binary ',
  '%YAML 1.2\n',
  '<<: *a',
  '@',
  '`',
] as const;

/** The DSL's own keys, the source of typos. */
const KEYS = [
  'name',
  'description',
  'vars',
  'init',
  'tests',
  'cleanup',
  'always',
  'on_failure',
  'steps',
  'plugin',
  'config',
  'assertions',
  'save',
  'retry',
  'method',
  'url',
  'headers',
  'body',
  'form',
  'timeout',
  'insecure',
  'polling',
  'interval',
  'max_attempts',
  'backoff_coefficient',
  'max_interval',
  'jitter',
  'conditions',
  'fail_conditions',
  'type',
  'path',
  'expected',
  'exists',
  'not_equals',
  'one_of',
  'matches',
  'value_type',
  'json_path',
  'as',
  'required',
  'header',
  'duration',
  'message',
  'language',
  'script',
  'file',
  'initial_interval',
  'maximum_attempts',
] as const;

/** One change to a suite's data. `at` picks the node (modulo the number of nodes). */
export type Mutation =
  | { readonly _tag: 'RenameKey'; readonly at: number; readonly typo: Typo }
  | { readonly _tag: 'AddKey'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly _tag: 'DeleteKey'; readonly at: number }
  | { readonly _tag: 'WrongType'; readonly at: number; readonly value: unknown }
  | { readonly _tag: 'DeepNest'; readonly at: number; readonly depth: number; readonly shape: 'list' | 'map' | 'mixed' }
  | { readonly _tag: 'HugeString'; readonly at: number; readonly length: number; readonly unit: string }
  | { readonly _tag: 'OddText'; readonly at: number; readonly where: number; readonly text: string; readonly inKey: boolean };

/** How a key is misspelt. */
export type Typo =
  | { readonly _tag: 'Drop'; readonly index: number }
  | { readonly _tag: 'Swap'; readonly index: number }
  | { readonly _tag: 'Double'; readonly index: number }
  | { readonly _tag: 'Case' }
  | { readonly _tag: 'Replace'; readonly with: string };

const typo: fc.Arbitrary<Typo> = fc.oneof(
  fc.nat().map((index) => ({ _tag: 'Drop', index }) as const),
  fc.nat().map((index) => ({ _tag: 'Swap', index }) as const),
  fc.nat().map((index) => ({ _tag: 'Double', index }) as const),
  fc.constant({ _tag: 'Case' } as const),
  fc
    .oneof(
      fc.constantFrom(...KEYS),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', '<<'),
      fc.string({ maxLength: 12 }),
    )
    .map((w) => ({ _tag: 'Replace', with: w }) as const),
);

const oddText = fc.oneof(
  fc.constantFrom(...ODD_UNICODE),
  fc.constantFrom(...TEMPLATE_NOISE),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.constantFrom(...ODD_UNICODE), minLength: 1, maxLength: 4 }),
);

/** Values of the wrong type for about any key of a suite. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    0.5,
    1e308,
    -0,
    '',
    ' ',
    'status',
    '2 seconds',
    '-1s',
    '.a[',
    '(',
    '{{ x }}',
    '[]',
    '{}',
    [],
    {},
    [null],
    { '': null },
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ _tag: fc.constant('RenameKey' as const), at: fc.nat(), typo }) },
  {
    weight: 1,
    arbitrary: fc.record({
      _tag: fc.constant('AddKey' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
      value: wrongValue,
    }),
  },
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant('DeleteKey' as const), at: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ _tag: fc.constant('WrongType' as const), at: fc.nat(), value: wrongValue }) },
  {
    weight: 1,
    arbitrary: fc.record({
      _tag: fc.constant('DeepNest' as const),
      at: fc.nat(),
      depth: fc.integer({ min: 100, max: 400 }),
      shape: fc.constantFrom('list' as const, 'map' as const, 'mixed' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      _tag: fc.constant('HugeString' as const),
      at: fc.nat(),
      length: fc.constantFrom(100 * 1024, 10 * 1024),
      unit: fc.constantFrom('a', 'x.', '{{', '{{ a }}', '\\{{', '😀', '\u202E', ' ', 'a: ', '- '),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ _tag: fc.constant('OddText' as const), at: fc.nat(), where: fc.nat(), text: oddText, inKey: fc.boolean() }),
  },
);

type Container = Record<string, unknown> | unknown[];
type Path = ReadonlyArray<string | number>;

/** Every node of a value, as paths (the root excluded), depth first. Stops below `maxDepth`. */
export function nodePaths(value: unknown, maxDepth = 40): Path[] {
  const out: Path[] = [];
  const visit = (v: unknown, path: Path): void => {
    if (path.length > 0) out.push(path);
    if (path.length >= maxDepth || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...path, i]));
    else for (const [k, item] of Object.entries(v)) visit(item, [...path, k]);
  };
  visit(value, []);
  return out;
}

/** A deep copy of a suite with one mutation applied. */
export function applyMutation(doc: SuiteDoc, m: Mutation): SuiteDoc {
  const copy = structuredClone(doc);
  const paths = nodePaths(copy);
  const path = paths[m.at % Math.max(1, paths.length)];
  if (path === undefined) return copy;
  const parent = path.slice(0, -1).reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], copy) as Container;
  const last = path[path.length - 1] as string | number;
  const slot = parent as Record<string | number, unknown>;
  const current = slot[last];
  switch (m._tag) {
    case 'RenameKey':
      if (!Array.isArray(parent)) renameKey(parent, String(last), misspell(String(last), m.typo));
      break;
    case 'AddKey':
      if (!Array.isArray(parent)) defineKey(parent, m.key, m.value);
      break;
    case 'DeleteKey':
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete slot[last];
      break;
    case 'WrongType':
      slot[last] = m.value;
      break;
    case 'DeepNest':
      slot[last] = nest(current, m.depth, m.shape);
      break;
    case 'HugeString':
      slot[last] = m.unit.repeat(Math.ceil(m.length / m.unit.length));
      break;
    case 'OddText':
      if (m.inKey && !Array.isArray(parent)) {
        const key = String(last);
        const i = m.where % (key.length + 1);
        renameKey(parent, key, key.slice(0, i) + m.text + key.slice(i));
      } else {
        const text = typeof current === 'string' ? current : String(JSON.stringify(current) ?? '');
        const i = m.where % (text.length + 1);
        slot[last] = text.slice(0, i) + m.text + text.slice(i);
      }
      break;
  }
  return copy;
}

function misspell(key: string, t: Typo): string {
  const at = (n: number): number => (key.length === 0 ? 0 : n % key.length);
  switch (t._tag) {
    case 'Drop':
      return key.slice(0, at(t.index)) + key.slice(at(t.index) + 1);
    case 'Swap': {
      const i = at(t.index);
      return i + 1 < key.length ? key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2) : `${key}_`;
    }
    case 'Double':
      return key.slice(0, at(t.index) + 1) + key.slice(at(t.index));
    case 'Case':
      return key === key.toUpperCase() ? key.toLowerCase() : key.toUpperCase();
    case 'Replace':
      return t.with;
  }
}

/** Renames a key in place, keeping its position among the others (so errors stay in order). */
function renameKey(map: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.entries(map).map(([k, v]): [string, unknown] => [k === from ? to : k, v]);
  for (const k of Object.keys(map)) delete map[k];
  for (const [k, v] of entries) defineKey(map, k, v);
}

/** Sets a key as an own data property, even `__proto__`. */
function defineKey(map: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function nest(leaf: unknown, depth: number, shape: 'list' | 'map' | 'mixed'): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) {
    const asList = shape === 'list' || (shape === 'mixed' && i % 2 === 0);
    v = asList ? [v] : { k: v };
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Text

/** One change to the YAML text itself: what a bad merge or a careless edit leaves behind. */
export type TextEdit =
  | { readonly _tag: 'DropLine'; readonly at: number }
  | { readonly _tag: 'DuplicateLine'; readonly at: number }
  | { readonly _tag: 'Insert'; readonly at: number; readonly where: number; readonly text: string }
  | { readonly _tag: 'Indent'; readonly at: number; readonly by: number }
  | { readonly _tag: 'Truncate'; readonly at: number }
  | { readonly _tag: 'LineEndings'; readonly eol: '\r\n' | '\r' | '\u2028' }
  | { readonly _tag: 'Alias'; readonly anchorAt: number; readonly aliasAt: number; readonly name: string };

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ _tag: fc.constant('DropLine' as const), at: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant('DuplicateLine' as const), at: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      _tag: fc.constant('Insert' as const),
      at: fc.nat(),
      where: fc.nat(),
      text: fc.oneof(fc.constantFrom(...YAML_NOISE), fc.constantFrom(...TEMPLATE_NOISE), fc.constantFrom(...ODD_UNICODE)),
    }),
  },
  fc.record({ _tag: fc.constant('Indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ _tag: fc.constant('Truncate' as const), at: fc.nat() }),
  fc.record({ _tag: fc.constant('LineEndings' as const), eol: fc.constantFrom('\r\n' as const, '\r' as const, '\u2028' as const) }),
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant('Alias' as const),
      anchorAt: fc.nat(),
      aliasAt: fc.nat(),
      name: fc.constantFrom('a', 'b', 'x'),
    }),
  },
);

/**
 * Applies one text edit. A `DuplicateLine` of a `key: value` line makes a duplicate key; an
 * `Alias` puts an anchor after one `key:` and an alias in place of a later value, which makes a
 * value contain itself when the alias lands inside the anchored block.
 */
export function applyTextEdit(text: string, e: TextEdit): string {
  if (e._tag === 'Truncate') return text.slice(0, e.at % (text.length + 1));
  if (e._tag === 'LineEndings') return text.split('\n').join(e.eol);
  const lines = text.split('\n');
  if (e._tag === 'Alias') {
    const keyLines = lines.flatMap((line, i) => (/^\s*(- )?[\w"]+:( |$)/.test(line) ? [i] : []));
    if (keyLines.length === 0) return text;
    const a = keyLines[e.anchorAt % keyLines.length] as number;
    const later = keyLines.filter((i) => i > a);
    const b = later.length === 0 ? a : (later[e.aliasAt % later.length] as number);
    lines[b] = (lines[b] as string).replace(/:( .*)?$/, `: *${e.name}`);
    lines[a] = (lines[a] as string).replace(/:( |$)/, `: &${e.name}$1`);
    return lines.join('\n');
  }
  const i = e.at % lines.length;
  const line = lines[i] ?? '';
  switch (e._tag) {
    case 'DropLine':
      lines.splice(i, 1);
      break;
    case 'DuplicateLine':
      lines.splice(i, 0, line);
      break;
    case 'Insert': {
      const j = e.where % (line.length + 1);
      lines[i] = line.slice(0, j) + e.text + line.slice(j);
      break;
    }
    case 'Indent':
      lines[i] = e.by >= 0 ? ' '.repeat(e.by) + line : line.replace(new RegExp(`^ {0,${-e.by}}`), '');
      break;
  }
  return lines.join('\n');
}

/** A near-valid suite file: its text and a readable list of what was done to the valid one. */
export interface NearValidSuite {
  readonly text: string;
  readonly mutations: readonly string[];
}

/** YAML as the `yaml` package writes it: sometimes block style, sometimes flow, no line folding. */
const yamlStyle = fc.constantFrom<ToStringOptions>(
  { lineWidth: 0 },
  { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE' },
  { lineWidth: 0, collectionStyle: 'flow' },
  { lineWidth: 80, indent: 4 },
);

/**
 * A valid suite, mutated 1-4 times (keys misspelt, added or deleted, values of the wrong type,
 * deep nesting, huge strings, odd unicode and template braces), written as YAML, and sometimes
 * edited as text (lines dropped or duplicated, YAML punctuation inserted, line endings changed).
 */
export const nearValidSuite: fc.Arbitrary<NearValidSuite> = fc
  .record({
    base: validSuite,
    mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    style: yamlStyle,
    edits: fc.oneof(
      { weight: 3, arbitrary: fc.constant<TextEdit[]>([]) },
      { weight: 2, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 3 }) },
    ),
  })
  .map(({ base, mutations: drawn, style, edits }) => {
    // One deep nest at most: nests stacked inside each other (1,200+ levels) overflow the stack
    // of the yaml package's own stringify, in this generator, before the decoder sees anything.
    const mutations = drawn.filter((m, i) => m._tag !== 'DeepNest' || drawn.findIndex((n) => n._tag === 'DeepNest') === i);
    const doc = mutations.reduce(applyMutation, base);
    const yaml = stringify(doc, style);
    const text = edits.reduce(applyTextEdit, yaml);
    return { text, mutations: [...mutations.map(describeMutation), ...edits.map((e) => e._tag)] };
  });

function describeMutation(m: Mutation): string {
  switch (m._tag) {
    case 'DeepNest':
      return `DeepNest(${m.depth} ${m.shape})`;
    case 'HugeString':
      return `HugeString(${m.length} x ${JSON.stringify(m.unit)})`;
    default:
      return JSON.stringify(m).slice(0, 120);
  }
}
